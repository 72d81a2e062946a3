"""The threads that read a ``ballast --stdio`` process's output: one line of JSON at a time from
standard output into its calls, and the last lines of standard error to explain an early exit."""

from __future__ import annotations

import collections
import json
import subprocess
import threading
from typing import IO

from .calls import CallTable

STDERR_LINES_KEPT = 20


class StderrTail(threading.Thread):
    """Keeps the last lines the bridge wrote to standard error (why it could not reach a daemon)."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(name="ballast-bridge-stderr", daemon=True)
        self._stream = stream
        self._lines: collections.deque[str] = collections.deque(maxlen=STDERR_LINES_KEPT)
        self._lock = threading.Lock()

    def run(self) -> None:
        for raw in self._stream:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace").rstrip())

    def text(self) -> str:
        with self._lock:
            return "\n".join(line for line in self._lines if line)


class OutputReader(threading.Thread):
    """Reads the bridge's standard output to its end, routing each line to `calls`; at the end it
    closes `calls` with a sentence saying how the process ended."""

    def __init__(self, process: subprocess.Popen, calls: CallTable, stderr: StderrTail) -> None:
        super().__init__(name="ballast-bridge-stdout", daemon=True)
        self._process = process
        self._calls = calls
        self._stderr = stderr

    def run(self) -> None:
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue  # not ours to understand; the bridge writes only JSON lines
            if isinstance(message, dict):
                self._calls.deliver(message)
        self._calls.close(self._ending())

    def _ending(self) -> str:
        try:
            status = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        self._stderr.join(timeout=2)
        said = self._stderr.text()
        how = "closed its output" if status is None else f"exited with status {status}"
        return f"ballast --stdio {how}" + (f": {said}" if said else ".")
