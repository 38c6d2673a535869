"""Where the bundled schemas, policy files and report templates live once installed."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def bundled(kind: str) -> Traversable:
    """The installed folder of a kind of resource: 'schemas', 'policy' or 'templates'."""
    return files(f"validator.{kind}")


@cache
def schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema, by file name stem: 'firm' or 'policy'."""
    loaded: dict[str, Any] = json.loads(bundled("schemas").joinpath(f"{name}.schema.json").read_text("utf-8"))
    return loaded
