"""Finding a live daemon, or starting one, as ``ballast`` does (Sources/BallastClient/DaemonLauncher.swift).

A connection file is removed only when its daemon's process is gone (:func:`remove_stale_file`).
A daemon that lives but does not answer is reported (:class:`DaemonNotAnswering`), never cut off:
a second daemon started beside it could not serve, since the first holds the daemon lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

from .connection import ConnectionFileError, ConnectionInfo, default_connection_path
from .liveness import daemon_process_is_gone, is_loopback, local_pid

__all__ = ["DaemonNotAnswering", "DaemonUnavailable", "connect", "live_daemon", "remove_stale_file"]

PING_TIMEOUT = 2.0  # seconds a daemon found through its file has to answer, as in Swift


class DaemonUnavailable(ConnectionError):
    """No daemon answers at the connection file, and none could be (or was allowed to be) started."""


class DaemonNotAnswering(DaemonUnavailable):
    """The connection file names a daemon that may live (its process exists, or it is on another
    machine) but did not answer a control ``ping``; nothing was started in its place. ``pid`` is its
    process id when it is on this machine."""

    def __init__(self, info: ConnectionInfo, path: Path):
        self.pid = local_pid(info)
        self.connection_file = path
        wait = f"no ping reply within {PING_TIMEOUT:g} s"
        if self.pid is None:
            message = (f"The daemon at {info.ip} named in {path} is not answering ({wait}); no local daemon is "
                       "started in its place. Check that daemon, or give another connection_file.")
        else:
            message = (f"The daemon (pid {self.pid}) named in {path} is running but not answering ({wait}); "
                       f"stop it with 'ballast stop' or 'kill {self.pid}', then try again.")
        super().__init__(message)


def _answers_ping(info: ConnectionInfo, timeout: float) -> bool:
    from .client import Client

    try:
        with Client(info, linger_ms=0) as client:
            client.control("ping", timeout=timeout)
    except Exception:  # noqa: BLE001 - a timeout, a gone daemon or an error reply: no proper answer
        return False
    return True


def _find(path: Path, timeout: float = PING_TIMEOUT) -> tuple[str, ConnectionInfo | None]:
    """``("live", info)``; ``("none", None)`` for no file, an unreadable one or one whose local
    process is gone; ``("not_answering", info)`` for a daemon that may live but did not answer."""
    try:
        info = ConnectionInfo.load(path)
    except ConnectionFileError:
        return "none", None
    if daemon_process_is_gone(info):
        return "none", None
    if _answers_ping(info, timeout):
        return "live", info
    # A loopback file without a pid cannot be judged: the daemon lock keeps a second daemon from
    # serving beside a first, so starting one is safe.
    if local_pid(info) is not None or not is_loopback(info.ip):
        return "not_answering", info
    return "none", None


def live_daemon(path: str | os.PathLike[str] | None = None, *, timeout: float = PING_TIMEOUT) -> ConnectionInfo | None:
    """The connection file's info when its daemon answers a control ``ping`` within ``timeout`` seconds."""
    from .client import check_timeout

    check_timeout(timeout)
    kind, info = _find(Path(path) if path is not None else default_connection_path(), timeout)
    return info if kind == "live" else None


def _usable(path: Path) -> ConnectionInfo | None:
    kind, info = _find(path)
    if kind == "not_answering":
        raise DaemonNotAnswering(info, path)
    return info


def remove_stale_file(path: str | os.PathLike[str]) -> int | None:
    """Removes a connection file whose daemon's process is gone; returns that process's id. The one
    place this client removes a connection file: a file whose process lives (or is on another
    machine, where it cannot be looked at) is left alone."""
    try:
        info = ConnectionInfo.load(path)
    except ConnectionFileError:
        return None
    if not daemon_process_is_gone(info):
        return None
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return info.pid


def connect(connection_file: str | os.PathLike[str] | None = None, *, start: bool = True,
            daemon: str | os.PathLike[str] | None = None, timeout: float = 20.0,
            name: str = "ballast_client", version: str | None = None):
    """An initialized :class:`~ballast_client.Client` of the daemon at ``connection_file`` (default
    location when None). When none runs there (never started, stopped, or killed and its file left
    behind) and ``start`` is true, starts ``ballastd`` in the background (``daemon``, else
    ``$BALLASTD``, else ``ballastd`` on ``PATH``) and waits up to ``timeout`` seconds for it.
    Raises :class:`DaemonNotAnswering` for a daemon that lives but does not answer, and
    :class:`DaemonUnavailable` saying how to start one otherwise."""
    from .client import Client, check_timeout

    check_timeout(timeout)
    path = Path(connection_file) if connection_file is not None else default_connection_path()
    info = _usable(path)
    if info is None:
        if not start:
            raise DaemonUnavailable(f"No daemon is running at {path}. Start one with "
                                    f"'ballastd --connection-file {path}', or call connect(start=True).")
        info = _start(path, daemon, timeout)
    client = Client(info)
    try:
        client.initialize(name, version)
    except BaseException:
        client.close()
        raise
    return client


def _open_private(path: Path, flags: int, what: str) -> int:
    """A descriptor for ``path``, created with mode 0600 from the start, never through a link."""
    try:
        return os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        link = " (a symbolic link there is refused; remove it)" if error.errno == errno.ELOOP else ""
        raise DaemonUnavailable(f"Could not open {what} {path}: {error.strerror or error}{link}.") from error


def _start(path: Path, daemon: str | os.PathLike[str] | None, timeout: float) -> ConnectionInfo:
    executable = str(daemon) if daemon else os.environ.get("BALLASTD") or shutil.which("ballastd")
    if not executable:
        raise DaemonUnavailable("Could not find the ballastd executable: pass daemon=, set BALLASTD or put it on PATH.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The same lock file as `ballast`, so that two clients starting at once start one daemon.
    lock = _open_private(Path(f"{path}.lock"), os.O_RDWR, "the start lock")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = _usable(path)  # another client may have started one meanwhile
        if info is not None:
            return info
        remove_stale_file(path)
        log_path = path.with_suffix(".log")
        log = _open_private(log_path, os.O_WRONLY | os.O_APPEND, "the daemon's log")
        try:
            log_start = os.fstat(log).st_size
            process = subprocess.Popen([executable, "--connection-file", str(path)], stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            os.close(log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = live_daemon(path)
            if info is not None:
                return info
            status = process.poll()
            if status is not None:
                # Most often another daemon holds the daemon lock: say so now, not after `timeout`.
                printed = _printed_since(log_path, log_start)
                raise DaemonUnavailable(f"Started {executable}, but it exited at once with status {status}"
                                        + (f": {printed}" if printed else f"; see {log_path}."))
            time.sleep(0.05)
    finally:
        os.close(lock)
    raise DaemonUnavailable(f"Started {executable} but it did not answer within {timeout:g} s; see {log_path}.")


def _printed_since(log_path: Path, offset: int) -> str:
    """What the daemon wrote to its log from ``offset`` on, at most 4 KiB, trimmed."""
    try:
        fd = os.open(log_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, 4096).decode("utf-8", errors="replace").strip()
    finally:
        os.close(fd)
