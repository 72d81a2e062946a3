"""Progress displays (ballast_kernel.progress): one display per long command, updated in place,
redraws spaced out, begin and end always drawn."""

from __future__ import annotations

from ballast_kernel.progress import UPDATE_INTERVAL, CellProgress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def report(step: int, **more) -> dict:
    return {"kind": "report", "command": 0, "line": 1, "step": step, "total": 10,
            "percentage": step * 10.0, "text": f"step {step} of 10", **more}


def test_one_display_per_command_updated_in_place_with_loss_and_f1():
    clock = Clock()
    progress = CellProgress(clock)
    begin = progress.handle({"kind": "begin", "command": 0, "line": 1, "title": "training net", "total": 10})
    assert begin.type == "display_data"
    display_id = begin.content["transient"]["display_id"]

    clock.now += UPDATE_INTERVAL
    first = progress.handle(report(1, loss=0.5, validation={"f1": 0.25}))
    assert first.type == "update_display_data" and first.content["transient"]["display_id"] == display_id
    assert "step 1 of 10" in first.content["data"]["text/html"]
    assert "loss 0.5" in first.content["data"]["text/html"] and "val F1 0.250" in first.content["data"]["text/html"]

    assert progress.handle(report(2, loss=0.4)) is None  # too soon after the last redraw
    assert [m.content["transient"]["display_id"] for m in progress.flush()] == [display_id]
    assert progress.flush() == []

    end = progress.handle({"kind": "end", "command": 0, "line": 1, "steps": 10, "objective": 0.3,
                           "stop_reason": "epochs"})
    html = end.content["data"]["text/html"]
    assert end.type == "update_display_data" and "100%" in html and "step 10 of 10" in html
    assert "done (epochs)" in html
    assert "val F1 0.250" in html, "the last F1 stays shown"


def test_a_training_that_converged_early_says_how_many_steps_it_took():
    progress = CellProgress(Clock())
    progress.handle({"kind": "begin", "command": 0, "line": 1, "title": "t", "total": 1000})
    end = progress.handle({"kind": "end", "command": 0, "line": 1, "steps": 23, "stop_reason": "converged"})
    html = end.content["data"]["text/html"]
    assert "23 steps" in html and "of 1000" not in html and "done (converged)" in html


def test_a_cell_that_ended_early_marks_its_running_displays():
    progress = CellProgress(Clock())
    progress.handle({"kind": "begin", "command": 0, "line": 1, "title": "t", "total": 10})
    progress.handle({"kind": "begin", "command": 1, "line": 2, "title": "u", "total": 10})
    progress.handle({"kind": "end", "command": 0, "line": 1, "steps": 10})
    [last] = progress.flush("cancelled")
    assert "cancelled" in last.content["data"]["text/html"] and "done" not in last.content["data"]["text/html"]
    assert progress.flush("failed") == [], "nothing left to mark"


def test_each_long_command_of_a_cell_gets_its_own_display():
    progress = CellProgress(Clock())
    one = progress.handle({"kind": "begin", "command": 0, "line": 1, "title": "a"})
    two = progress.handle({"kind": "begin", "command": 2, "line": 3, "title": "b"})
    assert one.type == two.type == "display_data"
    assert one.content["transient"]["display_id"] != two.content["transient"]["display_id"]


def test_titles_are_escaped():
    progress = CellProgress(Clock())
    begin = progress.handle({"kind": "begin", "command": 0, "line": 1, "title": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in begin.content["data"]["text/html"]
