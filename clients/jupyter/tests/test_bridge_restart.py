"""The kernel outlives its `ballast --stdio`: a bridge that died (killed here) is started again by
the next cell, which runs as if nothing happened; the daemon keeps its datasets."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from helpers import HANG, KernelSession, content, of_type


def bridges_of(kernel_pid: int) -> list[int]:
    """The `ballast --stdio` processes whose parent is the kernel (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == kernel_pid and b"--stdio" in argv:
            found.append(int(entry.name))
    return found


def test_a_dead_bridge_is_started_again_by_the_next_cell(daemon):
    kernel = KernelSession(daemon.env)
    try:
        reply, _ = kernel.run("generate fraud rows=2000 seed=1 as kept")
        assert reply["content"]["status"] == "ok"
        kernel_pid = kernel.manager.provisioner.process.pid
        [bridge] = bridges_of(kernel_pid)
        os.kill(bridge, signal.SIGKILL)
        deadline = time.monotonic() + HANG
        while bridge in bridges_of(kernel_pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # dead (maybe not reaped yet: the next cell may still find it and must cope)

        reply, messages = kernel.run("datasets")
        assert reply["content"]["status"] == "ok", reply["content"]
        [result] = of_type(messages, "execute_result")
        assert "kept" in content(result)["data"]["text/plain"]
        assert len(bridges_of(kernel_pid)) == 1 and bridge not in bridges_of(kernel_pid)
    finally:
        kernel.close()


def test_after_the_daemon_stops_the_kernel_reaches_a_new_one(daemon):
    kernel = KernelSession(daemon.env)
    try:
        reply, _ = kernel.run("generate fraud rows=2000 seed=1 as g")
        assert reply["content"]["status"] == "ok"
        daemon.stop()
        # The bridge learns the daemon has gone when it next asks it: that cell says so (or, when
        # the bridge had already exited, its successor starts a new daemon and the cell runs).
        reply, messages = kernel.run("generate fraud rows=2000 seed=2 as h")
        if reply["content"]["status"] == "error":
            assert reply["content"]["ename"] == "DaemonUnavailable", reply["content"]
            reply, messages = kernel.run("generate fraud rows=2000 seed=2 as h")
        assert reply["content"]["status"] == "ok", reply["content"]
        assert daemon.connection_file.exists(), "a new daemon on the same connection file"
    finally:
        kernel.close()
