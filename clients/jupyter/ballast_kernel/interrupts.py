"""Jupyter interrupts the kernel with SIGINT (kernelspec `interrupt_mode: signal`). While a cell
runs, the kernel counts them instead of letting KeyboardInterrupt fly from wherever the main
thread happens to be: its wait loop turns each new one into a `$/cancelRequest`."""

from __future__ import annotations

import signal
import threading
from types import FrameType


class InterruptCounter:
    """Counts SIGINTs between `__enter__` and `__exit__` (the handler before is restored after).
    Signals reach Python's main thread only; elsewhere it counts nothing and changes nothing."""

    def __init__(self) -> None:
        self.count = 0
        self._previous = None
        self._installed = False

    def __enter__(self) -> "InterruptCounter":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._caught)
            self._installed = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _caught(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
