"""``python -m ballast_kernel install [--user|--sys-prefix|--prefix P]`` registers the kernelspec;
``python -m ballast_kernel -f CONNECTION_FILE`` (what Jupyter runs) starts the kernel."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["install"]:
        from .kernelspec import main as install_main

        return install_main(args[1:])
    from ipykernel.kernelapp import IPKernelApp

    from .kernel import BallastKernel

    IPKernelApp.launch_instance(argv=args, kernel_class=BallastKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
