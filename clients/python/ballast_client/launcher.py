"""Finding a live daemon, or starting one, as ``ballast`` does (Sources/BallastClient/DaemonLauncher.swift)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

from .connection import ConnectionFileError, ConnectionInfo, default_connection_path
from .liveness import process_is_gone

__all__ = ["DaemonUnavailable", "connect", "live_daemon"]


class DaemonUnavailable(ConnectionError):
    """No daemon answers at the connection file, and none could be (or was allowed to be) started."""


def live_daemon(path: str | os.PathLike[str] | None = None, *, timeout: float = 2.0) -> ConnectionInfo | None:
    """The connection file's info when its daemon process exists and answers a control ``ping``."""
    from .client import Client, RPCTimeout

    try:
        info = ConnectionInfo.load(path)
    except ConnectionFileError:
        return None
    if isinstance(info.pid, int) and process_is_gone(info.pid):
        return None
    try:
        with Client(info, linger_ms=0) as client:
            client.control("ping", timeout=timeout)
    except (RPCTimeout, ConnectionError, OSError):
        return None
    except Exception:  # noqa: BLE001 - an error reply still proves nothing is listening properly
        return None
    return info


def connect(connection_file: str | os.PathLike[str] | None = None, *, start: bool = True,
            daemon: str | os.PathLike[str] | None = None, timeout: float = 20.0,
            name: str = "ballast_client", version: str | None = None):
    """An initialized :class:`~ballast_client.Client` of the daemon at ``connection_file`` (default
    location when None). When none answers there (never started, stopped, or killed and its file
    left behind) and ``start`` is true, starts ``ballastd`` in the background (``daemon``, else
    ``$BALLASTD``, else ``ballastd`` on ``PATH``) and waits up to ``timeout`` seconds for it.
    Raises :class:`DaemonUnavailable` saying how to start one otherwise."""
    from .client import Client

    path = Path(connection_file) if connection_file is not None else default_connection_path()
    info = live_daemon(path)
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


def _start(path: Path, daemon: str | os.PathLike[str] | None, timeout: float) -> ConnectionInfo:
    executable = str(daemon) if daemon else os.environ.get("BALLASTD") or shutil.which("ballastd")
    if not executable:
        raise DaemonUnavailable("Could not find the ballastd executable: pass daemon=, set BALLASTD or put it on PATH.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The same lock file as `ballast`, so that two clients starting at once start one daemon.
    with open(f"{path}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = live_daemon(path)
        if info is not None:
            return info
        if path.exists():
            path.unlink()  # a dead daemon's file
        log_path = path.with_suffix(".log")
        with open(log_path, "ab") as log:
            os.chmod(log_path, 0o600)
            subprocess.Popen([executable, "--connection-file", str(path)], stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = live_daemon(path)
            if info is not None:
                return info
            time.sleep(0.05)
    raise DaemonUnavailable(f"Started {executable} but it did not answer within {timeout:g} s; see {log_path}.")
