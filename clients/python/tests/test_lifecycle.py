"""Start-up and stopping: the connection file, SIGTERM, shutdown + exit (sections 3 and 4)."""

from __future__ import annotations

import ipaddress
import re
import signal
import time

import pytest

from ballast_client import Client, ConnectionInfo, RPCError
from helpers import validate


def gone_within(path, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not path.exists()


def test_connection_file_contents(daemon):
    raw = daemon.raw_connection_file()
    validate(raw, "connection-file")
    assert raw["pid"] == daemon.pid
    assert re.fullmatch(r"1\.[0-9]+", raw["protocol_version"])  # this client speaks major version 1
    assert ipaddress.ip_address(raw["ip"]).is_loopback
    assert len({raw["request_port"], raw["control_port"], raw["event_port"]}) == 3
    assert all(raw[p] > 0 for p in ("request_port", "control_port", "event_port"))
    assert len(raw["key"]) == 64 and int(raw["key"], 16) >= 0
    assert ConnectionInfo.load(daemon.connection_file).request_endpoint == f"tcp://{raw['ip']}:{raw['request_port']}"


def test_sigterm_removes_connection_file_and_exits_0(daemon):
    with daemon.client() as client:
        client.initialize("lifecycle")
        assert client.call("ping")["pong"] is True
    daemon.process.send_signal(signal.SIGTERM)
    assert daemon.wait() == 0, daemon.log()
    assert not daemon.connection_file.exists()


def test_sigint_also_stops_cleanly(daemon):
    daemon.process.send_signal(signal.SIGINT)
    assert daemon.wait() == 0, daemon.log()
    assert not daemon.connection_file.exists()


def test_shutdown_then_exit(daemon):
    with daemon.client() as client:
        client.initialize("lifecycle")
        assert client.call("shutdown") is None
        with pytest.raises(RPCError) as refused:
            client.call("ping")
        assert refused.value.code == -32013
        # The control socket still answers while the daemon waits for exit.
        status = client.control("status")
        assert status["shutting_down"] is True
        assert client.control("ping")["pong"] is True
        client.notify("exit")
        assert daemon.wait() == 0, daemon.log()
    assert gone_within(daemon.connection_file)


def test_client_shutdown_helper(daemon):
    with daemon.client() as client:
        client.initialize("lifecycle")
        client.shutdown()
    assert daemon.wait() == 0, daemon.log()
    assert gone_within(daemon.connection_file)


def test_exit_without_shutdown_exits_1(daemon):
    with daemon.client() as client:
        client.initialize("lifecycle")
        client.notify("exit")
    assert daemon.wait() == 1, daemon.log()
    assert gone_within(daemon.connection_file)


def test_control_shutdown_stops_gracefully(daemon):
    with daemon.client() as client:
        assert client.control("shutdown") is None
    assert daemon.wait() == 0, daemon.log()
    assert gone_within(daemon.connection_file)


def test_a_planted_connection_file_is_replaced_not_honoured(start_daemon, tmp_path):
    """Each start makes a fresh key and takes ports from its flags only: a file left at the path,
    even one that looks provisioned, supplies nothing (section 3)."""
    first = start_daemon()
    folder = first.connection_file.parent
    key = "planted-" + "ab" * 20
    first.terminate()
    assert not first.connection_file.exists()

    folder.mkdir(mode=0o700, exist_ok=True)
    first.connection_file.write_text(
        '{"transport": "tcp", "ip": "127.0.0.1", "request_port": 1, "control_port": 2, "event_port": 3, '
        f'"key": "{key}", "signature_scheme": "hmac-sha256"}}')
    first.connection_file.chmod(0o600)
    from conftest import Daemon

    second = Daemon(folder.parent)
    try:
        assert second.info.key != key and len(second.info.key) == 64
        assert second.info.request_port not in (1, 2, 3)
        with Client(second.info) as client:
            client.initialize("planted")
            assert client.call("ping")["pong"] is True
        assert second.terminate() == 0
    finally:
        second.close()


def test_sigterm_right_after_start(tmp_path):
    """A supervisor may send SIGTERM as soon as the connection file exists (section 3)."""
    import subprocess

    from conftest import daemon_binary

    outcomes = []
    for attempt in range(10):
        path = tmp_path / str(attempt) / "ballast" / "conn.json"
        process = subprocess.Popen([str(daemon_binary()), "--connection-file", str(path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while not path.exists() and time.monotonic() < deadline:
                time.sleep(0.0005)
            process.send_signal(signal.SIGTERM)
            try:
                status = process.wait(5)
            except subprocess.TimeoutExpired:
                status = "still running 5 s after SIGTERM"
            outcomes.append((status, path.exists()))
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert outcomes == [(0, False)] * 10, outcomes
