"""summary never shortens a list silently: `N of M`, how many more, and --limit / --all to change it."""

from __future__ import annotations

import json

import pytest
from support import firm, tiercheck, write_yaml

AS_OF = ("--as-of", "2026-11-25")


@pytest.fixture
def three_firms(tmp_path):
    """Three firms within reach of Select (9 of its 10 people) and an invalid file."""
    for i in range(3):
        write_yaml(tmp_path / "firms" / f"f{i}.yaml", firm(firm_id=f"firm-{i}", name=f"Firm {i}", people=9))
    (tmp_path / "firms" / "bad.yaml").write_text("schema_version: 1\n")
    return tmp_path / "firms"


def test_a_capped_list_says_how_many_it_shows_and_how_many_more_there_are(three_firms) -> None:
    out = tiercheck("summary", three_firms, *AS_OF, "--limit", "2").stdout
    assert "within reach of the next tier (2 of 3, closest first):" in out
    assert "  ... and 1 more (--limit N or --all lists more)" in out
    assert out.count(" -> Select:") == 2


def test_all_lists_every_firm_and_says_no_of(three_firms) -> None:
    out = tiercheck("summary", three_firms, *AS_OF, "--all").stdout
    assert "within reach of the next tier (3, closest first):" in out
    assert "lists more" not in out and out.count(" -> Select:") == 3


def test_markdown_and_html_say_the_same_counts(three_firms) -> None:
    md = tiercheck("summary", three_firms, *AS_OF, "--limit", "1", "--format", "markdown").stdout
    assert "### Within reach of the next tier (1 of 3, closest first)" in md
    assert "_... and 2 more (--limit N or --all lists more)_" in md
    html = tiercheck("summary", three_firms, *AS_OF, "--limit", "1", "--format", "html").stdout
    assert "1 of 3, closest first" in html and "… and 2 more" in html


def test_json_gives_every_lists_full_count_and_the_limit(three_firms) -> None:
    doc = json.loads(tiercheck("summary", three_firms, *AS_OF, "--limit", "1", "--format", "json").stdout)
    assert (len(doc["within_reach"]), doc["within_reach_count"], doc["keep"]) == (1, 3, 1)
    assert doc["shown"]["within_reach"] == "1 of 3"
    assert (
        json.loads(tiercheck("summary", three_firms, *AS_OF, "--all", "--format", "json").stdout)["keep"]
        is None
    )


@pytest.mark.parametrize("bad", ["0", "-1", "x"])
def test_a_limit_below_one_is_a_usage_error(three_firms, bad) -> None:
    r = tiercheck("summary", three_firms, *AS_OF, "--limit", bad)
    assert r.returncode == 2 and "is not a whole number of at least 1" in r.stderr


def test_limit_and_all_together_are_refused(three_firms) -> None:
    r = tiercheck("summary", three_firms, *AS_OF, "--limit", "2", "--all")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr
