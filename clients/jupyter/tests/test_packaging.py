"""`pip install ./clients/jupyter` works: the wheel is `ballast-kernel` with every module of
`ballast_kernel`, and declares what the kernel imports. Built without build isolation, so it
needs nothing from the network (setuptools is the backend every Python has)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser

from helpers import CLIENT


def test_the_wheel_holds_the_package_and_its_dependencies(tmp_path):
    # A copy, so that the build's own folders (build/, *.egg-info) never land in the source tree.
    source = tmp_path / "source"
    shutil.copytree(CLIENT, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "tests"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--quiet", "--wheel-dir", str(tmp_path), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("ballast_kernel-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [name for name in names if name.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    modules = {f"ballast_kernel/{path.name}" for path in (CLIENT / "ballast_kernel").glob("*.py")}
    assert modules <= names, modules - names
    assert metadata["Name"] == "ballast-kernel"
    requires = {re.split(r"[<>=!~ ;\[]", requirement)[0].lower().replace("-", "_")
                for requirement in metadata.get_all("Requires-Dist")}
    assert requires == {"ipykernel", "jupyter_client"}
