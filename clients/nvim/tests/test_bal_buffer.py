"""`.bal` buffers: filetype, highlighting, and the mappings that send a line, a selection, the file."""

from __future__ import annotations

from conftest import busy, results_lines, wait_until

SCRIPT = """# a Ballast script
echo hello
generate fraud rows=2000 seed=1 as g; describe g
"""


def virtual_text(nvim) -> dict[int, str]:
    """Row (0-based) → the plugin's virtual text on it."""
    marks = nvim.exec_lua("""
        local ns = require('ballast.inline').namespace
        return vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, {details = true})
    """)
    return {mark[1]: "".join(chunk[0] for chunk in mark[3]["virt_text"]) for mark in marks}


def test_a_bal_buffer_is_detected_highlighted_and_sends_its_lines(nvim, tmp_path):
    script = tmp_path / "seed.bal"
    script.write_text(SCRIPT)
    nvim.command(f"edit {script}")
    assert nvim.current.buffer.options["filetype"] == "bal"
    assert nvim.current.buffer.options["commentstring"] == "# %s"

    def group(line: int, column: int) -> str:
        return nvim.funcs.synIDattr(nvim.funcs.synID(line, column, 1), "name")

    assert group(1, 3) == "balComment"
    assert group(2, 1) == "balCommand"
    assert group(3, 17) == "balOption"  # rows=
    assert group(3, 22) == "balNumber"  # 2000
    assert group(3, 36) == "balName"  # g after `as`
    assert group(3, 41) == "balCommand"  # describe, after `;`

    # <localleader>l sends the cursor's line; its one-line result shows at the end of that line.
    nvim.command("normal! 2G")
    nvim.input("\\l")
    wait_until(lambda: busy(nvim) == 0 and virtual_text(nvim).get(1), "the line's result")
    assert virtual_text(nvim)[1].strip() == "⇒ hello"
    assert results_lines(nvim)[:2] == ["» echo hello", "hello"]

    # Visual <localleader>s sends the selected lines: both statements of line 3 run.
    nvim.input("3GV\\s")
    wait_until(lambda: "» ⋯ describe" in results_lines(nvim) and busy(nvim) == 0, "the selection's results")
    lines = results_lines(nvim)
    assert lines.index("» generate fraud rows=2000 seed=1 as g; describe g") < lines.index("» ⋯ describe")

    # <localleader>f sends the file: a statement that fails stops it, and says so on its line.
    nvim.current.buffer[2] = "echo again"
    nvim.current.buffer.append("describe nowhere")
    nvim.input("\\f")
    wait_until(lambda: busy(nvim) == 0 and 3 in virtual_text(nvim), "the file's results")
    marks = virtual_text(nvim)
    assert marks[1].strip() == "⇒ hello" and marks[2].strip() == "⇒ again"
    assert marks[3].strip().startswith("error:") and "nowhere" in marks[3]


def test_k_shows_the_commands_help_in_a_float(nvim, tmp_path):
    script = tmp_path / "help.bal"
    script.write_text("train cards.train weights=inverse\n")
    nvim.command(f"edit {script}")
    nvim.input("K")

    def floating_text() -> str:
        return nvim.exec_lua("""
            for _, win in ipairs(vim.api.nvim_list_wins()) do
              if vim.api.nvim_win_get_config(win).relative ~= "" then
                local buf = vim.api.nvim_win_get_buf(win)
                return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\\n")
              end
            end
            return ""
        """)

    text = wait_until(floating_text, "the help float")
    assert "model/train" in text, text
