"""Checking one firm file: the fast and exact paths agree, and every problem is located and worded."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL_FIRM, line_of
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ARCHITECT, KNOWN, customer, firm_of, person

from validator.loader import LoadError, Source
from validator.reading import decide
from validator.validate import check_exactly, check_file, check_source


def exactly(monkeypatch: pytest.MonkeyPatch, source: Source):
    """The located path on every file, valid or not: what check_source says when the fast check fails."""
    try:
        data = decide(source)
    except LoadError:
        return check_source(source, KNOWN)
    return check_exactly(source, data, KNOWN)


def located_by_libyaml(text: str) -> bool:
    from validator.loader import parse_located

    try:
        parse_located(Source("f.yaml", text, ""))
    except LoadError:
        return False
    return True


def check(text: str, name: str = "firm.yaml"):
    return check_source(Source(name, text, ""), KNOWN)


def messages(text: str, name: str = "firm.yaml") -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in check(text, name).problems]


def with_deployment_line(extra: str) -> str:
    return MINIMAL_FIRM.replace("    stage: production\n", f"    stage: production\n    {extra}\n")


# The fast path and the exact path


EXAMPLE_FILES = sorted(
    p
    for folder in ("firms", "invalid")
    for p in (EXAMPLES / folder).glob("*")
    if p.suffix in (".yaml", ".yml", ".json")
)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fast_and_exact_paths_give_the_same_verdict_and_data(path: Path, monkeypatch) -> None:
    source = Source(str(path), path.read_text(encoding="utf-8"), "")
    fast, exact = check_source(source, KNOWN), exactly(monkeypatch, source)
    assert (fast.valid, fast.data) == (exact.valid, exact.data)
    assert (fast.problems, fast.warnings) == (exact.problems, exact.warnings)


REGIONS = st.sampled_from(["emea", "amer", "apac", "EMEA", "europe", "eu"])
CREDENTIALS = st.tuples(
    st.sampled_from([ARCHITECT, "claude-certified-architec", "aws-certified-architect"]),
    st.sampled_from(["foundations", "professional", "foundation", "Professional"]),
    st.sampled_from([None, "CCAR-P-01000", "ccar-p-01000", "CCAR-F-00123"]),
)


@settings(max_examples=60, deadline=None)
@given(regions=st.lists(REGIONS, min_size=1, max_size=3), held=st.lists(CREDENTIALS, min_size=1, max_size=3))
def test_both_paths_agree_on_what_the_policy_knows_and_refuse_exactly_the_unknown(regions, held) -> None:
    people = [person(i, name=name, level=level) for i, (name, level, _) in enumerate(held)]
    for p, (_, _, number) in zip(people, held, strict=True):
        if number is not None:
            p["credentials"][0]["id"] = number
    text = yaml.safe_dump(firm_of(people=people, customers=[customer(i, r) for i, r in enumerate(regions)]))
    source = Source("firm.yaml", text, "")
    fast = check_source(source, KNOWN)
    with pytest.MonkeyPatch.context() as m:
        exact = exactly(m, source)
    assert (fast.valid, fast.problems, fast.warnings) == (exact.valid, exact.problems, exact.warnings)
    numbers = [n.casefold() for _, _, n in held if n is not None]
    known = (
        set(regions) <= {"emea", "amer", "apac"}
        and all(level in ("foundations", "professional") for name, level, _ in held if name == ARCHITECT)
        and len(numbers) == len(set(numbers))
    )
    assert fast.valid == known
    assert len(fast.warnings) == sum(name == "claude-certified-architec" for name, _, _ in held)


def test_a_valid_file_gives_no_problems_and_its_data_on_both_paths(monkeypatch) -> None:
    source = Source("firm.yaml", MINIMAL_FIRM, "abc")
    for checked in (check_source(source, KNOWN), exactly(monkeypatch, source)):
        assert checked.valid and checked.problems == []
        assert checked.data["firm"] == {"id": "contoso", "name": "Contoso", "joined_on": "2026-04-02"}
        assert checked.data["stories"][0]["customer_named"] is True
        assert checked.sha256 == "abc"


def test_an_invalid_file_gives_its_problems_sorted_by_line_and_no_data() -> None:
    text = (
        MINIMAL_FIRM.replace(
            "    url: https://contoso.example/stories/acme", "    url: ftp://contoso.example"
        )
        .replace("  id: contoso", "  id: Contoso")
        .replace("    region: emea", "    region: emea\n    size: large")
    )
    checked = check(text)
    assert checked.data is None and not checked.valid
    lines = [p.line for p in checked.problems]
    assert lines == sorted(lines)
    assert lines == [line_of(text, "id: Contoso"), line_of(text, "size: large"), line_of(text, "url: ftp")]


def test_check_file_records_the_digest_of_the_bytes_on_disk(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM)
    checked = check_file(path, KNOWN)
    assert checked.valid and checked.file == str(path)
    assert checked.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_file_turns_a_missing_file_or_a_folder_into_a_problem(tmp_path) -> None:
    for path in (tmp_path / "gone.yaml", tmp_path):
        checked = check_file(path, KNOWN)
        assert not checked.valid and checked.problems[0].line == 1
        assert "cannot read" in checked.problems[0].message


def test_a_lone_surrogate_escape_in_json_is_refused_on_both_paths(monkeypatch) -> None:
    # "\ud800" names no character: the text cannot be written out as UTF-8 again.
    text = json.dumps(
        {"schema_version": 1, "firm": {"id": "contoso", "name": "\ud800", "joined_on": "2026-04-02"}}
    )
    assert "\\ud800" in text
    source = Source("firm.json", text, "")
    assert not exactly(monkeypatch, source).valid
    assert not check_source(source, KNOWN).valid


def test_a_large_file_with_one_mistake_is_reported_at_the_mistake(tmp_path) -> None:
    # 30,000 people in 1.6 MB is well under the size cap, and the fast path accepts the clean file;
    # the same file with one duplicate id must be reported at that entry, not refused for its size.
    head = MINIMAL_FIRM.split("people:\n")[0] + "people:\n"
    people = "".join(f"  - {{id: p-{i}, name: P, last_active_on: 2026-01-01}}\n" for i in range(30_000))
    assert check(head + people).valid
    text = head + people + "  - {id: p-7, name: Again, last_active_on: 2026-01-01}\n"
    assert messages(text) == [
        (
            line_of(text, "name: Again"),
            f"duplicate id 'p-7' in people (first on line {line_of(text, 'id: p-7,')})",
        )
    ]


# Schema problems, located and worded


def test_an_unknown_key_is_reported_at_its_own_line_with_a_did_you_mean_hint() -> None:
    text = MINIMAL_FIRM.replace("    live_on: 2026-05-01\n", "    live_date: 2026-05-01\n")
    problems = check(text).problems
    typo = [p for p in problems if "live_date" in p.message]
    assert len(typo) == 1
    assert (typo[0].line, typo[0].col) == (line_of(text, "live_date"), 5)
    assert typo[0].message.startswith("unknown key 'live_date': did you mean 'live_on'?")
    assert typo[0].path == "$.deployments[0].live_date"


def test_an_unknown_key_with_nothing_close_gets_no_hint() -> None:
    text = with_deployment_line("colour: blue")
    [(line, message)] = messages(text)
    assert line == line_of(text, "colour") and "did you mean" not in message
    assert "allowed here:" in message and "live_on" in message


@pytest.mark.parametrize("version", ["2", "0", "'1'", "v1"])
def test_an_unknown_schema_version_is_refused_with_just_that_problem(version: str) -> None:
    # Other mistakes in the file are not reported: this tiercheck does not know the format.
    text = (
        MINIMAL_FIRM.replace("schema_version: 1", f"schema_version: {version}")
        .replace("  id: contoso", "  id: Contoso")
        .replace("live_on:", "live_date:")
    )
    checked = check(text)
    assert len(checked.problems) == 1, checked.problems
    problem = checked.problems[0]
    assert (problem.line, problem.path) == (1, "$.schema_version")
    assert "write schema_version: 1" in problem.message or "write the number, unquoted: 1" in problem.message


@pytest.mark.parametrize("spelling", ["0b1", "0_1", "1_"])
def test_schema_version_written_as_a_string_that_looks_like_one_is_refused(spelling: str) -> None:
    # Under the YAML 1.2 core schema these are strings, not the integer 1.
    checked = check(MINIMAL_FIRM.replace("schema_version: 1", f"schema_version: {spelling}"))
    assert not checked.valid
    assert checked.problems[0].line == 1


def test_a_missing_schema_version_is_a_missing_required_key() -> None:
    assert messages(MINIMAL_FIRM.replace("schema_version: 1\n", "")) == [
        (1, "missing required key 'schema_version'")
    ]


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    for text in ("- a\n- b\n", "just words\n", "---\n"):
        [(line, message)] = messages(text)
        assert line == 1 and "a firm file is a mapping" in message


def test_every_problem_in_a_file_is_reported() -> None:
    text = (
        MINIMAL_FIRM.replace("  id: contoso", "  id: Contoso")
        .replace("    last_active_on: 2026-11-02\n", "")
        .replace("    customer: c-acme\n    stage", "    customer: c-nobody\n    stage")
        .replace("    published_on: 2026-08-01", "    published_on: 2026-08-32")
    )
    problems = check(text).problems
    assert [(p.line, p.code) for p in problems] == [
        (line_of(text, "id: Contoso"), "schema"),
        (line_of(text, "- id: p-ada"), "schema"),
        (line_of(text, "- id: d-acme"), "unknown-reference"),
        (line_of(text, "published_on"), "schema"),
    ]
    assert "missing required key 'last_active_on'" in problems[1].message
    assert "customer 'c-nobody' is not listed under customers" in problems[2].message


def test_several_broken_rules_at_one_place_are_one_problem_that_counts_the_rest() -> None:
    text = MINIMAL_FIRM.replace("    stage: production", "    stage: 7")
    [problem] = check(text).problems
    assert (problem.line, problem.path) == (line_of(text, "stage: 7"), "$.deployments[0].stage")
    assert problem.message.endswith("(and 1 more problem here)")


# Dates, slugs and links


@pytest.mark.parametrize(
    "day", ["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-4-2", "26-04-02"]
)
def test_an_impossible_or_malformed_date_is_refused_at_its_line(day: str) -> None:
    text = MINIMAL_FIRM.replace("joined_on: 2026-04-02", f"joined_on: {day}")
    [(line, message)] = messages(text)
    assert line == line_of(text, "joined_on")
    assert message.startswith(f"'{day}' is not a valid date")


def test_a_leap_day_in_a_leap_year_is_accepted() -> None:
    checked = check(MINIMAL_FIRM.replace("joined_on: 2026-04-02", "joined_on: 2028-02-29"))
    assert checked.valid, checked.problems
    assert checked.data["firm"]["joined_on"] == "2028-02-29"


def test_a_bad_date_in_an_activity_list_is_located_at_the_entry() -> None:
    text = MINIMAL_FIRM.replace(
        "    last_active_on: 2026-11-02\n",
        "    last_active_on: 2026-11-02\n    activity:\n      - 2026-06-01\n      - 2026-02-29\n",
    )
    [problem] = check(text).problems
    assert (problem.line, problem.col) == (line_of(text, "2026-02-29"), 9)
    assert problem.path == "$.people[0].activity[1]"


def test_a_date_and_time_is_not_a_date() -> None:
    [(_, message)] = messages(MINIMAL_FIRM.replace("joined_on: 2026-04-02", "joined_on: 2026-04-02T10:00:00"))
    assert "is not a valid date" in message


@pytest.mark.parametrize("slug", ["contoso", "contoso-partners", "c3po", "2026-firm"])
def test_slug_ids_are_accepted(slug: str) -> None:
    assert check(MINIMAL_FIRM.replace("  id: contoso", f"  id: {slug}")).valid


@pytest.mark.parametrize(
    "bad",
    [
        "Contoso",
        "contoso_partners",
        "contoso--partners",
        "-contoso",
        "contoso-",
        "con toso",
        "'contoso\\n'",
        '"contoso\\n"',
    ],
    ids=[
        "upper",
        "underscore",
        "double-hyphen",
        "leading-hyphen",
        "trailing-hyphen",
        "space",
        "backslash-n",
        "newline",
    ],
)
def test_ids_must_be_slugs(bad: str) -> None:
    text = MINIMAL_FIRM.replace("  - id: p-ada", f"  - id: {bad}")
    [(line, message)] = messages(text)
    assert line == line_of(text, "- id: ") and "is not a valid slug" in message


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "'javascript://contoso.example/%0Aalert(1)'",
        "ftp://contoso.example/story",
        "contoso.example/story",
        "'https://contoso.example/a b'",
        '"https://contoso.example/story\\n"',
    ],
    ids=["javascript", "javascript-slashes", "ftp", "no-scheme", "space", "trailing-newline"],
)
def test_a_story_url_must_be_an_http_link(url: str) -> None:
    text = MINIMAL_FIRM.replace("    url: https://contoso.example/stories/acme", f"    url: {url}")
    [(line, message)] = messages(text)
    assert line == line_of(text, "    url: ") and "is not a valid link" in message


def test_a_deployment_evidence_link_must_be_http_too() -> None:
    text = with_deployment_line("evidence: javascript:alert(1)")
    [(line, message)] = messages(text)
    assert line == line_of(text, "evidence") and "is not a valid link" in message


def test_http_and_https_links_are_accepted() -> None:
    text = with_deployment_line("evidence: http://contoso.example/e")
    assert check(text).valid


def test_valid_yaml_1_2_that_libyaml_cannot_read_is_judged_and_placed_by_a_search() -> None:
    # A flow mapping with its ':' on the line after the key: YAML 1.2, refused by libyaml.
    text = MINIMAL_FIRM.replace("    region: emea\n", "    region: emea\n    tags: {a\n     : 1}\n")
    assert not located_by_libyaml(text)
    (problem,) = check(text).problems
    assert "unknown key 'tags'" in problem.message
    assert problem.line == line_of(text, "tags:")
