"""Noticing, while a client waits, that its daemon has gone: exited, replaced, or stuck."""

from __future__ import annotations

import itertools
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

import zmq

from .connection import ConnectionFileError, ConnectionInfo
from .signing import sign, verify

__all__ = ["DaemonGone", "daemon_process_is_gone", "is_loopback", "local_pid", "process_is_gone", "Watch"]


class DaemonGone(ConnectionError):
    """The daemon exited, was replaced by another, or stopped answering while the client waited.

    ``reason`` is ``"exited"``, ``"replaced"`` or ``"unresponsive"``; ``pid`` the daemon's process id
    (when its connection file named one); ``waiting_for`` the method whose reply was awaited.
    """

    def __init__(self, reason: str, pid: int | None, waiting_for: str | None, connection_file: Path | None,
                 *, replaced_by: int | None = None, silent_s: float = 0.0):
        self.reason = reason
        self.pid = pid
        self.waiting_for = waiting_for
        self.connection_file = connection_file
        self.replaced_by = replaced_by
        daemon = f"The daemon (pid {pid})" if pid is not None else "The daemon"
        waiting = f" while '{waiting_for}' waited for its reply; the request is lost" if waiting_for else ""
        if reason == "exited":
            what = f"{daemon} has stopped{waiting}."
        elif reason == "replaced":
            other = f"another daemon (pid {replaced_by})" if replaced_by is not None else "another daemon"
            what = f"{daemon} was replaced by {other}{waiting}."
        else:
            end = f" (end it with 'kill {pid}')" if pid is not None else ""
            what = f"{daemon} has answered no ping for {round(silent_s)} s{waiting}; it seems stuck{end}."
        file = f" --connection-file {connection_file}" if connection_file is not None else ""
        self.advice = (f"Start a new one with ballast_client.connect(), 'ballastd{file}', "
                       "or any 'ballast' command, which starts one.")
        super().__init__(f"{what} {self.advice}")


def process_is_gone(pid: int) -> bool:
    """True when ``pid`` names no process, or a zombie (exited, never to serve again)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: it exists
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat[stat.rfind(")") + 1:].lstrip()[:1]
    return state in ("Z", "X")


def is_loopback(ip: str) -> bool:
    """The rule ``ballastd`` applies to ``--ip``: 127.0.0.0/8, ::1 and localhost."""
    return ip == "localhost" or ip == "::1" or ip.startswith("127.")


def local_pid(info: ConnectionInfo) -> int | None:
    """The daemon's pid when it names a process on this machine (a loopback address), else None: a
    daemon reached over the network has a pid of another machine, and is judged by pings alone."""
    return info.pid if isinstance(info.pid, int) and is_loopback(info.ip) else None


def daemon_process_is_gone(info: ConnectionInfo) -> bool:
    """True when the daemon's local process is known to be gone; False when that cannot be told
    (no pid, or a daemon on another machine)."""
    pid = local_pid(info)
    return pid is not None and process_is_gone(pid)


class Watch:
    """:meth:`check` (called every fraction of a second while a wait is silent) looks at the
    daemon's process (only for a daemon on a loopback address: another machine's pid means
    nothing here). Any message from the daemon is a sign of life (:meth:`heard`); after
    ``silence`` seconds without one, it also reads the connection file and sends a control
    ``ping`` every ``ping_interval`` on a socket of its own; ``failed_pings`` unanswered
    pings in a row (each allowed ``ping_timeout``) mean the daemon is stuck."""

    silence = 1.0
    ping_interval = 2.0
    ping_timeout = 2.0
    failed_pings = 3

    def __init__(self, info: ConnectionInfo, context: zmq.Context):
        self.info = info
        self.context = context
        self._socket: zmq.Socket | None = None
        self._ids = itertools.count(secrets.randbits(40))
        self._last_heard = time.monotonic()
        self._last_file_check = 0.0
        self._outstanding: tuple[int, float] | None = None
        self._last_ping = 0.0
        self._failures = 0

    def heard(self) -> None:
        self._last_heard = time.monotonic()
        self._failures = 0

    def check(self, waiting_for: str | None) -> DaemonGone | None:
        """A :class:`DaemonGone` to raise, or None while the daemon may still answer. Never blocks."""
        now = time.monotonic()
        pid, path = self.info.pid, self.info.path
        # A process that is gone is certain and cheap to see: look at once, not after `silence`.
        if daemon_process_is_gone(self.info):
            return DaemonGone("exited", pid, waiting_for, path)
        if now - self._last_heard < self.silence:
            return None
        if path is not None and now - self._last_file_check >= self.silence:
            self._last_file_check = now
            current = _read_quietly(path)
            if current is not None and (current.pid != pid or current.key != self.info.key):
                other = current.pid
                return DaemonGone("replaced", pid, waiting_for, path,
                                  replaced_by=other if isinstance(other, int) else None)
        return self._ping(now, waiting_for)

    def _ping(self, now: float, waiting_for: str | None) -> DaemonGone | None:
        if self._outstanding is not None:
            ping_id, sent = self._outstanding
            if self._pong(ping_id):
                self._outstanding = None
                self._failures = 0
            elif now - sent >= self.ping_timeout:
                self._outstanding = None
                self._failures += 1
                if self._failures >= self.failed_pings:
                    return DaemonGone("unresponsive", self.info.pid, waiting_for, self.info.path,
                                      silent_s=now - self._last_heard)
        if self._outstanding is None and now - self._last_ping >= self.ping_interval:
            ping_id = next(self._ids)
            payload = json.dumps({"jsonrpc": "2.0", "id": ping_id, "method": "ping"}, separators=(",", ":")).encode()
            try:
                self._control().send_multipart([sign(self.info.key, payload), payload], zmq.NOBLOCK)
            except zmq.ZMQError:
                return None
            self._outstanding = (ping_id, now)
            self._last_ping = now
        return None

    def _control(self) -> zmq.Socket:
        if self._socket is None:
            self._socket = self.context.socket(zmq.DEALER)
            self._socket.setsockopt(zmq.LINGER, 0)
            if self.info.is_ipv6:
                self._socket.setsockopt(zmq.IPV6, 1)
            self._socket.connect(self.info.control_endpoint)
        return self._socket

    def _pong(self, ping_id: int) -> bool:
        if self._socket is None:
            return False
        while self._socket.poll(0, zmq.POLLIN):
            frames = self._socket.recv_multipart()
            if len(frames) != 2 or not verify(self.info.key, frames[0], frames[1]):
                continue
            try:
                message: Any = json.loads(frames[1])
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("id") == ping_id:
                return True
        return False

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _read_quietly(path: Path) -> ConnectionInfo | None:
    """The connection file, or None when it is missing, unreadable or refused: a daemon that stops
    removes its file first and may still answer what it was doing. Read as every client reads it
    (:meth:`ConnectionInfo.load`): never through a link, nor when another user could have written it."""
    try:
        return ConnectionInfo.load(path)
    except ConnectionFileError:
        return None
