"""Several commands sent at once: each one's output shows as soon as it has run, under its own line."""

from __future__ import annotations

import re

from conftest import busy, results_lines, run, wait_until
from test_bal_buffer import virtual_text

SCRIPT = """# the seed, by hand
echo first
train cards model=mlp epochs=100000 as forever
"""


def test_the_first_output_shows_while_the_second_command_still_runs(nvim, tmp_path):
    run(nvim, "generate fraud rows=60000 as cards")
    script = tmp_path / "seed.bal"
    script.write_text(SCRIPT)
    nvim.command(f"edit {script}")
    nvim.input("\\f")
    # The training runs (its progress is on its own line's entry) and `echo first` is already shown.
    wait_until(lambda: any(re.search(r"step \d+ of 100000", line) for line in results_lines(nvim)),
               "the training's progress")
    assert busy(nvim) == 1
    lines = results_lines(nvim)
    start = lines.index("» echo first")
    assert lines[start + 1] == "first", lines
    # Each statement is headed by its own line, not the file's first line (a comment).
    assert "» train cards model=mlp epochs=100000 as forever" in lines[start:], lines
    assert not [line for line in lines if line.startswith("» # the seed")], lines
    # The finished statement's line shows its result, not a progress line, while the next runs.
    marks = virtual_text(nvim)
    assert marks[1].strip() == "⇒ first", marks
    assert 0 not in marks, marks

    nvim.command("BallastCancel")
    wait_until(lambda: busy(nvim) == 0, "the cancelled training's reply")
    lines = results_lines(nvim)
    # The reply carries every output again: the one already shown is not shown twice.
    assert lines.count("» echo first") == 1, lines
    assert lines.count("» train cards model=mlp epochs=100000 as forever") == 1, lines


def test_a_finished_trainings_progress_line_gives_way_to_its_result(nvim, tmp_path):
    run(nvim, "generate fraud rows=60000 as cards")
    script = tmp_path / "two.bal"
    script.write_text("train cards epochs=1 as quick\ntrain cards model=mlp epochs=100000 as forever\n")
    nvim.command(f"edit {script}")
    nvim.input("\\f")
    wait_until(lambda: re.search(r"step \d+ of 100000", virtual_text(nvim).get(1, "")), "the second training's progress")
    # The first training's table is many lines: no virtual text for it, and no stale progress bar.
    assert 0 not in virtual_text(nvim), virtual_text(nvim)
    nvim.command("BallastCancel")
    wait_until(lambda: busy(nvim) == 0, "the cancelled training's reply")
