"""The common mistakes in a firm file, said so that the firm's staff know what to type instead."""

from __future__ import annotations

from conftest import MINIMAL_FIRM, line_of
from support import tiercheck


def problems(path) -> list[str]:
    r = tiercheck("validate", path)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stdout.splitlines()[:-1]


def test_an_empty_email_says_it_is_empty_and_what_to_do(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM.replace("email: ada@contoso.example", "email:"))
    line = line_of(MINIMAL_FIRM, "email:")
    assert problems(path) == [
        f"{path}:{line}:5: email is empty: write text after the colon, or delete the line if it is optional"
    ]


def test_a_bad_email_shows_what_an_email_address_looks_like(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM.replace("ada@contoso.example", "ada-at-contoso"))
    [said] = problems(path)
    assert said.endswith(
        "'ada-at-contoso' is not a valid email: an email address has one @ and no spaces, "
        "e.g. ada.park@northwind.example"
    )


def test_a_date_written_as_a_number_says_the_date_format_not_to_quote_it(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM.replace("joined_on: 2026-04-02", "joined_on: 20260402"))
    line = line_of(MINIMAL_FIRM, "joined_on:")
    assert problems(path) == [f"{path}:{line}:3: expected a date (YYYY-MM-DD), found 20260402"]


def test_a_number_for_text_in_json_says_how_to_quote_it_in_json(write_firm) -> None:
    text = '{"schema_version": 1,\n "firm": {"id": "contoso", "name": 5, "joined_on": "2026-04-02"}}\n'
    path = write_firm(text, "firm.json")
    assert problems(path) == [f'{path}:2:28: expected text, found 5: quote it ("name": "5")']


def test_a_quoted_schema_version_says_to_write_the_number_unquoted(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM.replace("schema_version: 1", 'schema_version: "1"'))
    assert problems(path) == [f"{path}:1:1: schema_version is the text '1'; write the number, unquoted: 1"]


def test_a_utf16_file_says_to_save_it_as_utf8(write_firm) -> None:
    path = write_firm(MINIMAL_FIRM.encode("utf-16"))
    assert problems(path) == [
        f"{path}:1:1: the file is UTF-16 text, not UTF-8: save it as UTF-8 "
        "(in most editors: Save As, encoding UTF-8)"
    ]


def test_other_bytes_that_are_not_utf8_say_to_save_as_utf8(write_firm) -> None:
    path = write_firm(
        MINIMAL_FIRM.replace("Contoso\n", "Cont\udcf6so\n", 1).encode("utf-8", "surrogateescape")
    )
    [said] = problems(path)
    assert said.endswith("not UTF-8 text: byte 0xf6 cannot be decoded; save the file as UTF-8")


def test_a_non_breaking_space_as_indentation_is_named_on_its_own_line(write_firm) -> None:
    line = line_of(MINIMAL_FIRM, "  name: Contoso")
    path = write_firm(MINIMAL_FIRM.replace("  name: Contoso", "\u00a0 name: Contoso", 1))
    said = problems(path)
    assert said[0] == (
        f"{path}:{line}:1: a non-breaking space (U+00A0) indents this line: YAML needs ordinary spaces; "
        "delete the indentation and type it again"
    )
    assert len(said) == 2 and "YAML syntax" in said[1]
