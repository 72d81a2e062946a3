"""Finding and starting a daemon without harming one that lives: a stuck daemon is reported (its
file kept, nothing started beside it); a start that loses the daemon lock says so at once; a
daemon on another address is judged by pings, not by a pid looked up here; the start lock and
the log are never opened through a link."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ballast_client import Client, DaemonNotAnswering, DaemonUnavailable, connect, live_daemon
from ballast_client.liveness import Watch, process_is_gone
from conftest import daemon_binary


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    process = subprocess.Popen(["/bin/true"])
    process.wait()
    assert process_is_gone(process.pid)
    return process.pid


def stop_and_wait(pid: int) -> None:
    """SIGSTOP, then wait until every thread has stopped (a group stop is not instant)."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 30  # bounded only to catch a hang
    while time.monotonic() < deadline:
        states = [Path(f"/proc/{pid}/task/{task}/stat").read_text().rsplit(")", 1)[1].split()[0]
                  for task in os.listdir(f"/proc/{pid}/task")]
        if all(state in ("T", "t") for state in states):
            return
        time.sleep(0.01)


def test_a_stuck_daemon_is_reported_and_its_file_kept(daemon):
    before = daemon.connection_file.read_bytes()
    stop_and_wait(daemon.pid)
    try:
        with pytest.raises(DaemonNotAnswering) as caught:
            connect(daemon.connection_file, daemon=daemon_binary())
    finally:
        os.kill(daemon.pid, signal.SIGCONT)
    assert caught.value.pid == daemon.pid
    message = str(caught.value)
    assert f"(pid {daemon.pid})" in message and "not answering" in message
    assert f"'ballast stop' or 'kill {daemon.pid}'" in message
    assert daemon.connection_file.read_bytes() == before, "the live daemon's file is left alone"
    assert not daemon.connection_file.with_suffix(".log").exists(), "no second daemon was started"
    assert live_daemon(daemon.connection_file) is not None, "resumed, it serves again"


def test_a_start_that_loses_the_daemon_lock_says_so_at_once(daemon):
    # The daemon still holds <file>.daemon.lock, but its file is gone: a client starts another,
    # which exits at once; the client says so with what it printed.
    daemon.connection_file.unlink()
    with pytest.raises(DaemonUnavailable) as caught:
        connect(daemon.connection_file, daemon=daemon_binary(), timeout=60)
    message = str(caught.value)
    assert "exited at once with status 1" in message, message
    assert f"Another ballastd (pid {daemon.pid}) already serves" in message, message


def test_a_remote_daemon_is_judged_by_pings_not_by_a_local_pid(start_daemon):
    # 0.0.0.0 is not a loopback address, yet reaches this machine: a stand-in for a daemon on
    # another host, whose pid names nothing here.
    daemon = start_daemon("--ip", "0.0.0.0", "--allow-remote")
    remote = dataclasses.replace(daemon.info, pid=dead_pid())
    watch = Watch(remote, None)  # type: ignore[arg-type] - no ping is sent before `silence`
    assert watch.check("ping") is None
    with Client(remote) as client:
        client.initialize("remote")
        assert client.call("ping", timeout=10)["pong"] is True


def test_a_loopback_daemon_whose_pid_is_gone_is_reported_at_once(daemon):
    from ballast_client import DaemonGone

    with pytest.raises(DaemonGone):
        Client(dataclasses.replace(daemon.info, pid=dead_pid()))


def test_the_watch_reads_the_connection_file_as_every_client_does(daemon, tmp_path):
    # A link planted in place of the file, to a file naming another daemon, is not believed.
    planted = tmp_path / "planted.json"
    data = daemon.raw_connection_file()
    data.update(pid=dead_pid(), key="0" * 64)
    planted.write_text(json.dumps(data))
    os.chmod(planted, 0o600)
    daemon.connection_file.unlink()
    daemon.connection_file.symlink_to(planted)
    with Client(daemon.info) as client:
        watch = Watch(daemon.info, client.context)
        watch._last_heard -= 60  # as after a minute of silence: the file is read now
        try:
            assert watch.check("model/train") is None
        finally:
            watch.close()
    os.unlink(daemon.connection_file)


@pytest.mark.parametrize("planted", ["lock", "log"])
def test_the_start_lock_and_log_are_never_opened_through_a_link(tmp_path, planted):
    path = tmp_path / "run" / "ballastd.json"
    path.parent.mkdir(mode=0o700)
    target = tmp_path / "target"
    target.write_text("precious\n")
    link = path.parent / ("ballastd.json.lock" if planted == "lock" else "ballastd.log")
    link.symlink_to(target)
    with pytest.raises(DaemonUnavailable) as caught:
        connect(path, daemon=daemon_binary(), timeout=30).close()
    assert "symbolic link" in str(caught.value)
    assert target.read_text() == "precious\n"
    assert not path.exists()


def test_a_started_daemons_log_is_private_from_the_start(tmp_path):
    path = tmp_path / "run" / "ballastd.json"
    client = connect(path, daemon=daemon_binary())
    pid = client.info.pid
    try:
        assert os.stat(path.with_suffix(".log")).st_mode & 0o777 == 0o600
        assert os.stat(f"{path}.lock").st_mode & 0o777 == 0o600
    finally:
        client.control("shutdown")
        client.close()
        deadline = time.monotonic() + 30  # bounded only to catch a hang
        while not process_is_gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
