"""The kernelspec ``ballast`` and its installer (``python -m ballast_kernel install``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "ballast"


def kernel_json(ballast: str | None = None) -> dict:
    """What ``kernel.json`` holds. The kernel runs on this interpreter; Jupyter interrupts it with
    SIGINT (``interrupt_mode: signal``), which the kernel turns into a cancel of the running
    command. ``ballast``, when given, is the ``ballast`` binary the kernel should start
    (``$BALLAST`` in the kernel's environment); otherwise it uses ``$BALLAST`` or ``ballast`` on
    PATH as found when the kernel starts."""
    spec = {
        "argv": [sys.executable, "-m", "ballast_kernel", "-f", "{connection_file}"],
        "display_name": "Ballast",
        "language": "ballast",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }
    if ballast:
        spec["env"] = {"BALLAST": str(Path(ballast).resolve())}
    return spec


def install(user: bool = False, prefix: str | None = None, ballast: str | None = None) -> str:
    """Writes the kernelspec and returns the folder Jupyter now finds it in."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # mkdtemp makes it 0700; the installed copy keeps the mode
        with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as file:
            json.dump(kernel_json(ballast), file, indent=1, sort_keys=True)
        return KernelSpecManager().install_kernel_spec(folder, KERNEL_NAME, user=user, prefix=prefix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ballast_kernel install",
        description="Register the Ballast kernel (kernelspec 'ballast') with Jupyter.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true",
                       help="into your own Jupyter data folder (the default unless run as root)")
    where.add_argument("--sys-prefix", action="store_true",
                       help="into this Python's prefix (a virtualenv or conda environment)")
    where.add_argument("--prefix", metavar="PREFIX", help="into PREFIX/share/jupyter/kernels")
    parser.add_argument("--ballast", metavar="PATH",
                        help="the ballast binary the kernel starts (default: $BALLAST, else ballast on PATH)")
    args = parser.parse_args(argv)

    prefix = sys.prefix if args.sys_prefix else args.prefix
    user = args.user or (prefix is None and os.geteuid() != 0)
    if args.ballast and not os.access(args.ballast, os.X_OK):
        parser.error(f"--ballast {args.ballast}: no executable there.")
    path = install(user=user, prefix=prefix, ballast=args.ballast)
    print(f"Installed the Ballast kernelspec in {path}")
    return 0
