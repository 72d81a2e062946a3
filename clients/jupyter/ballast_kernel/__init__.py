"""A Jupyter kernel for Ballast's command language.

Cells are Ballast commands (``train cards.train weights=inverse as wce``), run by the same code as
the terminal REPL: the kernel starts ``ballast --stdio`` and asks its ``repl/*`` methods
(protocol/README.md section 11) to execute, complete, inspect and check cells. ``python -m
ballast_kernel install --user`` registers the kernelspec ``ballast``.
"""

__version__ = "0.1.0"
