"""What Ctrl-C (or Jupyter's interrupt) during a request raises: the request is cancelled
(``$/cancelRequest``), the client waits a few seconds for the daemon's answer, and raises
:class:`Interrupted`, a ``KeyboardInterrupt`` that carries what the work had done.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CANCEL_GRACE", "Interrupted", "CANCELLED"]

CANCELLED = -32800  # the daemon's answer to a cancelled request, with partial results in `data`
# How long an interrupted call waits for that answer. The daemon stops a training within one
# mini-batch or L-BFGS iteration; a second Ctrl-C stops waiting at once.
CANCEL_GRACE = 5.0


class Interrupted(KeyboardInterrupt):
    """A request interrupted by Ctrl-C (or Jupyter's interrupt) and cancelled.

    ``partial`` is the daemon's partial result (the ``data`` of its -32800 answer: for a training
    ``{run, steps, objective, validation?}``, for ``experiment/compare`` ``{rows}`` finished so
    far), or None when none came within the grace period. ``result`` is the full result when the
    request had finished before the cancellation reached it (nothing was lost), else None.
    ``method`` and ``request_id`` name the request. It is a ``KeyboardInterrupt``: code that
    stops on Ctrl-C still stops.
    """

    def __init__(self, method: str, request_id: Any, *, partial: Any = None, result: Any = None,
                 answered: bool = False):
        self.method = method
        self.request_id = request_id
        self.partial = partial
        self.result = result
        self.answered = answered  # whether the daemon's answer arrived within the grace period
        if result is not None:
            outcome = "it had finished: .result holds its result"
        elif not answered:
            outcome = "the daemon's answer did not arrive in time; the cancellation was sent"
        elif partial is not None:
            outcome = f"partial result: {_brief(partial)}"
        else:
            outcome = "no partial result"
        super().__init__(f"{method} (request {request_id!r}) interrupted and cancelled; {outcome}.")


def _brief(partial: Any) -> str:
    if isinstance(partial, dict):
        shown = {key: value for key, value in partial.items() if not isinstance(value, (list, dict))}
        for key, value in partial.items():
            if isinstance(value, list):
                shown[key] = f"{len(value)} items"
        return ", ".join(f"{key} {value}" for key, value in shown.items()) or "see .partial"
    return repr(partial)
