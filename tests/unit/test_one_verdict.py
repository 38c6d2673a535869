"""One verdict per file: the fast and the located path agree on every input, mutated or generated.

`nox -s fuzz` runs the same properties with many more examples.
"""

from __future__ import annotations

import json
import os

import yaml
from conftest import EXAMPLES, MINIMAL_FIRM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import KNOWN

from validator.loader import LoadError, Source
from validator.reading import Lines, decide
from validator.validate import canonical, check_exactly, check_source

FUZZ_EXAMPLES = int(os.environ.get("TIERCHECK_FUZZ_EXAMPLES", "0"))
# The fuzz session adds the large example firm; the suite mutates the small one (~1 ms a check).
SEEDS = [MINIMAL_FIRM] + [
    (EXAMPLES / "firms" / "northwind-advisory.yaml").read_text(encoding="utf-8")
] * bool(FUZZ_EXAMPLES)
JSON_SEED = json.dumps(decide(Source("f.yaml", MINIMAL_FIRM, "")), indent=1)
# What breaks parsers: indicators, quotes, breaks YAML 1.2 does not count, control characters, numbers
# YAML 1.1 reads otherwise, escapes, tags, anchors, document markers.
PIECES = [
    ":", "-", " ", "  ", "\n", "\r", "\r\n", "\t", '"', "'", "!", "!!str ", "&a ", "*a", "#", "{", "}",
    "[", "]", ",", "?", "|", ">", "%", "@", "`", "\\", "\\u", "\\ud83d\\ude80", "\\ud800", "0X1", "+0x1",
    ":\t", "0O1", "1_000", "0b1", ".NaN", ".inf", "\u2028", "\u2029", "\x85", "\x00", "\x01", "\x7f",
    "\ufffe", "\ufeff", "é", "\U0001f680", "\n---\n", "\n...\n", "~", "null", "yes", "NO", "9999-12-31",
    "0000-01-01", "2026-02-29", "1e400", "NaN", "Infinity", "1" * 30,
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed file with a few pieces inserted, characters deleted, or lines duplicated or dropped."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "line"]))
        if action == "insert":
            text = text[:where] + draw(st.sampled_from(PIECES)) + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 8)) :]
        elif action == "replace":
            text = text[:where] + draw(st.sampled_from(PIECES)) + text[where + 1 :]
        else:
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[i:i] = [lines[i]] if lines and draw(st.booleans()) else []
            text = "".join(lines) if lines else text
    return text


WORDS = st.text("ab:-_ \n#'\"!&*0X1.é\u2028\t", max_size=8)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), WORDS, st.sampled_from(PIECES))
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
    max_leaves=10,
)


def assert_one_verdict(text: str, name: str) -> None:
    source = Source(name, text, "")
    checked = check_source(source, KNOWN)
    last_line = len(Lines(text).starts)
    for problem in checked.problems:
        assert 1 <= problem.line <= last_line and problem.col >= 1, (problem, text)
    try:
        data = decide(source)
    except LoadError as exc:
        assert [(p.line, p.col, p.message) for p in checked.problems] == [(exc.line, exc.col, exc.message)]
        return
    if checked.valid:  # else check_source has already taken the located path: nothing to compare
        exact = check_exactly(source, data, KNOWN)
        assert exact.valid and exact.problems == [], (text, exact.problems)
        assert exact.data == checked.data == canonical(data)


# `nox -s fuzz` sets TIERCHECK_FUZZ_EXAMPLES; the suite itself stays within seconds.
def examples(n: int) -> settings:
    return settings(
        max_examples=FUZZ_EXAMPLES or n,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@examples(500)
@given(mutated(SEEDS))
def test_a_mutated_yaml_firm_file_gets_one_verdict_on_either_path(text: str) -> None:
    assert_one_verdict(text, "firm.yaml")


@examples(300)
@given(mutated([JSON_SEED]))
def test_a_mutated_json_firm_file_gets_one_verdict_on_either_path(text: str) -> None:
    assert_one_verdict(text, "firm.json")


@examples(400)
@given(documents, st.sampled_from(["yaml", "json"]))
def test_a_generated_document_gets_one_verdict_on_either_path(doc: object, form: str) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True) if form == "yaml" else json.dumps(doc)
    assert_one_verdict(text, f"doc.{form}")


@examples(30)
@given(st.sampled_from(["\u2028", "\u2029", "\x85"]), st.integers(0, 3))
def test_breaks_yaml_1_2_does_not_count_never_move_a_problem(char: str, where: int) -> None:
    clean = MINIMAL_FIRM.replace("  id: contoso", "  id: Contoso")
    names = ["Ada Park", "Contoso\n", "Acme Insurance", "Head of Claims"]
    text = clean.replace(names[where], names[where][:3] + char + names[where][3:], 1)
    before = check_source(Source("f.yaml", clean, ""), KNOWN)
    after = check_source(Source("f.yaml", text, ""), KNOWN)
    assert [(p.line, p.col) for p in after.problems] == [(p.line, p.col) for p in before.problems]
