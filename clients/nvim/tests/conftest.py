"""Fixtures for the Neovim plugin's tests: a real headless Neovim with the plugin, a real daemon.

Each test gets a private daemon: ``$BALLAST_CONNECTION_FILE`` and ``$BALLAST_STATE_DIR`` point into
its temporary folder, so the bridge (``$BALLAST --stdio``, which the plugin starts) starts a
``ballastd`` (``$BALLASTD``) of its own; the fixture stops it with ``ballast stop`` at teardown.
Neovim is ``nvim --embed --headless -u NONE -i NONE`` (``$BALLAST_TEST_NVIM`` names another) with ``clients/nvim`` on its runtimepath,
filetype plugins, syntax and ``plugin/ballast.lua`` on, and ``vim.notify`` recording what it says
(Neovim's own is kept as ``_G.builtin_notify``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pynvim
import pytest

PLUGIN = Path(__file__).resolve().parents[1]
REPO = PLUGIN.parents[1]
HANG = 120.0  # seconds: only catches a hang, never part of what a test checks
sys.path.insert(0, str(REPO / "protocol" / "examples"))  # the golden matcher, matching.py


def binary(variable: str, name: str) -> str:
    path = Path(os.environ.get(variable) or REPO / ".build" / "debug" / name)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{name} not found at {path}: run `swift build` or set {variable}.", pytrace=False)
    return str(path)


class Daemon:
    """A private daemon's environment (the plugin's bridge finds or starts the daemon in it)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ballast = binary("BALLAST", "ballast")
        self.vars = {
            "BALLAST": self.ballast,
            "BALLASTD": binary("BALLASTD", "ballastd"),
            "BALLAST_CONNECTION_FILE": str(folder / "run" / "ballastd.json"),
            "BALLAST_STATE_DIR": str(folder / "workspace"),
            "BALLAST_HISTORY": str(folder / "history"),
        }

    def stop(self) -> None:
        environment = dict(os.environ, **self.vars)
        subprocess.run([self.ballast, "stop"], env=environment, capture_output=True, timeout=30)
        connection = Path(self.vars["BALLAST_CONNECTION_FILE"])
        deadline = time.monotonic() + 10
        while connection.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture
def daemon(tmp_path: Path):
    environment = Daemon(tmp_path)
    yield environment
    environment.stop()


SETUP = f"""
set rtp^={PLUGIN}
set columns=160 lines=50
filetype plugin on
syntax on
runtime plugin/ballast.lua
lua _G.notes = {{}}
lua _G.builtin_notify = vim.notify
lua vim.notify = function(message, level) table.insert(_G.notes, {{message = message, level = level or 2}}) end
"""


@pytest.fixture
def nvim(daemon, tmp_path: Path, monkeypatch):
    program = os.environ.get("BALLAST_TEST_NVIM") or "nvim"
    if shutil.which(program) is None:
        pytest.fail(f"{program} not found: `apt-get install neovim` (scripts/install-deps.sh does).", pytrace=False)
    for name, value in daemon.vars.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    editor = pynvim.attach("child", argv=[program, "--embed", "--headless", "-u", "NONE", "-i", "NONE", "-n"])
    for line in SETUP.strip().splitlines():
        editor.command(line)
    yield editor
    try:
        editor.command("qa!")
    except Exception:  # Neovim ends while answering; that is the point.
        pass
    editor.close()


def wait_until(condition, what: str, bound: float = HANG):
    """Polls ``condition()`` until it is truthy and returns it; fails after ``bound`` (a hang)."""
    deadline = time.monotonic() + bound
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what} after {bound:.0f} s")
        time.sleep(0.05)


def results_lines(editor) -> list[str]:
    """The results buffer's lines ([] before it exists)."""
    return editor.exec_lua("""
        local buf = vim.fn.bufnr("ballast://results")
        if buf < 0 then return {} end
        return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    """)


def busy(editor) -> int:
    return editor.exec_lua("return require('ballast.execute').busy()")


def run(editor, command: str) -> list[str]:
    """`:Ballast COMMAND`, waiting for its reply; returns the results buffer's lines."""
    editor.command(f"Ballast {command}")
    wait_until(lambda: busy(editor) == 0, f"the reply to `{command}`")
    return results_lines(editor)


def notes(editor) -> list[dict]:
    return editor.exec_lua("return _G.notes")
