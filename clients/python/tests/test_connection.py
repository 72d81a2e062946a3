"""Connection-file discovery and parsing, without a daemon (section 3)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ballast_client import ConnectionFileError, ConnectionInfo, default_connection_path

GOOD = {"transport": "tcp", "ip": "127.0.0.1", "request_port": 41235, "control_port": 41236,
        "event_port": 41237, "key": "k" * 64, "signature_scheme": "hmac-sha256", "pid": 4242,
        "protocol_version": "1.0"}


def write_private(path: Path, text: str) -> Path:
    """Writes a connection file as the daemon does: the current user's, mode 0600."""
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_explicit_variable_wins(tmp_path):
    env = {"BALLAST_CONNECTION_FILE": "/somewhere/conn.json", "XDG_RUNTIME_DIR": str(tmp_path),
           "XDG_STATE_HOME": "/state", "HOME": "/home/u"}
    assert default_connection_path(env) == Path("/somewhere/conn.json")


def test_runtime_dir_when_writable(tmp_path):
    env = {"BALLAST_CONNECTION_FILE": "", "XDG_RUNTIME_DIR": str(tmp_path), "HOME": "/home/u"}
    assert default_connection_path(env) == tmp_path / "ballast" / "ballastd.json"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_runtime_dir_not_writable_falls_back(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o500)
    env = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    assert default_connection_path(env) == tmp_path / ".local" / "state" / "ballast" / "ballastd.json"


def test_missing_runtime_dir_falls_back(tmp_path):
    env = {"XDG_RUNTIME_DIR": str(tmp_path / "does-not-exist"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "HOME": "/home/u"}
    assert default_connection_path(env) == tmp_path / "state" / "ballast" / "ballastd.json"


def test_state_home_then_home():
    assert default_connection_path({"XDG_STATE_HOME": "/st", "HOME": "/h"}) == Path("/st/ballast/ballastd.json")
    assert default_connection_path({"HOME": "/h"}) == Path("/h/.local/state/ballast/ballastd.json")
    assert default_connection_path({"XDG_RUNTIME_DIR": "", "XDG_STATE_HOME": "", "HOME": "/h"}) == \
        Path("/h/.local/state/ballast/ballastd.json")


def test_load_uses_the_environment(tmp_path, monkeypatch):
    path = write_private(tmp_path / "c.json", json.dumps(GOOD))
    monkeypatch.setenv("BALLAST_CONNECTION_FILE", str(path))
    info = ConnectionInfo.load()
    assert info.path == path
    assert (info.request_port, info.control_port, info.event_port) == (41235, 41236, 41237)
    assert info.request_endpoint == "tcp://127.0.0.1:41235"
    assert info.event_endpoint == "tcp://127.0.0.1:41237"
    assert info.pid == 4242 and info.key == "k" * 64
    assert "k" * 64 not in repr(info)  # the key is not printed


def test_ipv6_endpoint():
    info = ConnectionInfo.from_dict({**GOOD, "ip": "::1"})
    assert info.control_endpoint == "tcp://[::1]:41236" and info.is_ipv6


@pytest.mark.parametrize("change", [
    {"signature_scheme": "hmac-md5"}, {"transport": "ipc"}, {"key": ""}, {"request_port": 0},
    {"event_port": "41237"}, {"control_port": True},
])
def test_invalid_files_are_refused(tmp_path, change):
    path = write_private(tmp_path / "c.json", json.dumps({**GOOD, **change}))
    with pytest.raises(ConnectionFileError):
        ConnectionInfo.load(path)


def test_missing_and_garbled_files(tmp_path):
    with pytest.raises(ConnectionFileError, match="Is ballastd running"):
        ConnectionInfo.load(tmp_path / "nothing.json")
    write_private(tmp_path / "bad.json", "{not json")
    with pytest.raises(ConnectionFileError, match="not valid JSON"):
        ConnectionInfo.load(tmp_path / "bad.json")
    missing = dict(GOOD)
    del missing["key"]
    write_private(tmp_path / "nokey.json", json.dumps(missing))
    with pytest.raises(ConnectionFileError, match="key"):
        ConnectionInfo.load(tmp_path / "nokey.json")


def test_a_symbolic_link_is_refused_with_what_to_do(tmp_path):
    real = write_private(tmp_path / "real.json", json.dumps(GOOD))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(ConnectionFileError, match="is a symbolic link.*Remove the link"):
        ConnectionInfo.load(link)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o620, 0o602, 0o606])
def test_a_file_others_may_read_or_write_is_refused(tmp_path, mode):
    path = write_private(tmp_path / "c.json", json.dumps(GOOD))
    path.chmod(mode)
    with pytest.raises(ConnectionFileError, match=f"mode {mode:04o}.*chmod 600"):
        ConnectionInfo.load(path)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_another_users_file_is_refused(tmp_path):
    path = write_private(tmp_path / "c.json", json.dumps(GOOD))
    os.chown(path, 65534, 65534)
    with pytest.raises(ConnectionFileError, match="belongs to user id 65534.*planted"):
        ConnectionInfo.load(path)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "c.json"
    os.mkfifo(path, 0o600)
    with pytest.raises(ConnectionFileError, match="not a regular file"):
        ConnectionInfo.load(path)
