"""A live progress bar for the daemon's jobs (``dataset/load``, ``model/train``,
``experiment/compare``, ``experiment/sweep``, ``experiment/tune``): ``tqdm.auto`` (a widget in
Jupyter, text in a terminal) fed by the request's ``$/progress`` notifications (begin, reports, end).

A training's reports carry ``step`` and ``total``: the bar counts steps, with the loss and the
validation F1 in its postfix. A tuning's carry ``fit`` and ``total``: the bar counts fits, with the
candidate and the stage (selection, estimate, final) beside it. Other jobs report a
``percentage``: the bar counts to 100, with the arm (``experiment/compare``) or message beside it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """Call it with each ``$/progress`` value; ``close()`` when the request is answered."""

    def __init__(self, method: str):
        self.method = method
        self._bar: Any = None
        self._counts_steps: bool | None = None  # steps or fits (``_unit``), else a percentage
        self._unit = "steps"
        self._postfix: dict[str, Any] = {}  # kept across reports: not every report has validation figures

    def __call__(self, value: Any) -> None:
        if not isinstance(value, dict):
            return
        kind = value.get("kind")
        if kind == "begin":
            self._open(value.get("title") or self.method)
            if self.method == "experiment/tune" and isinstance(value.get("total"), int):
                self._counts_steps, self._unit = True, "fits"  # the fits planned: counted from the start
                self._bar.total, self._bar.unit = value["total"], "fits"
                self._bar.refresh()
        elif kind == "report":
            if self._bar is None:
                self._open(self.method)
            self._report(value)
        elif kind == "end" and self._bar is not None:
            if self._counts_steps and self._unit == "steps" and isinstance(value.get("steps"), int):
                self._bar.total = value["steps"]  # stopped early: the bar ends full, at the step it stopped
                self._bar.n = value["steps"]
            elif not self._counts_steps or self._unit == "fits":
                self._bar.n = self._bar.total
            if value.get("winner") is not None:
                self._postfix = {"winner": value["winner"]}
                self._bar.set_postfix(self._postfix, refresh=False)
            self._bar.refresh()

    def _open(self, title: str) -> None:
        from tqdm.auto import tqdm

        self.close()
        self._postfix = {}
        self._bar = tqdm(total=100, desc=title, unit="%", dynamic_ncols=True, leave=True,
                         bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} {unit} [{elapsed}<{remaining}{postfix}]")

    def _report(self, value: dict) -> None:
        bar = self._bar
        total = value.get("total")
        unit = "fits" if isinstance(value.get("fit"), int) and "candidate" in value else "steps"
        step = value.get("fit" if unit == "fits" else "step")
        counts_steps = isinstance(step, int) and isinstance(total, int) and "arm" not in value
        if self._counts_steps is None and (counts_steps or "percentage" in value):
            self._counts_steps = counts_steps
            if counts_steps:
                self._unit = unit
                bar.unit = unit
        if self._counts_steps and counts_steps:
            bar.total = total
            bar.n = step
        elif not self._counts_steps and isinstance(value.get("percentage"), (int, float)):
            bar.n = min(100.0, float(value["percentage"]))
        postfix = self._postfix
        if value.get("arm") is not None:
            postfix["arm"] = value["arm"]
        if value.get("candidate") is not None:
            postfix["candidate"] = value["candidate"]
        if value.get("stage") is not None:
            postfix["stage"] = value["stage"]
        if isinstance(value.get("loss"), (int, float)):
            postfix["loss"] = f"{value['loss']:.4g}"
        validation = value.get("validation")
        if isinstance(validation, dict) and isinstance(validation.get("f1"), (int, float)):
            postfix["val_f1"] = f"{validation['f1']:.3f}"
        if unit == "steps" and value.get("fit") is not None and value.get("value") is not None:
            postfix["value"] = value["value"]
        if value.get("message"):
            postfix["at"] = value["message"]
        if postfix:
            bar.set_postfix(postfix, refresh=False)
        bar.refresh()

    @property
    def postfix(self) -> str:
        """What the bar shows after its counts (for tests)."""
        return "" if self._bar is None else (self._bar.postfix or "")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
