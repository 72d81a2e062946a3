"""Fixtures for the `ballast` command-line client's tests: each test gets its own daemon.

`ballast` finds (or starts) its daemon through ``$BALLAST_CONNECTION_FILE``; every test points it
at a fresh temporary folder, so the first command starts a private ``ballastd`` (from
``$BALLASTD``), and the fixture stops it with ``ballast stop`` at teardown. The binaries are
``$BALLAST`` and ``$BALLASTD``, else ``<repo>/.build/debug/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def binary(variable: str, name: str) -> str:
    path = Path(os.environ.get(variable) or REPO / ".build" / "debug" / name)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{name} not found at {path}: run `swift build` or set {variable}.", pytrace=False)
    return str(path)


class Env:
    """A private daemon's environment, and helpers to run `ballast` in it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ballast = binary("BALLAST", "ballast")
        self.vars = dict(os.environ)
        self.vars.update({
            "BALLAST_CONNECTION_FILE": str(folder / "run" / "ballastd.json"),
            "BALLASTD": binary("BALLASTD", "ballastd"),
            "BALLAST_HISTORY": str(folder / "state" / "history"),
            "BALLAST_STATE_DIR": str(folder / "workspace"),
            "HOME": str(folder / "home"),
            "TERM": "xterm",
        })
        self.vars.pop("NO_COLOR", None)
        (folder / "home").mkdir()

    def run(self, *args: str, input: str | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([self.ballast, *args], input=input, capture_output=True, text=True,
                              env=self.vars, cwd=cwd or self.folder, timeout=timeout)

    def script(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text)
        return path

    def stop(self) -> None:
        subprocess.run([self.ballast, "stop"], env=self.vars, capture_output=True, timeout=30)
        # Wait for the daemon to remove its connection file, so nothing outlives the test.
        connection = Path(self.vars["BALLAST_CONNECTION_FILE"])
        deadline = time.monotonic() + 10
        while connection.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture
def env(tmp_path: Path):
    environment = Env(tmp_path)
    yield environment
    environment.stop()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
