"""Completion from the REPL's own: 'omnifunc' in `.bal` buffers and `:Ballast`'s command line."""

from __future__ import annotations

from conftest import run, wait_until


def test_omnifunc_completes_dataset_names_from_the_daemon(nvim, tmp_path):
    run(nvim, "generate fraud rows=3000 seed=1 as cards")
    run(nvim, "split cards test=0.3 val=0.2 seed=0")
    nvim.command(f"edit {tmp_path / 'work.bal'}")
    assert nvim.current.buffer.options["omnifunc"] == "v:lua.require'ballast'.omnifunc"

    # As a person types it: the line, then <C-x><C-o> in insert mode.
    nvim.input("itrain ca<C-x><C-o>")
    items = wait_until(lambda: nvim.funcs.complete_info(["items"])["items"], "the completion menu")
    words = sorted(item["word"] for item in items)
    assert words == ["cards", "cards.test", "cards.train", "cards.validation"], words
    nvim.input("<C-n><C-n><Esc>")  # past the first match (inserted already) to the second
    wait_until(lambda: nvim.api.get_mode()["mode"] == "n", "normal mode")
    assert nvim.current.line.startswith("train cards"), nvim.current.line

    # Directly: findstart gives the byte column where the word starts (the service counts code
    # points: "é" is one, two bytes), then the matches; the statement is the one at the cursor.
    nvim.current.line = "echo é; train ca"
    nvim.input("A")
    wait_until(lambda: nvim.api.get_mode()["mode"] == "i", "insert mode")
    start = nvim.exec_lua("return require('ballast').omnifunc(1, '')")
    assert start == len("echo é; train ".encode())
    words = [item["word"] for item in nvim.exec_lua("return require('ballast').omnifunc(0, 'cards.t')")]
    assert sorted(words) == ["cards.test", "cards.train"]
    nvim.input("<Esc>")


def test_the_ballast_command_completes_commands_and_option_values(nvim):
    assert "generate" in nvim.funcs.getcompletion("Ballast gen", "cmdline")
    # For key=value the service completes the value; Vim replaces the whole word.
    assert "weights=inverse" in nvim.funcs.getcompletion("Ballast train cards weights=inv", "cmdline")
