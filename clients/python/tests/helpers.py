"""Shared by the tests: paths, JSON Schema validation and the golden-example matcher."""

from __future__ import annotations

import json
import sys
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


sys.path.insert(0, str(EXAMPLES))  # the section 9 matcher lives beside the examples
from matching import mismatches  # noqa: E402,F401  (re-exported for the tests)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
