"""The YAML test suite and JSONTestSuite: no invalid case read as data, no valid case refused as syntax.

A valid case may still be refused for what a firm file must never hold; each such class of refusal
is listed below with its reason (and documented in the README), and nothing else is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator.loader import LoadError, Source
from validator.reading import decide

SUITES = Path(__file__).resolve().parents[1] / "data" / "peer-suites"
YAML_CASES = json.loads((SUITES / "yaml-test-suite.json").read_text(encoding="utf-8"))
JSON_CASES = json.loads((SUITES / "json-test-suite.json").read_text(encoding="utf-8"))

# Valid YAML or JSON that a firm file still refuses, and why.
DOCUMENTED_REFUSALS = {
    "tag": "a tag asks the reader to build a type; a firm file is plain data",
    "documents": "a firm file is one document; a second one would be silently ignored or merged",
    "duplicate": "a duplicated key is a mistake, never 'the last one wins' (JSON allows it)",
    "empty": "a file without data is not a firm file",
    "character": "control characters and non-characters (U+007F, U+FFFF) are refused in JSON as in YAML",
}


def verdict(text: str, name: str) -> str:
    """'data' when the text is read, else the kind of refusal."""
    try:
        decide(Source(name, text, ""))
    except LoadError as exc:
        return exc.kind
    return "data"


@pytest.mark.parametrize("case", [c for c in YAML_CASES if c["fail"]], ids=lambda c: c["id"])
def test_no_invalid_yaml_case_is_read_as_data(case: dict[str, str]) -> None:
    assert verdict(case["yaml"], "case.yaml") != "data"


def test_every_valid_yaml_case_is_read_or_refused_for_a_documented_reason() -> None:
    refused = {}
    for case in (c for c in YAML_CASES if not c["fail"]):
        kind = verdict(case["yaml"], "case.yaml")
        if kind != "data":
            refused[case["id"]] = kind
    assert set(refused.values()) <= set(DOCUMENTED_REFUSALS), refused
    read = sum(not c["fail"] for c in YAML_CASES) - len(refused)
    assert read >= 245  # of 308 valid cases; the rest are tags, several documents, empty streams


def test_no_invalid_json_case_is_read_as_data() -> None:
    read = [
        c["name"]
        for c in JSON_CASES
        if c["name"].startswith("n_") and verdict(c["input"], "c.json") == "data"
    ]
    assert read == []


def test_every_valid_json_case_is_read_or_refused_for_a_documented_reason() -> None:
    refused = {c["name"]: verdict(c["input"], "c.json") for c in JSON_CASES if c["name"].startswith("y_")}
    refused = {name: kind for name, kind in refused.items() if kind != "data"}
    assert refused == {
        "y_object_duplicated_key.json": "duplicate",
        "y_object_duplicated_key_and_value.json": "duplicate",
        "y_string_nonCharacterInUTF-8_U+FFFF.json": "character",
        "y_string_unescaped_char_delete.json": "character",
        "y_string_with_del_character.json": "character",
    }
    assert set(refused.values()) <= set(DOCUMENTED_REFUSALS)


def test_json_surrogate_pairs_read_as_one_character_and_nan_is_refused() -> None:
    assert decide(Source("f.json", '{"a": "\\ud83d\\ude80", "b": "C:\\\\udc00"}', "")) == {
        "a": "\U0001f680",
        "b": "C:\\udc00",
    }
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(LoadError) as info:
            decide(Source("f.json", f'{{"a": 1,\n "b": {constant}}}', ""))
        assert (info.value.line, info.value.col) == (2, 7)
