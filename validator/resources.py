"""Where the bundled schemas, policy files and report templates live, installed or in a checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# Where each kind lives in the source tree; setuptools installs them as validator.<kind>.
_IN_CHECKOUT = {"schemas": "schemas", "policy": "policy", "templates": "reports/templates"}


def bundled(kind: str) -> Path:
    """The folder of a kind of resource: 'schemas', 'policy' or 'templates'.

    Installed, it is the package folder validator/<kind>; run from a checkout (`python -m validator`
    in the repository), the top-level folder of the source tree. (A plain path, not importlib.resources:
    the pre-commit case starts cold, and that import alone costs ~7 ms.)
    """
    here = Path(__file__).resolve().parent
    installed = here / kind
    return installed if installed.is_dir() else here.parent / _IN_CHECKOUT[kind]


@cache
def schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema, by file name stem: 'firm' or 'policy'."""
    text = (bundled("schemas") / f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
