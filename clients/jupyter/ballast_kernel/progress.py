"""Live progress of a cell's long commands: one display per command, updated in place
(`update_display_data`) with a bar, step of N, loss and validation F1."""

from __future__ import annotations

import html
import time
import uuid
from typing import Any, Callable

from .outputs import Message

UPDATE_INTERVAL = 0.25  # seconds between two redraws of one display; begin and end always draw


class ProgressDisplay:
    """The display of one long command (`value["command"]`, the index of its output)."""

    def __init__(self, title: str) -> None:
        self.display_id = f"ballast-progress-{uuid.uuid4().hex}"
        self.title = title
        self.percentage: float | None = None
        self.step: int | None = None
        self.total: int | None = None
        self.loss: float | None = None
        self.f1: float | None = None
        self.text = title
        self.finished = False
        self.ending = "done"  # what a finished display says: done, done (converged), cancelled, failed
        self.drawn_at = 0.0
        self.dirty = False  # absorbed a value that is not drawn yet

    def absorb(self, value: dict[str, Any]) -> None:
        """Keeps what the value says; a report without loss or F1 leaves the last ones shown."""
        kind = value.get("kind")
        self.title = value.get("title") or self.title
        step, total = value.get("step", value.get("index")), value.get("total")
        if isinstance(total, int) and total > 0:
            self.total = total
        if isinstance(step, int):
            self.step = step
        if isinstance(value.get("percentage"), (int, float)):
            self.percentage = float(value["percentage"])
        elif self.step is not None and self.total:
            self.percentage = 100.0 * self.step / self.total
        if isinstance(value.get("loss"), (int, float)):
            self.loss = float(value["loss"])
        validation = value.get("validation")
        if isinstance(validation, dict) and isinstance(validation.get("f1"), (int, float)):
            self.f1 = float(validation["f1"])
        if kind == "end":
            self.finished = True
            self.percentage = 100.0
            if isinstance(value.get("steps"), int):
                self.step = value["steps"]
            reason = value.get("stop_reason")
            self.ending = "cancelled" if reason == "cancelled" else f"done ({reason})" if reason else "done"
            if isinstance(value.get("objective"), (int, float)):
                self.loss = float(value["objective"])
        if value.get("text"):
            self.text = str(value["text"])

    def bundle(self) -> dict[str, str]:
        return {"text/plain": self.text, "text/html": self.html()}

    def html(self) -> str:
        percent = max(0.0, min(100.0, self.percentage or 0.0))
        facts = [f"{percent:.0f}%"]
        if self.step is not None:
            # A training that converged early ends at step 23 "of" its limit of 1,000: say 23 steps.
            stopped_short = self.finished and self.total is not None and self.step < self.total
            facts.append(f"{self.step} steps" if stopped_short else
                         f"step {self.step}" + (f" of {self.total}" if self.total else ""))
        if self.loss is not None:
            facts.append(f"loss {self.loss:.4g}")
        if self.f1 is not None:
            facts.append(f"val F1 {self.f1:.3f}")
        if self.finished:
            facts.append(self.ending)
        colour = "#1976d2" if not self.finished else "#2e7d32" if self.ending.startswith("done") else "#9e9e9e"
        return (
            '<div class="ballast-progress" style="font-family:monospace;font-size:12px">'
            f'<div>{html.escape(self.title)}</div>'
            '<div style="display:inline-block;vertical-align:middle;width:240px;height:10px;'
            'background:#e0e0e0;border-radius:3px;overflow:hidden">'
            f'<div style="width:{percent:.1f}%;height:100%;background:{colour}"></div></div> '
            f'<span>{html.escape(" · ".join(facts))}</span></div>')


class CellProgress:
    """The progress displays of one cell: `handle` turns each `$/progress` value into the message
    to send (or None while a redraw would come too soon after the last)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._displays: dict[Any, ProgressDisplay] = {}
        self._clock = clock

    def handle(self, value: dict[str, Any]) -> Message | None:
        key = (value.get("command"), value.get("line"))
        display = self._displays.get(key)
        if display is None or value.get("kind") == "begin" and display.finished:
            display = ProgressDisplay(str(value.get("title") or value.get("text") or "working…"))
            self._displays[key] = display
            display.absorb(value)
            return self._draw(display, "display_data")
        display.absorb(value)
        if value.get("kind") != "end" and self._clock() - display.drawn_at < UPDATE_INTERVAL:
            display.dirty = True
            return None
        return self._draw(display, "update_display_data")

    def flush(self, ending: str | None = None) -> list[Message]:
        """The last state of each display whose last value was held back, now that the cell has
        ended; with `ending` (the cell was cancelled, or failed), the displays of commands that
        never reported their end say that instead of looking as if they still ran."""
        if ending is not None:
            for display in self._displays.values():
                if not display.finished:
                    display.finished, display.ending, display.dirty = True, ending, True
        return [self._draw(display, "update_display_data")
                for display in self._displays.values() if display.dirty]

    def _draw(self, display: ProgressDisplay, kind: str) -> Message:
        display.drawn_at = self._clock()
        display.dirty = False
        return Message(kind, {"data": display.bundle(), "metadata": {},
                               "transient": {"display_id": display.display_id}})
