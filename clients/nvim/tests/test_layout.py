"""The transcript's layout: errors indented like the rest, a blank line between statements."""

from __future__ import annotations

from conftest import busy, results_lines, wait_until


def test_each_statement_is_set_apart_and_its_error_indented(nvim):
    nvim.exec_lua("require('ballast').run('echo one\\necho two\\ndescribe nowhere')")
    wait_until(lambda: busy(nvim) == 0, "the reply")
    lines = results_lines(nvim)
    start = lines.index("» echo one")
    assert lines[start:start + 6] == ["» echo one", "one", "", "» echo two", "two", ""], lines
    assert lines[start + 6] == "» describe nowhere", lines
    error = lines[start + 7:]
    assert error[0].startswith("  error: ") and "nowhere" in error[0], lines
    assert all(line == "" or line.startswith("  ") for line in error), lines
