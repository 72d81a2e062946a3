"""`:Ballast` runs commands of the language; the results buffer shows what the REPL prints."""

from __future__ import annotations

import os
import re
import signal

from conftest import notes, results_lines, run, wait_until


def entry(lines: list[str], header: str) -> list[str]:
    """The lines after the last `» header` up to the next entry."""
    starts = [i for i, line in enumerate(lines) if line == "» " + header]
    assert starts, f"no entry for {header!r} in {lines!r}"
    following = lines[starts[-1] + 1:]
    ends = [i for i, line in enumerate(following) if line.startswith("» ")]
    return following[:ends[0]] if ends else following


def test_a_trainings_table_lands_in_the_results_buffer(nvim):
    run(nvim, "generate fraud rows=3000 seed=1 as cards")
    run(nvim, "split cards test=0.3 val=0.2 seed=0")
    lines = entry(run(nvim, "train cards.train weights=inverse as wce"), "train cards.train weights=inverse as wce")
    header = [line for line in lines if "Recall" in line]
    assert header, lines
    assert re.search(r"Recall\s+Precision\s+F1-Score", header[0])
    row = lines[lines.index(header[0]) + 1:]
    assert any(re.search(r"\d\.\d+\s+\d\.\d+\s+\d\.\d+", line) for line in row), lines
    assert not [note for note in notes(nvim) if note["level"] >= 4], notes(nvim)

    # The renderings fit the results window: no line is wider than the width the plugin asked for.
    width = nvim.exec_lua("return require('ballast.results').width()")
    assert max(nvim.funcs.strdisplaywidth(line) for line in results_lines(nvim)) <= width


def test_an_error_shows_the_daemons_message_in_the_buffer_and_a_notification(nvim):
    lines = entry(run(nvim, "train nosuch"), "train nosuch")
    # Indented like every other output; where, from the error's data, under it.
    assert lines[0].startswith("  error: ") and "nosuch" in lines[0], lines
    assert "    field: dataset" in lines, lines
    errors = [note for note in notes(nvim) if note["level"] == 4]
    assert len(errors) == 1 and "nosuch" in errors[0]["message"], notes(nvim)
    # The daemon's own sentence, as the structured error carries it, is what the notification says.
    assert errors[0]["message"].removeprefix("ballast: ") in "\n".join(lines)

    # A usage error is the grammar's, before anything reaches the daemon; the next command works.
    lines = entry(run(nvim, "train cards.train nosuchoption=1"), "train cards.train nosuchoption=1")
    assert lines[0].startswith("  error: "), lines
    assert entry(run(nvim, "echo still here"), "echo still here")[0] == "still here"


def test_a_dead_bridge_is_reported_once_and_started_again(nvim):
    assert entry(run(nvim, "echo first"), "echo first")[0] == "first"
    pid = nvim.exec_lua("return require('ballast.bridge').pid()")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not nvim.exec_lua("return require('ballast.bridge').running()"), "the plugin to notice")
    told = [note for note in notes(nvim) if "exited" in note["message"]]
    assert len(told) == 1 and "starts it again" in told[0]["message"], notes(nvim)
    assert entry(run(nvim, "echo second"), "echo second")[0] == "second"
    assert nvim.exec_lua("return require('ballast.bridge').pid()") != pid


def test_results_in_a_float(nvim):
    nvim.exec_lua("require('ballast').setup{results = 'float'}")
    assert entry(run(nvim, "echo floating"), "echo floating")[0] == "floating"
    window = nvim.exec_lua("return require('ballast.results').window()")
    assert nvim.api.win_get_config(window)["relative"] == "editor"
    # The cursor stays where it was; :BallastResults goes there, q closes it.
    assert nvim.current.window.handle != window
    nvim.command("BallastResults")
    assert nvim.current.window.handle == window
    nvim.input("q")
    wait_until(lambda: nvim.exec_lua("return require('ballast.results').window()") is None, "the float to close")
