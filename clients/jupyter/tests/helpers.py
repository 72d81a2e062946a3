"""What the kernel's tests share: paths, the binaries, a private daemon, a kernel to talk to."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

HERE = Path(__file__).resolve().parent
CLIENT = HERE.parent
REPO = CLIENT.parents[1]
HANG = 120  # seconds: only catches a hang
sys.path.insert(0, str(REPO / "protocol" / "examples"))  # the golden matcher, matching.py


def binary(variable: str, name: str) -> str:
    path = Path(os.environ.get(variable) or REPO / ".build" / "debug" / name)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{name} not found at {path}: run `swift build --product {name}` or set ${variable}.",
                    pytrace=False)
    return str(path)


class PrivateDaemon:
    """The environment of a daemon of the test's own: its connection file and state folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.connection_file = folder / "run" / "ballastd.json"
        self.env = dict(os.environ)
        self.env.update({
            "BALLAST_CONNECTION_FILE": str(self.connection_file),
            "BALLAST_STATE_DIR": str(folder / "state"),
        })

    @classmethod
    def at(cls, folder: Path) -> "PrivateDaemon":
        return cls(folder)

    def stop(self) -> None:
        """`ballast stop`, then waits for the daemon to remove its connection file."""
        if not self.connection_file.exists():
            return
        subprocess.run([os.environ.get("BALLAST") or binary("BALLAST", "ballast"), "stop"],
                       env=self.env, capture_output=True, timeout=30)
        deadline = time.monotonic() + 10
        while self.connection_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


class KernelSession:
    """A real Ballast kernel (kernelspec `ballast`) and a blocking client to it."""

    def __init__(self, env: dict[str, str]):
        from jupyter_client.manager import KernelManager

        self.manager = KernelManager(kernel_name="ballast")
        self.manager.start_kernel(env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=HANG)

    def run(self, code: str, on_message: Callable[[dict], None] | None = None) -> tuple[dict, list[dict]]:
        """Executes one cell: its execute_reply and every iopub message it caused, in order."""
        messages: list[dict] = []

        def hook(message: dict) -> None:
            messages.append(message)
            if on_message is not None:
                on_message(message)

        reply = self.client.execute_interactive(code, output_hook=hook, timeout=HANG)
        return reply, messages

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)


def of_type(messages: list[dict], *types: str) -> list[dict]:
    return [message for message in messages if message["msg_type"] in types]


def content(message: dict) -> Any:
    return message["content"]
