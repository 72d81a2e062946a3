"""`python -m ballast_kernel install`: the kernelspec Jupyter finds, where each option puts it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from jupyter_client.kernelspec import KernelSpecManager

from helpers import CLIENT


def install(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ballast_kernel", "install", *args], capture_output=True,
                          text=True, timeout=60, env=env, cwd=CLIENT)


def test_the_installed_kernelspec_is_found_on_jupyter_path(jupyter_sandbox):
    spec = KernelSpecManager().get_kernel_spec("ballast")
    assert spec.argv == [sys.executable, "-m", "ballast_kernel", "-f", "{connection_file}"]
    assert spec.display_name == "Ballast"
    assert spec.language == "ballast"
    assert spec.interrupt_mode == "signal"
    assert os.path.commonpath([spec.resource_dir, str(jupyter_sandbox)]) == str(jupyter_sandbox)


def test_user_installs_into_the_jupyter_data_folder_and_ballast_is_recorded(tmp_path):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "data"))
    ballast = os.environ["BALLAST"]
    done = install("--user", "--ballast", ballast, env=env)
    assert done.returncode == 0, done.stderr
    kernel_json = tmp_path / "data" / "kernels" / "ballast" / "kernel.json"
    assert str(kernel_json.parent) in done.stdout
    assert json.loads(kernel_json.read_text())["env"] == {"BALLAST": os.path.realpath(ballast)}


def test_the_options_exclude_each_other_and_a_missing_binary_is_refused(tmp_path):
    both = install("--user", "--prefix", str(tmp_path))
    assert both.returncode == 2 and "not allowed with" in both.stderr
    missing = install("--prefix", str(tmp_path), "--ballast", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no executable there" in missing.stderr
    assert not (tmp_path / "share").exists()
