"""Cancelling: `<C-c>` in the results buffer (or :BallastCancel) stops a long training."""

from __future__ import annotations

import re

from conftest import busy, notes, results_lines, run, wait_until


def test_ctrl_c_in_the_results_buffer_cancels_a_training_and_the_next_command_works(nvim):
    run(nvim, "generate fraud rows=60000 as cards")
    nvim.command("Ballast train cards model=mlp epochs=100000 as forever")
    # The progress line replaces the entry's status line while the training runs.
    wait_until(lambda: any(re.search(r"step \d+ of 100000", line) for line in results_lines(nvim)),
               "the training's progress in the results buffer")
    assert re.search(r"step \d+ of 100000", nvim.exec_lua("return require('ballast').statusline()"))
    # … and through vim.notify, at INFO, once it has run 2 s (then every 2 s).
    wait_until(lambda: any(note["level"] == 2 and "of 100000" in note["message"] for note in notes(nvim)),
               "the training's progress through vim.notify")

    nvim.command("BallastResults")
    assert nvim.current.buffer.name == "ballast://results"
    nvim.input("<C-c>")
    wait_until(lambda: busy(nvim) == 0, "the cancelled training's reply")
    lines = results_lines(nvim)
    start = lines.index("» train cards model=mlp epochs=100000 as forever")
    entry = lines[start + 1:]
    assert entry[0].startswith("  cancelled: ") and "stopped after" in entry[0], lines
    assert any(note["message"] == "ballast: cancelled" for note in notes(nvim)), notes(nvim)
    # The last word is how it ended, never a progress bar.
    assert notes(nvim)[-1]["message"] == "ballast: cancelled", notes(nvim)
    assert nvim.exec_lua("return require('ballast').statusline()") == ""

    lines = run(nvim, "ping")
    assert lines[-3:-1] == ["» ping", lines[-2]] and "pong" in lines[-2], lines


def test_cancel_reaches_the_commands_waiting_behind_the_running_one(nvim):
    run(nvim, "generate fraud rows=60000 as cards")
    nvim.command("Ballast train cards model=mlp epochs=100000 as forever")
    nvim.command("Ballast echo never")
    wait_until(lambda: any(re.search(r"step \d+ of 100000", line) for line in results_lines(nvim)),
               "the training's progress")
    assert busy(nvim) == 2
    nvim.command("BallastCancel")
    wait_until(lambda: busy(nvim) == 0, "both replies")
    lines = results_lines(nvim)
    assert "never" not in lines and "  cancelled before it started" in lines, lines
    assert "echo again" in run(nvim, "echo again")[-3]


def test_ctrl_c_in_a_bal_buffer_cancels_the_running_command(nvim, tmp_path):
    run(nvim, "generate fraud rows=60000 as cards")
    script = tmp_path / "long.bal"
    script.write_text("train cards model=mlp epochs=100000 as forever\n")
    nvim.command(f"edit {script}")
    nvim.input("\\l")
    wait_until(lambda: any(re.search(r"step \d+ of 100000", line) for line in results_lines(nvim)),
               "the training's progress")
    assert nvim.current.buffer.name == str(script)
    nvim.input("<C-c>")
    wait_until(lambda: busy(nvim) == 0, "the training cancelled from its .bal buffer")
    assert any(line.startswith("  cancelled: ") for line in results_lines(nvim)), results_lines(nvim)
    # With nothing running, <C-c> is <C-c> again: no "nothing is running" message.
    nvim.input("<C-c>")
    assert not [note for note in notes(nvim) if "nothing is running" in note["message"]], notes(nvim)
