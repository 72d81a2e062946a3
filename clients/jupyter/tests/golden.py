"""The golden examples' matching rules (protocol/README.md section 9)."""

from __future__ import annotations

import math
from typing import Any

NUMBER_TOLERANCE = 1e-9


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


MATCHERS = {
    "$any": lambda value: True,
    "$string": lambda value: isinstance(value, str),
    "$number": _is_number,
    "$integer": lambda value: _is_number(value) and float(value).is_integer(),
    "$boolean": lambda value: isinstance(value, bool),
    "$array": lambda value: isinstance(value, list),
    "$object": lambda value: isinstance(value, dict),
    "$null": lambda value: value is None,
}


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where `actual` differs from `expected`: matcher strings match by kind, other strings and
    booleans and null exactly, numbers within a relative 1e-9, arrays element by element, objects
    member by member with exactly the expected members."""
    if isinstance(expected, str) and expected in MATCHERS:
        return [] if MATCHERS[expected](actual) else [f"{path}: {actual!r} is not {expected}"]
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        same = actual is expected if not isinstance(expected, str) else actual == expected
        return [] if same else [f"{path}: expected {expected!r}, got {actual!r}"]
    if _is_number(expected):
        same = _is_number(actual) and (actual == expected or math.isclose(actual, expected, rel_tol=NUMBER_TOLERANCE))
        return [] if same else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} elements, got {actual!r}"]
        return [problem for index, (want, got) in enumerate(zip(expected, actual))
                for problem in mismatches(want, got, f"{path}[{index}]")]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        problems = [f"{path}: missing member {key!r}" for key in expected if key not in actual]
        problems += [f"{path}: unexpected member {key!r} = {actual[key]!r}" for key in actual if key not in expected]
        for key in expected.keys() & actual.keys():
            problems += mismatches(expected[key], actual[key], f"{path}.{key}")
        return problems
    raise TypeError(f"{path}: cannot match against {expected!r}")
