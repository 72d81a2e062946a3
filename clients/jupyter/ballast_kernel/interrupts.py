"""Jupyter interrupts the kernel with SIGINT (kernelspec `interrupt_mode: signal`). While the kernel
handles a request, it counts them instead of letting KeyboardInterrupt fly from wherever the main
thread happens to be (ipykernel's default), so every request still gets its reply: a running cell's
wait loop turns each new one into a `$/cancelRequest`; a lookup is short and bounded anyway."""

from __future__ import annotations

import signal
import threading
from types import FrameType


class InterruptCounter:
    """Counts SIGINTs between `install` and `restore` (the handler before is put back after).
    Signals reach Python's main thread only; elsewhere it counts nothing and changes nothing."""

    def __init__(self) -> None:
        self.count = 0
        self._previous = None
        self._installed = False

    def install(self) -> None:
        if not self._installed and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._caught)
            self._installed = True

    def restore(self) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _caught(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
