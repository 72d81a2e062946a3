"""Fixtures: a real ballastd per test, started as a subprocess on 127.0.0.1 with ephemeral ports.

The binary is ``$BALLASTD`` when set, else ``<repo>/.build/debug/ballastd``
(build it with ``swift build --product ballastd`` at the repository root).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ballast_client import Client, ConnectionInfo
from helpers import REPO


def daemon_binary() -> Path:
    explicit = os.environ.get("BALLASTD")
    path = Path(explicit) if explicit else REPO / ".build" / "debug" / "ballastd"
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"ballastd not found at {path}: build it with `swift build --product ballastd` "
                    "at the repository root, or set BALLASTD to the binary.", pytrace=False)
    return path


class Daemon:
    """A running ballastd and its connection file."""

    def __init__(self, folder: Path, *extra: str):
        self.connection_file = folder / "ballast" / "conn.json"
        self.log_path = folder / "ballastd.log"
        self._log = open(self.log_path, "wb")
        # Each daemon keeps its workspace in its own folder, never the user's state directory.
        state = [] if "--ephemeral" in extra or "--state-dir" in extra else ["--state-dir", str(folder / "state")]
        command = [str(daemon_binary()), "--connection-file", str(self.connection_file), *state, *extra]
        deadline = time.monotonic() + 60
        while True:
            try:
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                                stderr=subprocess.STDOUT)
                break
            except OSError as error:  # the binary is being rebuilt right now: wait for the linker
                if error.errno != errno.ETXTBSY or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        self.info = self._wait_for_file(10.0)
        # The connection file is written before the daemon installs its SIGTERM handling (see
        # test_lifecycle.py::test_sigterm_right_after_start); one control round trip lets it finish.
        with Client(self.info) as client:
            assert client.control("ping", timeout=10)["pong"] is True

    def _wait_for_file(self, limit: float) -> ConnectionInfo:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"ballastd exited with {self.process.returncode} before writing "
                                     f"its connection file:\n{self.log()}")
            if self.connection_file.exists():
                try:
                    info = ConnectionInfo.load(self.connection_file)
                except Exception:  # noqa: BLE001 - written atomically, but be patient anyway
                    info = None
                if info is not None and info.pid == self.process.pid:
                    return info
            time.sleep(0.02)
        self.process.kill()
        raise AssertionError(f"ballastd wrote no connection file within {limit} s:\n{self.log()}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def raw_connection_file(self) -> dict:
        return json.loads(self.connection_file.read_text(encoding="utf-8"))

    def client(self, **options) -> Client:
        return Client(self.info, **options)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float = 15.0) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"ballastd did not exit within {timeout} s:\n{self.log()}")

    def terminate(self, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture
def start_daemon(tmp_path_factory):
    """Factory: ``start_daemon()`` starts a fresh daemon; each is stopped with SIGTERM at teardown,
    which must end it with status 0 (unless the test already stopped it and checked its status)."""
    started: list[Daemon] = []

    def start(*extra: str) -> Daemon:
        daemon = Daemon(tmp_path_factory.mktemp("daemon"), *extra)
        started.append(daemon)
        return daemon

    yield start
    failures = []
    for daemon in started:
        try:
            was_running = daemon.process.poll() is None
            status = daemon.terminate()
            if was_running and status != 0:
                failures.append(f"ballastd {daemon.pid} exited with {status} on SIGTERM:\n{daemon.log()}")
        finally:
            daemon.close()
    assert not failures, "\n".join(failures)


@pytest.fixture
def daemon(start_daemon) -> Daemon:
    return start_daemon()


@pytest.fixture
def client(daemon):
    with daemon.client() as c:
        yield c


@pytest.fixture(autouse=True)
def private_state_directory(tmp_path, monkeypatch):
    """A daemon a test starts through the library (``connect(start=True)``) keeps its workspace in
    the test's folder: never the user's state directory, and never one another test holds."""
    monkeypatch.setenv("BALLAST_STATE_DIR", str(tmp_path / "launched-state"))
