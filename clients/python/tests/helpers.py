"""Shared by the tests: paths, JSON Schema validation and the golden-example matcher."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
PROTOCOL = REPO / "protocol"
SCHEMAS = PROTOCOL / "schema"
EXAMPLES = PROTOCOL / "examples"


@lru_cache(maxsize=None)
def schema(name: str) -> dict | None:
    """``schema/<name>.json`` parsed, or None when there is none."""
    path = SCHEMAS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def schema_name(method: str) -> str:
    """``dataset/load`` → ``dataset.load``; ``$/progress`` → ``_progress``."""
    if method.startswith("$/"):
        method = "_" + method[2:]
    return method.replace("/", ".")


@lru_cache(maxsize=None)
def schema_registry():
    """Every schema by its file name, so that ``vocabulary.json#/$defs/…`` references resolve."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    )


def validate(instance, name: str) -> None:
    """Validate against ``schema/<name>.json`` (Draft 2020-12); raises ValidationError."""
    from jsonschema import Draft202012Validator

    loaded = schema(name)
    assert loaded is not None, f"no schema {name}.json"
    Draft202012Validator.check_schema(loaded)
    Draft202012Validator(loaded, registry=schema_registry()).validate(instance)


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


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
