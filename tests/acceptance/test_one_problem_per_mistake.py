"""Each mistake in a firm file, in YAML and in JSON, is said once, at its place, in plain words."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import MINIMAL_FIRM, line_of
from support import tiercheck

from validator.loader import Source
from validator.reading import decide

# A small valid firm, in YAML and as JSON with one key a line, so a test finds a line with `line_of`.
FIRM_YAML = MINIMAL_FIRM.replace(
    "    last_active_on: 2026-11-02\n", "    last_active_on: 2026-11-02\n    activity: [2026-06-10]\n"
)
FIRM_JSON = json.dumps(decide(Source("firm.yaml", FIRM_YAML, "")), indent=2) + "\n"


def firm_text(fmt: str, key: str, value: str) -> str:
    """The minimal firm in `fmt` with the first `key` holding `value` (written as YAML would show it)."""
    if fmt == "yaml":
        line = line_of(FIRM_YAML, f"{key}:")
        lines = FIRM_YAML.splitlines(keepends=True)
        indent = lines[line - 1][: lines[line - 1].index(key)]
        lines[line - 1] = f"{indent}{key}: {value}\n"
        return "".join(lines)
    line = line_of(FIRM_JSON, f'"{key}":')
    lines = FIRM_JSON.splitlines(keepends=True)
    old = lines[line - 1]
    comma = "," if old.rstrip().endswith(",") else ""
    indent = old[: len(old) - len(old.lstrip())]
    lines[line - 1] = f'{indent}"{key}": {value}{comma}\n'
    return "".join(lines)


def problems(path) -> list[str]:
    r = tiercheck("validate", path)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stdout.splitlines()[:-1]


@pytest.mark.parametrize(("fmt", "value"), [("yaml", "05/09/2026"), ("json", '"05/09/2026"')])
def test_a_malformed_last_active_date_is_one_problem_not_also_a_date_order_one(
    fmt: str, value: str, write_firm
) -> None:
    text = firm_text(fmt, "last_active_on", value)
    path = write_firm(text, f"firm.{fmt}")
    [said] = problems(path)
    assert "'05/09/2026' is not a valid date" in said


@pytest.mark.parametrize(("fmt", "value"), [("yaml", "Production"), ("json", '"Production"')])
def test_a_value_off_the_list_names_its_key_and_the_close_one(fmt: str, value: str, write_firm) -> None:
    path = write_firm(firm_text(fmt, "stage", value), f"firm.{fmt}")
    line, col = (line_of(FIRM_YAML, "stage"), 5) if fmt == "yaml" else (line_of(FIRM_JSON, "stage"), 7)
    assert problems(path) == [
        f"{path}:{line}:{col}: stage 'Production' is not one of: production, pilot, proof-of-concept; "
        "did you mean 'production'?"
    ]


@pytest.mark.parametrize(("fmt", "value"), [("yaml", ""), ("json", "null")])
def test_an_empty_date_says_to_write_a_date(fmt: str, value: str, write_firm) -> None:
    path = write_firm(firm_text(fmt, "last_active_on", value), f"firm.{fmt}")
    [said] = problems(path)
    assert said.endswith(
        "last_active_on is empty: write a date (YYYY-MM-DD) after the colon, "
        "or delete the line if it is optional"
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_two_missing_keys_are_keys(fmt: str, write_firm) -> None:
    text = "people: []\n" if fmt == "yaml" else '{"people": []}\n'
    path = write_firm(text, f"firm.{fmt}")
    assert problems(path) == [f"{path}:1:1: missing required keys 'schema_version', 'firm'"]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_schema_version_1_0_is_refused_at_its_line_asking_for_1(fmt: str, write_firm) -> None:
    path = write_firm(firm_text(fmt, "schema_version", "1.0"), f"firm.{fmt}")
    col = 1 if fmt == "yaml" else 3
    assert problems(path) == [
        f"{path}:{line_of(FIRM_YAML if fmt == 'yaml' else FIRM_JSON, 'schema_version')}:{col}: "
        "schema_version is the decimal 1.0; write the whole number: 1"
    ]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_duplicate_id_gives_the_line_of_the_first_like_a_duplicate_key(fmt: str, write_firm) -> None:
    data = decide(Source("firm.yaml", FIRM_YAML, ""))
    data["customers"].append({**data["customers"][0], "name": "Again"})
    text = yaml.safe_dump(data, sort_keys=False) if fmt == "yaml" else json.dumps(data, indent=2)
    path = write_firm(text, f"firm.{fmt}")
    # An entry is located where it starts: YAML's '- id: c-acme', JSON's '{' on the line before "id".
    if fmt == "yaml":
        first, second = line_of(text, "- id: c-acme"), line_of(text, "name: Again") - 1
    else:
        first, second = line_of(text, '"c-acme"') - 1, line_of(text, "Again") - 2
    [said] = problems(path)
    assert said.startswith(f"{path}:{second}:")
    assert said.endswith(f"duplicate id 'c-acme' in customers (first on line {first})")


@pytest.mark.parametrize(("fmt", "key"), [("yaml", "live_on"), ("json", "live_on"), ("yaml", "joined_on")])
def test_a_renamed_required_key_is_one_problem_the_unknown_key_suggesting_the_right_one(
    fmt: str, key: str, write_firm
) -> None:
    """live_on is required of production by a cross-check, joined_on by the schema: either way, once."""
    wrong = key.replace("_on", "_date")
    base = FIRM_YAML if fmt == "yaml" else FIRM_JSON
    text = base.replace(f"{key}:", f"{wrong}:") if fmt == "yaml" else base.replace(f'"{key}"', f'"{wrong}"')
    path = write_firm(text, f"firm.{fmt}")
    [said] = problems(path)
    assert f"unknown key {wrong!r}: did you mean {key!r}?" in said


def test_a_missing_required_key_with_no_look_alike_is_still_said(write_firm) -> None:
    path = write_firm(FIRM_YAML.replace("  joined_on: 2026-04-02\n", "  founded: 2026-04-02\n"))
    said = problems(path)
    assert (
        len(said) == 2
        and "missing required key 'joined_on'" in said[0]
        and "unknown key 'founded'" in said[1]
    )


def json_mistake(cut: str, then: str) -> tuple[str, int, int]:
    """FIRM_JSON with `then` written after the first `cut`, and the line and column where `cut` ends."""
    at = FIRM_JSON.index(cut) + len(cut)
    line = FIRM_JSON.count("\n", 0, at) + 1
    return FIRM_JSON[:at] + then, line, at - FIRM_JSON.rfind("\n", 0, at)


@pytest.mark.parametrize(
    ("cut", "then", "back", "message"),  # back: columns from where `cut` ends to the place named
    [
        ('"name": "Ada', "", 4, "the file ends inside a string (opened here): is it cut short?"),
        ('"name": "Ada Park",', "\n", 0, "the file ends inside an object: is it cut short?"),
        ('"2026-06-10"', ",", -1, "the file ends inside a list: is it cut short?"),
    ],
    ids=["in-a-string", "in-an-object", "in-a-list"],
)
def test_a_json_file_cut_short_says_so_where_it_stops(cut, then, back, message, write_firm) -> None:
    text, line, col = json_mistake(cut, then)
    path = write_firm(text, "firm.json")
    assert problems(path) == [f"{path}:{line}:{col - back}: {message}"]


@pytest.mark.parametrize("comment", ["// the founders", "/* the founders */"])
def test_a_comment_in_json_says_json_has_no_comments_at_the_comment(comment: str, write_firm) -> None:
    cut = '"name": "Contoso",'
    text, line, _ = json_mistake(cut, f"\n    {comment}" + FIRM_JSON[FIRM_JSON.index(cut) + len(cut) :])
    path = write_firm(text, "firm.json")
    assert problems(path) == [f"{path}:{line + 1}:5: JSON has no comments: delete this one"]


@pytest.mark.parametrize(
    ("cut", "closer"), [('"2026-06-10"', "]"), ('"region": "emea",\n      "country": "NO"', "}")]
)
def test_a_trailing_comma_in_json_is_named_at_the_comma(cut: str, closer: str, write_firm) -> None:
    text, line, col = json_mistake(cut, "," + FIRM_JSON[FIRM_JSON.index(cut) + len(cut) :])
    path = write_firm(text, "firm.json")
    assert problems(path) == [
        f"{path}:{line}:{col}: a trailing comma before '{closer}': JSON allows none; delete it"
    ]


@pytest.mark.parametrize("indent", ["\t", "  \t"])
def test_a_tab_indenting_a_yaml_line_is_named_at_the_tab(indent: str, write_firm) -> None:
    path = write_firm(FIRM_YAML.replace("  name: Contoso", f"{indent}name: Contoso"))
    line = line_of(FIRM_YAML, "  name: Contoso")
    assert problems(path) == [f"{path}:{line}:{len(indent)}: a tab indents this line; indent with spaces"]


@pytest.mark.parametrize(("opened", "col"), [('"Contoso', 9), ("'Contoso", 9), ("'it''s Contoso", 9)])
def test_an_unclosed_yaml_quote_is_named_where_it_opens(opened: str, col: int, write_firm) -> None:
    path = write_firm(FIRM_YAML.replace("  name: Contoso", f"  name: {opened}"))
    line = line_of(FIRM_YAML, "  name: Contoso")
    assert problems(path) == [f"{path}:{line}:{col}: the quote opened here is never closed"]


@pytest.mark.parametrize(("fmt", "value"), [("yaml", "2096-09-05"), ("json", '"2096-09-05"')])
def test_a_far_future_date_is_a_located_warning_not_an_error(fmt: str, value: str, write_firm) -> None:
    path = write_firm(firm_text(fmt, "last_active_on", value), f"firm.{fmt}")
    r = tiercheck("validate", path)
    assert r.returncode == 0, r.stdout
    text = FIRM_YAML if fmt == "yaml" else FIRM_JSON
    line = line_of(text, "last_active_on")
    [warned] = r.stdout.splitlines()[:-1]
    assert warned.startswith(f"{path}:{line}:")
    assert "warning: last_active_on 2096-09-05 is" in warned and "years from today: a typo?" in warned
    assert tiercheck("validate", "--strict", path).returncode == 1
