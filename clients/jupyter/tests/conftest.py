"""Fixtures for the Ballast kernel's tests: the real binaries, the kernelspec installed into a
temporary Jupyter path, and a private daemon per test.

The binaries are ``$BALLAST`` and ``$BALLASTD`` (``make test`` sets them to ``.build/debug/``),
else ``<repo>/.build/debug/``. Each test's daemon is its own: ``BALLAST_CONNECTION_FILE`` and
``BALLAST_STATE_DIR`` in the test's temporary folder, started by the first ``ballast`` that needs
it and stopped with ``ballast stop`` at teardown. Kernels get that environment; Jupyter's own
folders (kernelspecs, runtime files) point into a temporary folder too, so nothing is left in the
user's home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CLIENT, KernelSession, PrivateDaemon, binary


@pytest.fixture(scope="session", autouse=True)
def jupyter_sandbox(tmp_path_factory: pytest.TempPathFactory):
    """The binaries checked, the kernelspec installed with the package's own installer, and the
    environment every kernel and bridge of this session inherits."""
    ballast, ballastd = binary("BALLAST", "ballast"), binary("BALLASTD", "ballastd")
    root = tmp_path_factory.mktemp("jupyter")
    saved = dict(os.environ)
    os.environ.update({
        "BALLAST": ballast,
        "BALLASTD": ballastd,
        "JUPYTER_PATH": str(root / "share" / "jupyter"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CLIENT), saved.get("PYTHONPATH")])),
        # The daemon of any kernel started without a test's own environment: never the user's.
        "BALLAST_CONNECTION_FILE": str(root / "stray" / "ballastd.json"),
        "BALLAST_STATE_DIR": str(root / "stray" / "state"),
    })
    installed = subprocess.run([sys.executable, "-m", "ballast_kernel", "install", "--prefix", str(root)],
                               capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    try:
        yield root
    finally:
        PrivateDaemon.at(root / "stray").stop()
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def daemon(tmp_path: Path):
    """A private daemon for one test (started on first use by `ballast`)."""
    private = PrivateDaemon.at(tmp_path / "ballast")
    yield private
    private.stop()


@pytest.fixture
def kernel(daemon):
    """A Ballast kernel on the test's private daemon, with `cards` generated and split (20,000 rows)."""
    session = KernelSession(daemon.env)
    reply, _ = session.run("generate fraud rows=20000 seed=3 as cards\nsplit cards test=0.3 val=0.2 seed=0")
    assert reply["content"]["status"] == "ok"
    yield session
    session.close()
