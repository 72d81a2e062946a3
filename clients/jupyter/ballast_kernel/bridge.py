"""The ``ballast --stdio`` child process: started on first use, started again when it has died,
spoken to in newline-delimited JSON-RPC (protocol/README.md section 11)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import threading
from typing import Any

from .calls import GONE, REPLY, Call, CallTable
from .reader import OutputReader, StderrTail

STOP_PATIENCE = 3.0  # seconds the bridge gets to finish after its input ends, before SIGTERM


def exited(pid: int) -> bool:
    """Whether the child `pid` has exited (a zombie, or already reaped), from /proc on Linux;
    False where there is no /proc to ask."""
    if not os.path.isdir("/proc/self"):
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")


class BridgeUnavailable(Exception):
    """The bridge could not be started, or it ended before it answered."""


class BridgeError(Exception):
    """A JSON-RPC error reply to one of the kernel's own lookups."""

    def __init__(self, error: dict) -> None:
        super().__init__(error.get("message", "the bridge answered with an error"))
        self.error = error


def ballast_binary() -> str:
    """``$BALLAST`` when set, else ``ballast`` on PATH."""
    configured = os.environ.get("BALLAST")
    if configured:
        if not os.access(configured, os.X_OK):
            raise BridgeUnavailable(f"$BALLAST is {configured}, which is not an executable file.")
        return configured
    found = shutil.which("ballast")
    if found is None:
        raise BridgeUnavailable(
            "No ballast binary: put `ballast` on PATH or set $BALLAST to its path "
            "(or register the kernel with `python -m ballast_kernel install --ballast PATH`).")
    return found


class _Process:
    """One running ``ballast --stdio``, its reader threads and its calls."""

    def __init__(self, binary: str) -> None:
        # Its own session: Jupyter interrupts the kernel with SIGINT to the kernel's process group,
        # and the bridge must not die of it; the kernel turns the interrupt into $/cancelRequest.
        self.popen = subprocess.Popen(
            [binary, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True)
        self.calls = CallTable()
        assert self.popen.stderr is not None
        self.stderr = StderrTail(self.popen.stderr)
        self.stderr.start()
        self.reader = OutputReader(self.popen, self.calls, self.stderr)
        self.reader.start()

    @property
    def alive(self) -> bool:
        # While the reader thread reaps the process, Popen.poll() cannot tell and says None: a
        # killed bridge would then take the next cell and fail it. /proc still tells.
        return self.popen.poll() is None and self.reader.is_alive() and not exited(self.popen.pid)

    def write(self, message: dict) -> None:
        assert self.popen.stdin is not None
        line = json.dumps(message, separators=(",", ":"), ensure_ascii=False) + "\n"
        self.popen.stdin.write(line.encode("utf-8"))
        self.popen.stdin.flush()

    def stop(self) -> None:
        """Ends its input (the bridge exits once it has answered what it relayed), then makes sure."""
        try:
            if self.popen.stdin is not None:
                self.popen.stdin.close()
        except OSError:
            pass
        try:
            self.popen.wait(timeout=STOP_PATIENCE)
        except subprocess.TimeoutExpired:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=STOP_PATIENCE)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.reader.join(timeout=STOP_PATIENCE)


class Bridge:
    """The kernel's way to ``ballast --stdio``: `call` sends a request and returns its `Call`,
    whose events the caller drains; `request` waits for a reply. Safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: _Process | None = None
        self._ids = itertools.count(1)

    def call(self, method: str, params: dict[str, Any], progress_token: str | None = None,
             partial_token: str | None = None) -> Call:
        """Sends one request; the bridge (re)starts first when it is not running. The tokens are
        the ones `params` carries, so that the `$/progress` sent under them reach this call."""
        call = Call(next(self._ids), method, progress_token, partial_token)
        message = {"jsonrpc": "2.0", "id": call.id, "method": method, "params": params}
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                try:
                    # Added before the write: the reply may come before the write returns.
                    if process.calls.add(call):
                        process.write(message)
                        break
                    problem = "it had ended"
                except OSError as error:
                    problem = f"it could not be written to ({error})"
                    process.calls.discard(call)
                # It died before taking this request (its reader may not have noticed yet):
                # nothing ran, so a new bridge gets it once more.
                process.stop()
                self._process = None
                if attempt == 2:
                    call.events.put((GONE, f"ballast --stdio did not take the request: {problem}."))
        return call

    def cancel(self, call: Call) -> None:
        """`$/cancelRequest` for `call` (the bridge cancels what its command waits on)."""
        with self._lock:
            if self._process is None:
                return
            try:
                self._process.write({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": call.id}})
            except OSError:
                pass  # it has ended: the call learns so from the reader

    def request(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        """The result of one request, waiting at most `timeout` seconds. Raises BridgeError for an
        error reply and BridgeUnavailable when the bridge ended or did not answer in time."""
        call = self.call(method, params)
        event = call.next_event(timeout)
        if event is None:
            raise BridgeUnavailable(f"ballast --stdio did not answer {method} within {timeout:g} s.")
        kind, payload = event
        if kind == GONE:
            raise BridgeUnavailable(payload)
        assert kind == REPLY
        if "error" in payload:
            raise BridgeError(payload["error"])
        return payload.get("result")

    def restart(self) -> None:
        """Stops the bridge (its waiting calls learn it has gone); the next call starts a new one."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            process.stop()

    def close(self) -> None:
        self.restart()

    def _running(self) -> _Process:
        if self._process is None or not self._process.alive:
            if self._process is not None:
                self._process.stop()
            self._process = _Process(ballast_binary())
        return self._process
