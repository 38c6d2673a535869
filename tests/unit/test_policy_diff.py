from __future__ import annotations

from support import SHIPPED_POLICY, policy_variant

from validator.language.diff import describe_changes
from validator.policies import load_policies


def _changes(tmp_path, *replacements: tuple[str, str]) -> list[str]:
    old = load_policies(SHIPPED_POLICY).versions[0]
    new = load_policies(policy_variant(tmp_path / "new.yaml", *replacements)).versions[0]
    return describe_changes(old, new)


def test_identical_policies_have_no_changes(tmp_path) -> None:
    assert _changes(tmp_path) == []


def test_a_raised_threshold_is_named_with_its_tier_metric_and_both_values(tmp_path) -> None:
    changes = _changes(
        tmp_path, ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}")
    )
    assert changes == ["tier 'select': certified_people at least 10 -> 12"]


def test_a_longer_window_is_described_in_days(tmp_path) -> None:
    changes = _changes(tmp_path, ("activity: {days: 90, label: the last 90 days}", "activity: {days: 180}"))
    assert changes == ["window 'activity': 90 days -> 180 days"]


def test_a_newly_accepted_credential_and_a_retired_level_are_named(tmp_path) -> None:
    changes = _changes(
        tmp_path,
        ("level: foundations, from: 2026-03-01,", "level: foundations, from: 2026-03-01, until: 2027-01-01,"),
        (
            "  accepted:                     # choice: both levels count\n",
            "  accepted:\n    - {name: claude-certified-developer, level: associate, from: 2027-01-01}\n",
        ),
    )
    assert "credential claude-certified-developer (associate) now accepted: counts from 2027-01-01" in changes
    assert (
        "credential claude-certified-architect (foundations): counts from 2026-03-01 -> "
        "counts from 2026-03-01 until 2027-01-01" in changes
    )


def test_a_new_tier_is_placed_on_the_ladder_with_its_requirements(tmp_path) -> None:
    changes = _changes(
        tmp_path,
        (
            "  - id: preferred\n",
            "  - id: advanced\n    requires:\n      - {metric: certified_people, at_least: 50}\n"
            "  - id: preferred\n",
        ),
    )
    assert changes == ["tier 'advanced' added above 'select', requiring certified_people >= 50"]


def test_calendar_changes_are_described(tmp_path) -> None:
    changes = _changes(tmp_path, ("notice_days: 90", "notice_days: 60"), ("cure: false", "cure: true"))
    assert changes == ["notice period (days): 90 -> 60", "cure: no -> yes"]


# Each optional value of the shipped policy, as written there, and the text with it left out.
DEFAULTS_LEFT_OUT = (
    (
        "  default_term: {months: 12}    # choice: valid 12 months from award "
        "unless the file says expires_on\n",
        "",
    ),
    ("    cure: false                            # choice: no cure inside the notice period\n", ""),
    ("  promotion_replaces_notice: true          # choice\n", ""),
    (
        "    partner: true\n    requires:\n      - {metric: certified_people, at_least: 10}",
        "    requires:\n      - {metric: certified_people, at_least: 10}",
    ),
)


def test_leaving_out_a_value_equal_to_its_default_is_no_change(tmp_path) -> None:
    assert _changes(tmp_path, *DEFAULTS_LEFT_OUT) == []


def test_a_value_left_out_is_compared_as_its_default(tmp_path) -> None:
    written = policy_variant(
        tmp_path / "written.yaml",
        ("default_term: {months: 12}", "default_term: {months: 24}"),
        ("cure: false", "cure: true"),
        ("promotion_replaces_notice: true", "promotion_replaces_notice: false"),
        ("label: Select\n    partner: true", "label: Select\n    partner: false"),
    )
    left_out = policy_variant(tmp_path / "left-out.yaml", *DEFAULTS_LEFT_OUT)
    old, new = (load_policies(p).versions[0] for p in (written, left_out))
    assert describe_changes(old, new) == [
        "default credential term: 24 months -> 12 months",
        "tier 'select': label or partner status changed",
        "cure: yes -> no",
        "promotion replaces a pending notice: no -> yes",
    ]


def test_requirements_with_alternatives_are_compared_whole(tmp_path) -> None:
    changes = _changes(
        tmp_path,
        (
            "      - {metric: certified_people, at_least: 10}\n"
            "      - {metric: customers_in_production, at_least: 2}\n",
            "      - any_of:\n          - {metric: certified_people, at_least: 10}\n"
            "          - {metric: customers_in_production, at_least: 4}\n",
        ),
    )
    assert changes == [
        "tier 'select': requires certified_people >= 10 and customers_in_production >= 2 and "
        "public_stories >= 1 -> (certified_people >= 10 or customers_in_production >= 4) and "
        "public_stories >= 1"
    ]


def test_calendar_changes_name_review_days_anniversaries_and_grace(tmp_path) -> None:
    changes = _changes(
        tmp_path,
        ('promotion: ["01-01", "07-01"]', "promotion: {every_months: 6}"),
        ('on: "12-31"', 'on: ["06-30", "12-31"]'),
        ("  promotion_replaces_notice: true", "  grace: {months: 12}\n  promotion_replaces_notice: true"),
    )
    assert changes == [
        "promotion reviews: 01-01, 07-01 -> every 6 months from the day the firm joined",
        "demotion look day: 12-31 -> 06-30, 12-31",
        "no demotion notice after a promotion for: no time -> 12 months",
    ]


def test_a_tier_given_a_new_id_in_the_same_place_is_named_a_rename(tmp_path) -> None:
    changes = _changes(tmp_path, ("  - id: select\n", "  - id: silver\n"))
    assert changes == ["tier 'select' renamed 'silver' (the same place on the ladder)"]


def test_a_renamed_tier_with_a_new_threshold_is_a_rename_and_a_threshold_change(tmp_path) -> None:
    changes = _changes(
        tmp_path,
        ("  - id: select\n", "  - id: silver\n"),
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    assert changes == [
        "tier 'select' renamed 'silver' (the same place on the ladder)",
        "tier 'silver': certified_people at least 10 -> 12",
    ]


def test_a_tier_dropped_and_another_added_elsewhere_is_no_rename(tmp_path) -> None:
    select = (
        "  - id: select\n"
        + SHIPPED_POLICY.read_text(encoding="utf-8")
        .split("  - id: select\n")[1]
        .split("  - id: preferred\n")[0]
    )
    changes = _changes(
        tmp_path,
        (select, ""),
        ("# The awarded tier", select.replace("id: select", "id: summit") + "\n# The awarded tier"),
    )
    assert changes[0].startswith("tier 'summit' added above 'global-premier'")
    assert changes[1:] == ["tier 'select' removed"]
