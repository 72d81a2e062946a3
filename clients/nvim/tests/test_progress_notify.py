"""Progress through vim.notify: only for commands that run a while, ending with how they ended."""

from __future__ import annotations

from conftest import notes, run


def progress_notes(nvim) -> list[str]:
    return [note["message"] for note in notes(nvim) if "elapsed" in note["message"] or " of " in note["message"]]


def test_a_short_training_leaves_no_progress_bar_behind(nvim):
    run(nvim, "generate fraud rows=3000 seed=1 as cards")
    run(nvim, "split cards test=0.3 val=0.2 seed=0")
    run(nvim, "train cards.train as quick")
    messages = [note["message"] for note in notes(nvim)]
    # A bar is never the last thing said: either nothing (it was short) or its "done" line.
    assert not messages or ("elapsed" not in messages[-1] and "░" not in messages[-1]), messages


def test_a_short_training_leaves_no_bar_in_messages_with_neovims_own_notify(nvim):
    nvim.exec_lua("vim.notify = _G.builtin_notify")
    run(nvim, "generate fraud rows=3000 seed=1 as cards")
    run(nvim, "split cards test=0.3 val=0.2 seed=0")
    run(nvim, "train cards.train as quick")
    messages = nvim.api.exec("messages", True).strip().splitlines()
    assert not [line for line in messages if "elapsed" in line or "░" in line], messages


FEED = """
local progress = require("ballast.progress")
local now = 0
progress.clock = function() return now end
local function report(t, kind, text)
  now = t
  progress.handle({token = "t", value = {kind = kind, command = 0, line = 1, text = text}})
end
progress.watch("t", function() end)
report(0, "begin", "bar at 0")
report(1500, "report", "bar at 1.5 s")
report(2500, "report", "bar at 2.5 s")
report(3000, "report", "bar at 3 s")
report(4600, "report", "bar at 4.6 s")
report(5000, "end", "")
now = 5100
progress.finished("t", 0, {command = "train", line = 1, text = "table"}, "train")
progress.unwatch("t")
"""


def test_a_long_command_is_notified_after_two_seconds_throttled_and_ends_with_done(nvim):
    nvim.exec_lua(FEED)
    messages = [note["message"] for note in notes(nvim)]
    assert messages == ["ballast: bar at 2.5 s", "ballast: bar at 4.6 s", "ballast: train done after 5.1 s"], messages


def test_with_neovims_own_notify_bars_stay_out_of_messages_and_done_goes_in(nvim):
    nvim.exec_lua("vim.notify = _G.builtin_notify")
    nvim.exec_lua(FEED)
    messages = nvim.api.exec("messages", True).strip().splitlines()
    assert "ballast: train done after 5.1 s" in messages, messages
    assert not [line for line in messages if "bar at" in line], messages
