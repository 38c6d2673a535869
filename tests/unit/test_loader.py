"""Reading firm files safely: positions, YAML 1.2 scalars, and every kind of hostile input refused fast."""

from __future__ import annotations

import time

import pytest

from validator.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadError,
    Source,
    parse_fast,
    parse_located,
    read_source,
)
from validator.validate import check_source

VALID = """schema_version: 1
firm:
  id: contoso
  name: Contoso
  joined_on: 2026-04-02
people:
  - id: p-ada
    name: Ada
    last_active_on: 2026-11-02
  - id: p-bo
    name: Bo
    last_active_on: 2026-11-03
"""


def located(text: str, name: str = "f.yaml"):
    return parse_located(Source(name, text, ""))


def refused(text: str, name: str = "f.yaml") -> LoadError:
    with pytest.raises(LoadError) as info:
        located(text, name)
    return info.value


def test_keys_and_list_entries_have_one_based_lines_and_columns() -> None:
    doc = located(VALID)
    assert doc.where(("firm", "joined_on")) == (5, 3)
    assert doc.where(("people", 1)) == (10, 5)
    assert doc.where(("people", 1, "last_active_on")) == (12, 5)
    assert doc.where(("people", 1, "no_such_key")) == (10, 5)  # the nearest ancestor


def test_yaml_1_1_words_stay_strings() -> None:
    data = located("a: NO\nb: on\nc: yes\nd: off\ne: 2026-01-01\nf: true\ng: ~\n").data
    assert data == {"a": "NO", "b": "on", "c": "yes", "d": "off", "e": "2026-01-01", "f": True, "g": None}


def test_the_fast_parser_agrees_on_scalars() -> None:
    text = "a: NO\nb: on\nc: yes\ne: 2026-01-01\nf: true\nh: 12\ni: '12'\n"
    assert parse_fast(Source("f.yaml", text, "")) == located(text).data


def test_a_duplicate_key_is_reported_at_its_second_occurrence() -> None:
    error = refused("a: 1\nb: 2\na: 3\n")
    assert (error.line, error.col) == (3, 1) and "duplicate key 'a' (first on line 1)" in error.message


def test_a_duplicate_key_in_json_is_reported_too() -> None:
    error = refused('{"a": 1,\n "a": 2}', "f.json")
    assert error.line == 2 and "duplicate key 'a'" in error.message


def test_no_tag_builds_anything(tmp_path) -> None:
    marker = tmp_path / "ran"
    error = refused(f'a: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert "tags are not allowed" in error.message and error.line == 1
    assert not marker.exists()
    assert "tags are not allowed" in refused("a: !custom x\n").message


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    error = refused("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert "aliases expand to more than" in error.message


def test_very_deep_nesting_is_refused() -> None:
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert "nesting deeper than" in refused(deep).message


def test_a_file_over_the_size_cap_is_refused_without_reading_it_all(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(LoadError, match="larger than"):
        read_source(big)


def test_bytes_that_are_not_utf8_are_refused_at_their_line(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        read_source(path)
    assert (info.value.line, info.value.col) == (2, 7)


@pytest.mark.parametrize("text", ["", "# just a comment\n", "\n\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert refused(text).message == "the file is empty"


def test_a_second_document_is_refused_at_its_start() -> None:
    error = refused("a: 1\n---\nb: 2\n")
    assert error.line == 2 and "a second YAML document" in error.message


def test_a_byte_order_mark_and_crlf_line_ends_are_fine(tmp_path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode())
    checked = check_source(read_source(path))
    assert checked.valid and checked.data["firm"]["id"] == "contoso"


def test_json_with_tabs_is_fine_and_its_syntax_errors_are_located() -> None:
    assert located('{\t"a":\t[1,\t2]}', "f.json").data == {"a": [1, 2]}
    error = refused('{"a": [1,\n 2}', "f.json")
    assert error.line == 2 and error.message.startswith("JSON syntax")


def test_a_mapping_used_as_a_key_is_refused_not_crashed_on() -> None:
    error = refused("? [a, b]\n: value\n")
    assert (error.line, error.col) == (1, 3) and "a mapping key must be a plain string" in error.message


def test_control_characters_are_refused_at_their_position() -> None:
    error = refused('a: 1\nb: "x\x07y"\n')
    assert (error.line, error.col) == (2, 6) and "U+0007" in error.message
