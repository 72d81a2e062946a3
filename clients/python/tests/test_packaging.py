"""`pip install ./clients/python` works: the package builds, installs into a fresh venv and imports
from there, outside the source tree, and the README's first example runs against a daemon."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ballast_client import ConnectionInfo
from conftest import daemon_binary

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent
README = SOURCE / "README.md"


def first_example() -> str:
    """The README's first Python block."""
    match = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, "README.md has a Python example"
    return match.group(1)


def test_the_readme_opens_with_connect_as_a_context_manager():
    lines = [line for line in first_example().splitlines() if line.strip()]
    assert lines[:2] == ["import ballast_client", "with ballast_client.connect() as bl:"]
    assert len(lines) == 6, "the seed's table in five lines after the import"


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **options)
    assert done.returncode == 0, f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def test_pip_installs_the_package_into_a_fresh_venv_and_the_first_example_runs_from_there(tmp_path):
    # A copy, so that the build's own folders (build/, *.egg-info) never land in the source tree.
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "tests", "bench"))
    venv = tmp_path / "venv"
    # --system-site-packages: the dependencies (pyzmq, numpy, pandas, tqdm) and the build backend
    # are already there, so nothing is fetched; --no-deps checks nothing is missing below instead.
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", str(source)])

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    connection_file = tmp_path / "ballast" / "ballastd.json"
    env.update(BALLASTD=str(daemon_binary()), BALLAST_CONNECTION_FILE=str(connection_file))
    where = run([str(python), "-c", "import ballast_client, importlib.metadata as m; "
                 "print(ballast_client.__file__); print(m.version('ballast-client'))"], cwd=outside, env=env)
    module_file, version = where.stdout.split()
    assert Path(module_file).is_relative_to(venv), f"imported from {module_file}, not the venv"
    assert (Path(module_file).parent / "py.typed").is_file(), "typed: py.typed is installed"
    import ballast_client

    assert version == ballast_client.__version__
    assert "usage" in run([str(venv / "bin" / "ballast-client"), "--help"], cwd=outside, env=env).stdout

    script = outside / "first.py"
    script.write_text(first_example(), encoding="utf-8")
    try:
        shown = run([str(python), str(script)], cwd=outside, env=env)
    finally:
        stop_daemon_at(connection_file)
    table = shown.stdout
    for arm in ("ce", "wce_inverse", "wce_balanced", "focal", "over", "under", "smote", "ce_best_f1"):
        assert re.search(rf"^{arm}\s+\d", table, re.M), f"arm {arm} missing from:\n{table}"
    assert "recall" in table and "pr_auc" in table
    assert "Comparing 8 arms" in shown.stderr, "the live progress bar ran"


def stop_daemon_at(connection_file: Path) -> None:
    """SIGTERM the daemon connect() started, and wait for it to go."""
    if not connection_file.exists():
        return
    pid = ConnectionInfo.load(connection_file).pid
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
