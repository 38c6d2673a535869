"""SARIF 2.1.0 for code scanning: each problem or warning one result at its file, line and column."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..problem import Problem

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


TIER = "tier"  # the rule of a valid firm's `note`: the tier it is eligible for


def sarif_log(problems: Sequence[Problem], notes: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """One run of tiercheck with a rule per problem code and a result per problem, then a `note`
    result per (file, text) in `notes` (evaluate: each valid firm's tier)."""
    codes = sorted({p.code for p in problems} | ({TIER} if notes else set()))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tiercheck",
                        "version": __version__,
                        "rules": [{"id": c, "shortDescription": {"text": _describe(c)}} for c in codes],
                    }
                },
                "results": [_result(p, codes.index(p.code)) for p in problems]
                + [_note(file, text, codes.index(TIER)) for file, text in notes],
            }
        ],
    }


def _result(p: Problem, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": p.code,
        "ruleIndex": rule_index,
        "level": p.severity,
        "message": {"text": p.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(p.file)},
                    "region": {"startLine": p.line, "startColumn": p.col},
                },
                "logicalLocations": [{"fullyQualifiedName": p.path}],
            }
        ],
    }


def _describe(code: str) -> str:
    return "the tier a valid firm is eligible for" if code == TIER else f"tiercheck {code} problem"


def _note(file: str, text: str, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": TIER,
        "ruleIndex": rule_index,
        "level": "note",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(file)}}}],
    }


def _uri(file: str) -> str:
    """A relative path as a relative URI (code scanning resolves it against the checkout); else file://."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())
