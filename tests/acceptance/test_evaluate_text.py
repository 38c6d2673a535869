"""`evaluate`'s text output, the README's first command: every line it can print, on real files."""

from __future__ import annotations

from pathlib import Path

from conftest import line_of
from support import firm, tiercheck, top_tier_firm, write_yaml

NORTHWIND = Path(__file__).resolve().parents[2] / "examples" / "firms" / "northwind-advisory.yaml"


def evaluate_text(path: Path, as_of: str) -> str:
    r = tiercheck("evaluate", path, "--as-of", as_of)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return r.stdout


def test_the_readme_example_heads_with_file_firm_policy_tier_standing_and_next_review() -> None:
    lines = evaluate_text(NORTHWIND, "2026-11-25").splitlines()
    assert lines[:6] == [
        f"{NORTHWIND}: Northwind Advisory (northwind-advisory)",
        "  as of 2026-11-25 under policy cpn-services 2026.1 (in effect from 2026-03-01)",
        "  eligible tier: Select",
        "  eligible for Select until 2027-02-04 if nothing changes: on 2027-02-05, certified people: 9, "
        "below the 10 Select needs, when Sofia Lindqvist [p-sofia] drops out: last used Claude on "
        "2026-11-07, 90 days before 2027-02-05; the window is the last 90 days, and 1 more drops out "
        "that day",
        "  standing: Select since 2026-10-01 (launch cohort review)",
        "  next review: 2026-12-31 demotion look: stays Select if the data stays as it is",
    ]


def test_each_metric_is_shown_against_the_next_tier_with_its_shortfall_or_alone_without_a_need() -> None:
    text = evaluate_text(NORTHWIND, "2026-11-25")
    assert "    Certified people                         29   Preferred needs 100, 71 short\n" in text
    assert "    Regions with customers in production      2\n" in text


def test_the_shortfalls_come_smallest_share_first_so_the_easiest_fix_leads() -> None:
    text = evaluate_text(NORTHWIND, "2026-11-25")
    assert (
        "  to reach Preferred, fix first:\n"
        "    - public customer stories: 1 more (2 of 3)\n"
        "    - certified people: 71 more (29 of 100)\n"
        "    - customers in production: 12 more (3 of 15)\n"
    ) in text


def test_every_record_that_did_not_count_is_listed_with_its_reason() -> None:
    text = evaluate_text(NORTHWIND, "2026-11-25")
    assert "  did not count (12):\n" in text
    assert "    - certified people: Marcus Holm [p-marcus] left the firm on 2026-10-15\n" in text
    assert (
        "    - public customer stories: Initech's support assistant [s-initech] was withdrawn on 2026-10-01\n"
        in text
    )


def test_at_risk_lists_the_ten_soonest_and_says_how_many_more_there_are() -> None:
    text = evaluate_text(NORTHWIND, "2026-11-25")
    _, _, rest = text.partition("  at risk (29), still counting but dropping out:\n")
    listed = rest.splitlines()
    assert listed[0] == (
        "    - 2026-12-04  certified people: Ada Park [p-ada]: last used Claude on 2026-09-05, 90 days "
        "before 2026-12-04; the window is the last 90 days"
    )
    assert all(line.startswith("    - ") for line in listed[:10])
    assert listed[10] == "    ... and 19 more (--format json lists them all)"
    assert len(listed) == 11


def test_at_risk_of_ten_or_fewer_lists_them_all_with_no_more_line(tmp_path) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(people=10, active_on="2026-11-20"))
    text = evaluate_text(path, "2026-11-25")
    assert "  at risk (10), still counting but dropping out:\n" in text
    assert "more (--format json lists them all)" not in text


def test_a_firm_at_the_top_tier_has_no_next_tier_and_no_shortfalls(tmp_path) -> None:
    data = top_tier_firm()
    text = evaluate_text(write_yaml(tmp_path / "firm.yaml", data), "2026-11-25")
    assert "  eligible tier: Global Premier\n" in text
    assert "    Certified people                       1000\n" in text
    assert "Preferred needs" not in text and "fix first" not in text and "did not count" not in text


def test_a_date_before_the_firm_joined_has_no_tier(tmp_path) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(joined_on="2026-06-01"))
    text = evaluate_text(path, "2026-04-01")
    assert "  eligible tier: none (not yet joined on this date)\n" in text


def test_a_date_before_the_firm_joined_has_no_tier_in_any_designation() -> None:
    programs = Path(__file__).resolve().parents[2] / "examples" / "programs" / "specializations"
    r = tiercheck(
        "evaluate",
        programs / "firms" / "ember-solutions.yaml",
        "--policy",
        programs / "policy",
        "--as-of",
        "2026-03-05",
    )
    assert "  Data specialization: none (not yet joined on this date)\n" in r.stdout
    assert "  Security specialization: none (not yet joined on this date)\n" in r.stdout
    assert "needs" not in r.stdout and "closest way" not in r.stdout


def test_a_firm_that_never_moved_shows_its_standing_without_a_review_name(tmp_path) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(joined_on="2026-10-02"))
    text = evaluate_text(path, "2026-11-25")
    assert "  standing: Registered since 2026-10-02\n" in text


def test_a_pending_demotion_names_its_day_and_notice_and_the_standing_keeps_the_awarding_review(
    tmp_path,
) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(active_on="2026-09-01"))
    text = evaluate_text(path, "2027-01-15")
    assert "  standing: Select since 2026-10-01 (launch cohort review)\n" in text
    assert "  pending demotion: to Registered on 2027-03-31 (notice given 2026-12-31)\n" in text
    assert (
        "  next review: 2027-03-31 demotion takes effect: demotion to Registered if the data stays as it is\n"
    ) in text


def test_a_region_the_policy_does_not_list_is_a_located_error_and_no_evaluation(tmp_path) -> None:
    path = write_yaml(tmp_path / "firm.yaml", firm(regions=("emea", "mars")))
    r = tiercheck("evaluate", path, "--as-of", "2026-11-25")
    line = line_of(path.read_text(encoding="utf-8"), "region: mars")
    assert (r.returncode, r.stdout) == (
        1,
        f"{path}:{line}:3: unknown region 'mars': the policy lists: amer, emea, apac\n",
    )
