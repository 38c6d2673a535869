"""Reading firm files safely: positions, YAML 1.2 scalars, and every kind of hostile input refused fast."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import MINIMAL_FIRM, line_of
from support import KNOWN, QUICKLY

from validator.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadError,
    Source,
    parse_located,
    read_source,
)
from validator.reading import _NOT_PRINTABLE, decide
from validator.validate import check_file, check_source


def located(text: str, name: str = "f.yaml"):
    return parse_located(Source(name, text, ""))


def refused(text: str, name: str = "f.yaml") -> LoadError:
    with pytest.raises(LoadError) as info:
        located(text, name)
    return info.value


def only_problem(path: Path):
    """The one problem check_file reports for a file (the test fails if there are none or several)."""
    checked = check_file(path, KNOWN)
    assert not checked.valid and checked.data is None
    assert len(checked.problems) == 1, checked.problems
    return checked.problems[0]


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


# Positions


def test_a_character_is_refused_exactly_when_yaml_1_2_cannot_print_it() -> None:
    def printable(c: int) -> bool:  # YAML 1.2, production [1] c-printable
        return (
            c in (0x09, 0x0A, 0x0D, 0x85)
            or 0x20 <= c <= 0x7E
            or 0xA0 <= c <= 0xD7FF
            or 0xE000 <= c <= 0xFFFD
            or 0x10000 <= c <= 0x10FFFF
        )

    every = "".join(map(chr, range(0x110000)))
    refused = {ord(c) for c in _NOT_PRINTABLE.findall(every)}
    assert refused == {c for c in range(0x110000) if not printable(c)}


def test_keys_and_list_entries_have_one_based_lines_and_columns() -> None:
    doc = located(MINIMAL_FIRM)
    assert doc.where(()) == (1, 1)
    assert doc.where(("schema_version",)) == (1, 1)
    assert doc.where(("firm", "joined_on")) == (line_of(MINIMAL_FIRM, "joined_on:"), 3)
    # A list entry is located at its first key, just after "- ".
    assert doc.where(("people", 0)) == (line_of(MINIMAL_FIRM, "- id: p-ada"), 5)
    assert doc.where(("people", 0, "credentials", 0)) == (line_of(MINIMAL_FIRM, "- name: claude"), 9)
    assert doc.where(("people", 0, "credentials", 0, "issued_on")) == (line_of(MINIMAL_FIRM, "issued_on"), 9)
    assert doc.where(("stories", 0, "consent", "by")) == (line_of(MINIMAL_FIRM, "by: Head"), 7)


def test_a_path_without_a_position_falls_back_to_its_nearest_located_ancestor() -> None:
    doc = located(MINIMAL_FIRM)
    assert doc.where(("people", 0, "no_such_key")) == doc.where(("people", 0))
    assert doc.where(("people", 7, "name")) == doc.where(("people",))


def test_scalar_list_entries_are_located_at_the_entry_itself() -> None:
    text = "activity: [2026-08-14, 2026-10-01]\nmore:\n  - x\n  - y\n"
    doc = located(text)
    assert doc.where(("activity", 1)) == (1, text.index("2026-10-01") + 1)
    assert doc.where(("more", 1)) == (4, 5)


def test_json_keys_and_entries_are_located_too() -> None:
    text = '{"a": [1,\n  {"b": 2}],\n "c": 3}'
    doc = located(text, "f.json")
    second = text.splitlines()[1]
    assert doc.data == {"a": [1, {"b": 2}], "c": 3}
    assert doc.where(("a", 1)) == (2, second.index("{") + 1)
    assert doc.where(("a", 1, "b")) == (2, second.index('"b"') + 1)
    assert doc.where(("c",)) == (3, 2)


# YAML 1.1 surprises: a firm file is read with the YAML 1.2 core schema.


@pytest.mark.parametrize("word", ["NO", "no", "No", "on", "On", "ON", "off", "yes", "Yes", "y", "n", "Y"])
def test_yaml_1_1_booleans_stay_strings_on_both_parsers(word: str) -> None:
    text = f"a: {word}\n"
    assert located(text).data == {"a": word}
    assert decide(Source("f.yaml", text, "")) == {"a": word}


def test_dates_stay_text_and_core_schema_scalars_are_typed() -> None:
    data = located("a: 2026-01-01\nb: true\nc: ~\nd: 12\ne: '12'\nf: 1.5\ng: False\n").data
    assert data == {"a": "2026-01-01", "b": True, "c": None, "d": 12, "e": "12", "f": 1.5, "g": False}


@pytest.mark.parametrize(
    "value", ["NO", "12:30", "0o17", "0x1F", "+12", "1e3", ".5", "2026-01-01", ".inf", "0777"]
)
def test_the_decider_reads_every_plain_scalar_as_the_core_schema_does(value: str) -> None:
    text = f"a: {value}\n"
    assert decide(Source("f.yaml", text, "")) == located(text).data


@pytest.mark.parametrize("value", ["1_000", "0b101", "0X1", "+0x1", "-0x1F", "0O1", "+0o7", ".INf"])
def test_a_yaml_1_1_number_is_refused_at_its_place_not_read_as_a_number(value: str) -> None:
    # yaml-rs reads these as numbers; YAML 1.2's core schema reads them as text. Neither reading is
    # safe to guess, so the file says which: quoted, it is text.
    text = f"b: 1\na: [x, {value}]\n"
    with pytest.raises(LoadError) as info:
        decide(Source("f.yaml", text, ""))
    assert (info.value.kind, info.value.line, info.value.col) == (
        "number",
        2,
        text.splitlines()[1].index(value) + 1,
    )
    assert decide(Source("f.yaml", f"a: '{value}'\n", "")) == {"a": value}


@pytest.mark.parametrize("text", ["a: 'x 0X1'\n", 'a: "0X1 y"\n', "a: model 0X1\n", "a: 1_000 km\n"])
def test_a_yaml_1_1_number_inside_text_is_text(text: str) -> None:
    assert isinstance(decide(Source("f.yaml", text, ""))["a"], str)


def test_country_no_is_norway_not_false(write_firm) -> None:
    checked = check_file(write_firm(), KNOWN)
    assert checked.valid, checked.problems
    assert checked.data["customers"][0]["country"] == "NO"


def test_yes_for_customer_named_is_a_schema_error_at_its_line(write_firm) -> None:
    text = MINIMAL_FIRM.replace("customer_named: true", "customer_named: yes")
    problem = only_problem(write_firm(text))
    assert problem.line == line_of(text, "customer_named")
    assert "expected true or false, found 'yes'" in problem.message


# Duplicate keys: an error at the second occurrence, never "the last one wins".


def test_a_duplicate_key_is_reported_at_its_second_occurrence() -> None:
    error = refused("a: 1\nb: 2\na: 3\n")
    assert (error.line, error.col) == (3, 1)
    assert "duplicate key 'a' (first on line 1)" in error.message


def test_a_duplicate_key_inside_a_list_entry_is_reported_at_its_second_occurrence() -> None:
    error = refused("people:\n  - id: p-a\n    name: A\n    id: p-b\n")
    assert (error.line, error.col) == (4, 5)
    assert "duplicate key 'id' (first on line 2)" in error.message


def test_a_duplicate_key_in_a_firm_file_makes_it_invalid_at_the_second_line(write_firm) -> None:
    text = MINIMAL_FIRM.replace("  name: Contoso\n", "  name: Contoso\n  name: Contoso Two\n")
    problem = only_problem(write_firm(text))
    assert problem.line == line_of(text, "name: Contoso Two")
    assert "duplicate key 'name'" in problem.message


def test_a_duplicate_key_in_json_is_reported_at_its_second_occurrence() -> None:
    error = refused('{"a": 1,\n "b": 2,\n "a": 2}', "f.json")
    assert error.line == 3 and "duplicate key 'a' (first on line 1)" in error.message


def test_a_duplicate_key_in_a_json_firm_file_makes_it_invalid(write_firm) -> None:
    text = (
        '{"schema_version": 1,\n'
        ' "firm": {"id": "contoso", "name": "Contoso", "joined_on": "2026-04-02"},\n'
        ' "schema_version": 1}\n'
    )
    problem = only_problem(write_firm(text, "firm.json"))
    assert problem.line == 3 and "duplicate key 'schema_version'" in problem.message


# Tags: data only, nothing is ever built or run.


def test_no_tag_builds_or_runs_anything(tmp_path, write_firm) -> None:
    marker = tmp_path / "ran"
    text = MINIMAL_FIRM.replace(
        "  name: Contoso\n", f'  name: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    problem = only_problem(write_firm(text))
    assert problem.line == line_of(text, "!!python")
    assert "tags are not allowed" in problem.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "tagged",
    [
        "name: !!python/object/apply:os.system [Contoso]",
        "name: !!python/name:os.system",
        "name: !!str Contoso",
        "name: !custom Contoso",
        "name: !!binary Q29udG9zbw==",
    ],
)
def test_a_tagged_value_is_refused_at_its_line(tagged: str, write_firm) -> None:
    text = MINIMAL_FIRM.replace("  name: Contoso\n", f"  {tagged}\n")
    problem = only_problem(write_firm(text))
    assert problem.line == line_of(text, tagged) and "tags are not allowed" in problem.message


@pytest.mark.parametrize("tag", ["!!str", "!custom", "!!python/str"])
def test_a_tag_right_after_a_json_style_key_is_refused_too(tag: str, write_firm) -> None:
    # `{"name":!!str Contoso}` is a tagged value (YAML 1.2 lets `:` touch a quoted key in a flow mapping).
    firm = '{"id": contoso, "name":' + tag + ' Contoso, "joined_on": 2026-04-02}'
    text = f"schema_version: 1\nfirm: {firm}\n"
    problem = only_problem(write_firm(text))
    assert problem.line == 2 and "tags are not allowed" in problem.message


def test_an_exclamation_mark_in_prose_is_not_a_tag(write_firm) -> None:
    text = MINIMAL_FIRM.replace("result: 40% faster claims handling", "result: 40% faster! Wow !")
    checked = check_file(write_firm(text), KNOWN)
    assert checked.valid, checked.problems
    assert checked.data["stories"][0]["result"] == "40% faster! Wow !"


# Hostile sizes: refused quickly, with bounded memory.


def test_billion_laughs_is_refused_quickly(write_firm) -> None:
    path = write_firm(billion_laughs())
    start = time.perf_counter()
    problem = only_problem(path)
    assert time.perf_counter() - start < QUICKLY
    assert "aliases expand to more than" in problem.message


def test_billion_laughs_is_refused_with_bounded_memory(write_firm) -> None:
    # Peak resident memory of a fresh interpreter checking the file; a full expansion needs gigabytes.
    path = write_firm(billion_laughs())
    probe = textwrap.dedent(
        f"""
        import resource, sys
        from validator.policies import load_policies
        from validator.validate import check_file
        from validator.vocabulary import vocabulary
        checked = check_file({str(path)!r}, vocabulary(load_policies().versions))
        assert not checked.valid
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) < 300 * 1024  # KiB


def test_aliases_used_as_mapping_values_are_bounded_too() -> None:
    text = "a: &a [x]\n" + "".join(
        f"b{i}: &b{i} {{" + ", ".join(f"k{j}: *{'a' if i == 0 else f'b{i - 1}'}" for j in range(10)) + "}\n"
        for i in range(9)
    )
    start = time.perf_counter()
    assert "aliases expand to more than" in refused(text).message
    assert check_source(Source("f.yaml", text, ""), KNOWN).problems
    assert time.perf_counter() - start < QUICKLY


@pytest.mark.parametrize(
    ("text", "at", "what"),
    [
        ("a: &x [1, *x]\n", (1, 11), "list"),
        (
            "schema_version: 1\nfirm: &a\n  id: x-co\n  name: *a\n  joined_on: 2026-03-01\n",
            (4, 9),
            "mapping",
        ),
        ("a: &x\n  - 1\n  - &x {b: *x}\n", (3, 12), "mapping"),  # the nearest node of that name
    ],
    ids=["flow-list", "enclosing-mapping", "renamed-inner-node"],
)
def test_an_alias_inside_the_node_it_names_is_refused_as_a_cycle_where_it_is_written(
    text: str, at: tuple[int, int], what: str
) -> None:
    """yaml-rs reads such an alias as null (a field "is empty"); libyaml sees the cycle: one verdict."""
    message = f"alias *{text.split('*')[1][0]} is inside the {what}"
    error = refused(text)
    assert ((error.line, error.col), error.kind) == (at, "cycle") and error.message.startswith(message)
    with pytest.raises(LoadError) as decided:
        decide(Source("f.yaml", text, ""))
    assert (decided.value.line, decided.value.col, decided.value.message) == (*at, error.message)


def test_an_alias_to_a_finished_node_of_the_same_name_is_not_a_cycle() -> None:
    text = "a: &x [1]\nb: &y [*x, 'R&D *co*']\n"
    assert decide(Source("f.yaml", text, "")) == {"a": [1], "b": [[1], "R&D *co*"]}
    assert located(text).data == {"a": [1], "b": [[1], "R&D *co*"]}


@pytest.mark.parametrize(
    "text,name",
    [
        ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "f.yaml"),
        ("a:\n" + "".join(" " * i + "- \n" for i in range(1, MAX_DEPTH + 5)), "f.yaml"),
        ('{"a": ' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}", "f.json"),
    ],
    ids=["flow", "block", "json"],
)
def test_nesting_deeper_than_the_limit_is_refused(text: str, name: str) -> None:
    assert "nesting deeper than" in refused(text, name).message


@pytest.mark.parametrize("name", ["f.yaml", "f.json"])
def test_absurdly_deep_nesting_is_refused_quickly_without_a_crash(name: str) -> None:
    text = "[" * 200_000 + "]" * 200_000
    start = time.perf_counter()
    checked = check_source(Source(name, text, ""), KNOWN)
    assert not checked.valid and "nesting" in checked.problems[0].message
    assert time.perf_counter() - start < QUICKLY


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    assert located("a: " + "[" * depth + "]" * depth + "\n").data is not None


def test_a_file_over_the_size_cap_is_refused_quickly(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    start = time.perf_counter()
    with pytest.raises(LoadError, match="larger than"):
        read_source(big)
    problem = only_problem(big)
    assert "larger than" in problem.message and problem.line == 1
    assert time.perf_counter() - start < QUICKLY


def test_a_file_exactly_at_the_size_cap_is_read(tmp_path) -> None:
    path = tmp_path / "at-cap.yaml"
    path.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_source(path).text) == MAX_FILE_BYTES


# Encodings and line ends.


def test_bytes_that_are_not_utf8_are_refused_at_their_line(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        read_source(path)
    assert (info.value.line, info.value.col) == (2, 7)
    assert "not UTF-8" in info.value.message


def test_a_non_utf8_firm_file_is_a_problem_at_the_line_of_the_bad_byte(write_firm) -> None:
    raw = MINIMAL_FIRM.replace("Ada Park", "Ada P\udce4rk").encode("utf-8", "surrogateescape")
    problem = only_problem(write_firm(raw))
    assert problem.line == line_of(MINIMAL_FIRM, "Ada Park")
    assert "not UTF-8" in problem.message and "0xe4" in problem.message


def test_a_byte_order_mark_and_crlf_line_ends_are_fine(write_firm) -> None:
    path = write_firm(b"\xef\xbb\xbf" + MINIMAL_FIRM.replace("\n", "\r\n").encode())
    checked = check_file(path, KNOWN)
    assert checked.valid, checked.problems
    assert checked.data["firm"]["id"] == "contoso"  # not "\ufeffschema_version" or "contoso\r"


def test_problems_in_a_crlf_file_with_a_byte_order_mark_are_at_the_right_line(write_firm) -> None:
    text = MINIMAL_FIRM.replace(
        "    stage: production\n", "    stage: production\n    live_date: 2026-05-01\n"
    )
    path = write_firm(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    problem = only_problem(path)
    assert (problem.line, problem.col) == (line_of(text, "live_date"), 5)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# just a comment\n", "# one\n\n# two\n"])
def test_an_empty_or_comment_only_file_is_refused(text: str, write_firm) -> None:
    assert refused(text).message == "the file is empty"
    problem = only_problem(write_firm(text))
    assert (problem.line, problem.message) == (1, "the file is empty")


def test_an_empty_json_file_is_refused(write_firm) -> None:
    problem = only_problem(write_firm("", "firm.json"))
    assert problem.message == "the file is empty"


def test_a_second_document_is_refused_at_its_start() -> None:
    error = refused("a: 1\n---\nb: 2\n")
    assert error.line == 2 and "a second YAML document" in error.message


def test_a_firm_file_with_a_second_document_is_refused_at_the_separator(write_firm) -> None:
    text = MINIMAL_FIRM + "---\n" + MINIMAL_FIRM
    problem = only_problem(write_firm(text))
    assert problem.line == line_of(text, "---") and "a second YAML document" in problem.message


def test_a_leading_document_marker_is_fine(write_firm) -> None:
    assert check_file(write_firm("---\n" + MINIMAL_FIRM), KNOWN).valid


# JSON


def test_json_with_tabs_is_fine(write_firm) -> None:
    text = (
        '{\n\t"schema_version": 1,\n\t"firm": {\n\t\t"id": "contoso",\n\t\t"name": "Contoso",\n'
        '\t\t"joined_on": "2026-04-02"\n\t}\n}\n'
    )
    assert located(text, "f.json").data["firm"]["id"] == "contoso"
    checked = check_file(write_firm(text, "firm.json"), KNOWN)
    assert checked.valid, checked.problems


def test_a_problem_in_tab_indented_json_is_at_its_line(write_firm) -> None:
    text = (
        '{\n\t"schema_version": 1,\n\t"firm": {\n\t\t"id": "Contoso",\n'
        '\t\t"name": "C",\n\t\t"joined_on": "2026-04-02"\n\t}\n}\n'
    )
    problem = only_problem(write_firm(text, "firm.json"))
    assert problem.line == 4 and "not a valid slug" in problem.message


def test_a_json_syntax_error_is_reported_with_its_line() -> None:
    error = refused('{"a": [1,\n 2}', "f.json")
    assert error.line == 2 and error.message.startswith("JSON syntax")


@pytest.mark.parametrize(
    "broken",
    [
        '"joined_on": "2026-04-02",}',  # a trailing comma
        '"joined_on": "2026-04-02"} # a comment',
        "'joined_on': '2026-04-02'}",  # single quotes
        '"joined_on": 2026-04-02}',  # a bare word
        # a raw tab inside a string (JSON wants \\t):
        '"joined_on": "2026-04-02"}, "people": [{"id": "p", "name": "A\tB", "last_active_on": "2026-01-01"}]',
    ],
    ids=["trailing-comma", "comment", "single-quotes", "bare-word", "raw-tab-in-a-string"],
)
def test_a_json_file_must_be_json(broken: str, write_firm) -> None:
    text = '{"schema_version": 1,\n "firm": {"id": "contoso", "name": "Contoso",\n  ' + broken + "\n}\n"
    checked = check_file(write_firm(text, "firm.json"), KNOWN)
    assert not checked.valid, "a file that is not JSON was accepted as a valid .json firm file"
    assert [p.line for p in checked.problems][:1] == [3]
    assert "JSON" in checked.problems[0].message


# Malformed structure is a located problem, never a crash.


def test_a_mapping_used_as_a_key_is_refused_not_crashed_on() -> None:
    error = refused("? [a, b]\n: value\n")
    assert (error.line, error.col) == (1, 3) and "a mapping key must be a plain string" in error.message


def test_control_characters_are_refused_at_their_position() -> None:
    error = refused('a: 1\nb: "x\x07y"\n')
    assert (error.line, error.col) == (2, 6) and "U+0007" in error.message


def test_a_yaml_syntax_error_is_a_located_problem(write_firm) -> None:
    text = MINIMAL_FIRM.replace("    name: Ada Park\n", "    name: [Ada Park\n")
    problem = only_problem(write_firm(text))
    assert problem.message.startswith("YAML syntax") and problem.line > line_of(text, "- id: p-ada")


@pytest.mark.parametrize("name", ["firm.yaml", "firm.json"])
def test_a_number_too_long_to_convert_is_a_located_problem_not_an_exception(name: str, write_firm) -> None:
    # Python refuses to turn more than 4300 digits into an int; that must not escape as an exception.
    digits = "9" * 5000
    text = f'{{"schema_version": 1,\n "firm": {digits}}}\n'
    problem = only_problem(write_firm(text, name))
    assert problem.line == 2


# One verdict: what yaml-rs cannot see is checked in the text first.


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_a_control_character_is_refused_at_its_place_not_read_past(char: str) -> None:
    # yaml-rs stops at a NUL and reads the rest of the file as absent: the firm would lose people.
    text = MINIMAL_FIRM.replace("  - id: p-ada", f"  {char}- id: p-ada")
    checked = check_source(Source("f.yaml", text, ""), KNOWN)
    assert [(p.line, p.col) for p in checked.problems] == [(line_of(text, "- id: p-ada"), 3)]
    assert f"U+{ord(char):04X}" in checked.problems[0].message or "NUL" in checked.problems[0].message


def test_a_problem_at_the_end_of_a_four_line_file_is_on_line_four() -> None:
    text = "schema_version: 1\nfirm:\n  id: contoso\n  name: [Contoso,\n"
    (problem,) = check_source(Source("f.yaml", text, ""), KNOWN).problems
    assert problem.line == 4 and problem.message.startswith("YAML syntax")


def test_a_surrogate_pair_in_json_is_one_character_and_a_typo_beside_it_is_still_found() -> None:
    text = MINIMAL_FIRM.replace("name: Ada Park", "name: Ada Park\n    nmae: x")
    data = decide(Source("f.yaml", text, ""))
    data["people"][0]["name"] = "Ada \U0001f680"
    as_json = json.dumps(data, indent=1)
    assert "\\ud83d\\ude80" in as_json
    (problem,) = check_source(Source("f.json", as_json, ""), KNOWN).problems
    assert "unknown key 'nmae'" in problem.message and problem.line == line_of(as_json, '"nmae"')


def test_a_tab_after_a_colon_separates_as_yaml_1_2_allows_and_a_quoted_tab_stays() -> None:
    # yaml-rs stops at `key:<TAB>value`; the decider reads that tab as the separator it is.
    text = MINIMAL_FIRM.replace("  name: Contoso\n", "  name:\tContoso\n").replace(
        "    region: emea\n", '    region:\t\temea\n    note: "a:\tb"\n'
    )
    data = decide(Source("f.yaml", text, ""))
    assert data["firm"]["name"] == "Contoso" and data["customers"][0]["region"] == "emea"
    assert data["customers"][0]["note"] == "a:\tb"
