"""The golden examples' matching rules (section 9 of protocol/README.md) in Python, for every
replayer that runs under pytest: the Python client's, the Jupyter kernel's and the Neovim plugin's
tests import it from here (their conftest puts this folder on sys.path), so the rules are written
once beside the examples they judge."""

from __future__ import annotations

import math
from typing import Any

NUMBER_TOLERANCE = 1e-9  # relative, protocol/README.md section 9

MATCHERS = {
    "$any": lambda v: True,
    "$string": lambda v: isinstance(v, str),
    "$number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "$integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and math.isfinite(v) and v.is_integer()),
    "$boolean": lambda v: isinstance(v, bool),
    "$array": lambda v: isinstance(v, list),
    "$object": lambda v: isinstance(v, dict),
    "$null": lambda v: v is None,
}


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where ``actual`` differs from ``expected`` under the rules of protocol/README.md section 9.

    Strings naming one of the matchers (``$any``, ``$string``, …) match by type; any other string,
    including ones that merely start with ``$`` such as ``"$/progress"``, must be equal. Booleans are
    not numbers; objects must have exactly the
    expected members; arrays must have the same length and match element by element. Numbers
    match within a relative tolerance of 1e-9 (protocol 1.1: `9`, `9.0`, `9.000000000000002`).
    """
    if isinstance(expected, str) and expected in MATCHERS:
        return [] if MATCHERS[expected](actual) else [f"{path}: {actual!r} is not {expected}"]
    if isinstance(expected, bool) or expected is None:
        return [] if actual is expected else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, (int, float)):
        ok = (isinstance(actual, (int, float)) and not isinstance(actual, bool)
              and (actual == expected or math.isclose(actual, expected, rel_tol=NUMBER_TOLERANCE, abs_tol=0.0)))
        return [] if ok else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, str):
        return [] if actual == expected else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {actual!r}"]
        if len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} elements, got {len(actual)}: {actual!r}"]
        return [m for i, (e, a) in enumerate(zip(expected, actual)) for m in mismatches(e, a, f"{path}[{i}]")]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        problems = [f"{path}: missing member {k!r}" for k in expected if k not in actual]
        problems += [f"{path}: unexpected member {k!r} = {actual[k]!r}" for k in actual if k not in expected]
        for k in expected:
            if k in actual:
                problems += mismatches(expected[k], actual[k], f"{path}.{k}")
        return problems
    raise TypeError(f"{path}: cannot match against {expected!r}")
