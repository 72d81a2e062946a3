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


def test_exit_statuses_are_readmes_and_ballasts():
    """One table: README's, `ballast`'s (ExitStatus.swift) and these constants say the same numbers,
    each constant named as Swift names it (daemonError: EXIT_DAEMON_ERROR)."""
    import re

    from ballast_client import __main__ as cli
    from helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = []
    for row in readme[readme.index("| exit status | meaning |"):].splitlines()[2:]:
        if not row.startswith("|"):
            break
        documented.append(int(row.split("|")[1]))
    swift = (REPO / "Sources" / "BallastCLI" / "Session" / "ExitStatus.swift").read_text(encoding="utf-8")
    named = {name: int(value) for name, value in re.findall(r"static let (\w+): Int32 = (\d+)", swift)}
    ours = {name: getattr(cli, "EXIT_" + re.sub(r"([A-Z])", r"_\1", name).upper()) for name in named}
    assert ours == named
    assert list(named.values()) == documented
    assert sorted(name for name in vars(cli) if name.startswith("EXIT_")) == sorted(
        "EXIT_" + re.sub(r"([A-Z])", r"_\1", name).upper() for name in named)
