"""``python -m ballast_client`` against a real daemon."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import HERE


def run(daemon, *args):
    return subprocess.run([sys.executable, "-m", "ballast_client", "--connection-file", str(daemon.connection_file),
                           *args], cwd=HERE.parent, capture_output=True, text=True, timeout=60)


def test_cli_call_control_and_error(daemon):
    done = run(daemon, "ping")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pong"] is True
    done = run(daemon, "--control", "status")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pid"] == daemon.pid
    done = run(daemon, "ping", '{"verbose": true}')
    assert done.returncode == 1 and "error -32602" in done.stderr


def test_cli_finds_the_daemon_through_the_environment(daemon):
    done = subprocess.run([sys.executable, "-m", "ballast_client", "ping"], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "BALLAST_CONNECTION_FILE": str(daemon.connection_file)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pong"] is True
