from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import firm, policy_variant, top_tier_firm

from validator.policies import PolicySet, load_policies
from validator.standing import Standing, calendar_ahead, compute_standing, reviews_between

D = date.fromisoformat


@pytest.fixture(scope="module")
def shipped() -> PolicySet:
    return load_policies()


def test_a_promotion_waits_for_the_next_january_or_july_review(shipped: PolicySet) -> None:
    data = firm(
        joined_on="2027-02-01",
        active_on="2027-06-01",
        issued_on="2027-02-15",
        live_on="2027-02-20",
        published_on="2027-02-25",
    )
    before = compute_standing(shipped, data, D("2027-06-30"))
    after = compute_standing(shipped, data, D("2027-07-01"))
    assert before is not None and after is not None
    assert (before.tier, before.since) == ("registered", D("2027-02-01"))
    assert (after.tier, after.since) == ("select", D("2027-07-01"))
    assert [(c.on, c.kind, c.from_tier, c.to_tier) for c in after.history] == [
        (D("2027-07-01"), "promotion", "registered", "select")
    ]


def test_the_launch_cohort_review_promotes_firms_joined_by_30_september(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-09-30", active_on="2026-09-15")
    s = compute_standing(shipped, data, D("2026-10-01"))
    assert s is not None and (s.tier, s.since) == ("select", D("2026-10-01"))
    assert s.history[0].label == "Launch cohort review"


def test_the_launch_cohort_review_skips_firms_joined_after_30_september(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-10-01", active_on="2026-12-15", activity=("2026-09-15",))
    s = compute_standing(shipped, data, D("2026-12-31"))
    assert s is not None and s.tier == "registered"
    assert s.history == []
    promoted = compute_standing(shipped, data, D("2027-01-01"))
    assert promoted is not None and (promoted.tier, promoted.since) == ("select", D("2027-01-01"))


def test_a_firm_joining_on_a_review_day_is_reviewed_that_day(shipped: PolicySet) -> None:
    data = firm(
        joined_on="2027-07-01",
        active_on="2027-06-20",
        issued_on="2027-06-01",
        live_on="2027-06-01",
        published_on="2027-06-10",
    )
    s = compute_standing(shipped, data, D("2027-07-01"))
    assert s is not None and (s.tier, s.since) == ("select", D("2027-07-01"))


def test_a_december_look_below_standing_gives_notice_and_demotes_90_days_later(shipped: PolicySet) -> None:
    # Select since the cohort review; everyone last used Claude on 2026-09-15,
    # so on 2026-12-31 (107 days later) nobody counts.
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    at_look = compute_standing(shipped, data, D("2026-12-31"))
    assert at_look is not None and at_look.tier == "select"
    assert at_look.pending_demotion is not None
    assert at_look.pending_demotion.given_on == D("2026-12-31")
    assert at_look.pending_demotion.effective_on == D("2027-03-31")
    day_before = compute_standing(shipped, data, D("2027-03-30"))
    assert day_before is not None and day_before.tier == "select"
    demoted = compute_standing(shipped, data, D("2027-03-31"))
    assert demoted is not None and (demoted.tier, demoted.since) == ("registered", D("2027-03-31"))
    assert demoted.pending_demotion is None
    assert [c.kind for c in demoted.history] == ["promotion", "notice", "demotion"]


def test_no_cure_inside_the_notice_period_unless_the_policy_allows_one(tmp_path, shipped: PolicySet) -> None:
    # Inactive at the look, active again in February: the default policy demotes anyway.
    data = firm(joined_on="2026-06-10", active_on="2027-02-01", activity=("2026-09-15",))
    demoted = compute_standing(shipped, data, D("2027-04-01"))
    assert demoted is not None and demoted.tier == "registered"
    with_cure = load_policies(policy_variant(tmp_path / "cure.yaml", ("cure: false", "cure: true")))
    cured = compute_standing(with_cure, data, D("2027-04-01"))
    assert cured is not None and cured.tier == "select"
    assert [c.kind for c in cured.history] == ["promotion", "notice", "cure"]


def test_a_promotion_inside_the_notice_period_replaces_the_pending_notice(shipped: PolicySet) -> None:
    # Select at the cohort review with 10 active people; all stale at the December look (notice);
    # on 1 January 100 people have used Claude: eligible for Preferred.
    data = firm(joined_on="2026-06-10", people=100, customers=15, stories=3, active_on="2027-01-01")
    for person in data["people"][:10]:
        person["activity"] = ["2026-09-15"]
    notice = compute_standing(shipped, data, D("2026-12-31"))
    assert notice is not None and notice.tier == "select" and notice.pending_demotion is not None
    s = compute_standing(shipped, data, D("2027-01-01"))
    assert s is not None and (s.tier, s.since) == ("preferred", D("2027-01-01"))
    assert s.pending_demotion is None
    assert (
        s.history[-1].why == "eligible for Preferred on 2027-01-01; the pending demotion notice is withdrawn"
    )


def test_a_review_day_uses_the_policy_version_in_effect_that_day(tmp_path) -> None:
    folder = tmp_path / "versions"
    folder.mkdir()
    policy_variant(folder / "v1.yaml")
    policy_variant(
        folder / "v2.yaml",
        ('version: "2026.1"', 'version: "2027.1"'),
        ("effective_from: 2026-03-01", "effective_from: 2027-01-01"),
        ("{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"),
    )
    versions = load_policies(folder)
    eleven: dict[str, Any] = {"people": 11, "active_on": "2026-12-20", "activity": ("2026-09-20",)}
    cohort = compute_standing(versions, firm(joined_on="2026-06-10", **eleven), D("2027-01-01"))
    later = compute_standing(versions, firm(joined_on="2026-11-01", **eleven), D("2027-01-01"))
    assert cohort is not None and cohort.tier == "select"  # promoted on 2026-10-01 under v1
    assert later is not None and later.tier == "registered"  # 1 January 2027 is judged under v2


def test_a_stated_standing_is_kept_and_reviews_start_the_day_after_since(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-03-01", people=0, standing={"tier": "select", "since": "2026-07-01"})
    s = compute_standing(shipped, data, D("2026-12-30"))
    assert s is not None and (s.tier, s.since) == ("select", D("2026-07-01")) and s.history == []
    assert s.next_review is not None and s.next_review.on == D("2026-12-31")
    assert "notice of demotion to Registered" in s.next_review.outcome


def test_before_a_stated_since_the_calendar_is_walked_from_joining(shipped: PolicySet) -> None:
    # Select since the launch review on 2026-10-01; on the days before, that award is not in force yet
    data = firm(joined_on="2026-03-01", people=0, standing={"tier": "select", "since": "2026-10-01"})
    before = compute_standing(shipped, data, D("2026-09-30"))
    assert before is not None and (before.tier, before.since) == ("registered", D("2026-03-01"))
    assert before.next_review is not None and before.next_review.on == D("2026-10-01")
    on = compute_standing(shipped, data, D("2026-10-01"))
    assert on is not None and (on.tier, on.since, on.history) == ("select", D("2026-10-01"), [])


def test_the_next_review_counts_what_is_already_known_to_change(shipped: PolicySet) -> None:
    # Eligible today (2026-11-25), but the people's last use (2026-09-15) is 107 days old by the look.
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    s = compute_standing(shipped, data, D("2026-11-25"))
    assert s is not None and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2026-12-31"), "demotion-look")
    assert s.next_review.eligible_tier == "registered"
    assert s.next_review.outcome == "notice of demotion to Registered, taking effect on 2027-03-31"


def test_no_standing_before_the_firm_joined(shipped: PolicySet) -> None:
    assert compute_standing(shipped, firm(joined_on="2026-06-10"), D("2026-06-09")) is None


def test_the_next_look_notice_is_previewed_with_todays_data_and_none_once_a_notice_is_pending(
    shipped: PolicySet,
) -> None:
    # Select since the launch review; last active 2026-09-15, so stale (90 days) from 2026-12-14.
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    fresh = compute_standing(shipped, data, D("2026-11-25"), look_ahead=True)
    assert fresh is not None and fresh.tier == "select" and fresh.pending_demotion is None
    assert fresh.look_notice is not None
    assert (fresh.look_notice.given_on, fresh.look_notice.effective_on, fresh.look_notice.to_tier) == (
        D("2026-12-31"),
        D("2027-03-31"),
        "registered",
    )
    noticed = compute_standing(shipped, data, D("2026-12-31"), look_ahead=True)
    assert noticed is not None and noticed.pending_demotion is not None and noticed.look_notice is None


def test_the_look_notice_turns_on_the_last_active_day_leaving_the_window_on_the_look_day(
    shipped: PolicySet,
) -> None:
    # Select at the launch review thanks to September activity; last active 2026-10-02, which leaves
    # the 90-day window on 2026-12-31, the look day itself; a day later it is still inside.
    data = firm(joined_on="2026-06-10", active_on="2026-10-02", activity=("2026-09-20",))
    s = compute_standing(shipped, data, D("2026-11-25"), look_ahead=True)
    assert s is not None and s.tier == "select"
    assert s.look_notice is not None and s.look_notice.effective_on == D("2027-03-31")
    later = firm(joined_on="2026-06-10", active_on="2026-10-03", activity=("2026-09-20",))
    kept = compute_standing(shipped, later, D("2026-11-25"), look_ahead=True)
    assert kept is not None and kept.tier == "select" and kept.look_notice is None


FIXTURES = Path(__file__).resolve().parents[1] / "policies"


def _active_until(
    active_on: str, joined_on: str = "2026-03-01", issued_on: str = "2026-09-01"
) -> dict[str, Any]:
    """A Select firm (also active on 2026-09-15) whose people were last active on `active_on`: it is
    eligible for Select until 90 days after that."""
    return firm(joined_on=joined_on, active_on=active_on, activity=("2026-09-15",), issued_on=issued_on)


def test_quarterly_looks_give_notice_at_the_first_quarter_end_after_eligibility_is_lost(
    shipped: PolicySet,
) -> None:
    data = _active_until("2026-11-20")  # Select at the launch cohort review; Registered from 2027-02-18
    quarterly = load_policies(FIXTURES / "quarterly-demotion-looks.yaml")
    q = compute_standing(quarterly, data, D("2027-07-01"))
    yearly = compute_standing(shipped, data, D("2027-07-01"))
    assert q is not None and yearly is not None
    assert [(c.on, c.kind, c.to_tier) for c in q.history] == [
        (D("2026-10-01"), "promotion", "select"),
        (D("2027-03-31"), "notice", "select"),
        (D("2027-06-29"), "demotion", "registered"),
    ]
    assert yearly.tier == "select" and [c.kind for c in yearly.history] == ["promotion"]


def test_a_quarterly_look_before_eligibility_is_lost_gives_no_notice() -> None:
    # active every quarter until 2027-01-05, Registered from 2027-04-05: the 03-31 look still sees Select
    data = firm(active_on="2027-01-05", activity=("2026-09-15", "2026-12-15"), issued_on="2026-09-01")
    s = compute_standing(load_policies(FIXTURES / "quarterly-demotion-looks.yaml"), data, D("2027-06-30"))
    assert s is not None and [c.on for c in s.history if c.kind == "notice"] == [D("2027-06-30")]


GRACE = FIXTURES / "grace-12-months-after-promotion.yaml"


def _promoted_on_new_year() -> dict[str, Any]:
    """Joined after the launch cohort: promoted to Select on 2027-01-01, eligible only until 2027-03-01."""
    return firm(joined_on="2026-10-15", active_on="2026-12-01", issued_on="2026-11-01")


def test_no_demotion_notice_within_12_months_after_a_promotion(shipped: PolicySet) -> None:
    data = _promoted_on_new_year()
    graced = compute_standing(load_policies(GRACE), data, D("2028-04-01"))
    plain = compute_standing(shipped, data, D("2028-04-01"))
    assert plain is not None and (plain.tier, plain.since) == ("registered", D("2028-03-30"))
    assert graced is not None and (graced.tier, graced.since) == ("select", D("2027-01-01"))
    later = compute_standing(load_policies(GRACE), data, D("2029-04-01"))
    assert later is not None and [(c.on, c.kind) for c in later.history] == [
        (D("2027-01-01"), "promotion"),
        (D("2028-12-31"), "notice"),
        (D("2029-03-31"), "demotion"),
    ]


@pytest.mark.parametrize("days,noticed", [(364, True), (365, False)])
def test_the_grace_period_ends_on_its_last_day(tmp_path, days: int, noticed: bool) -> None:
    # promoted 2027-01-01; the look on 2027-12-31 is 364 days later: inside 365 days' grace, not 364
    path = tmp_path / "grace.yaml"
    path.write_text(GRACE.read_text().replace("grace: {months: 12}", f"grace: {{days: {days}}}"))
    s = compute_standing(load_policies(path), _promoted_on_new_year(), D("2027-12-31"))
    assert s is not None and (s.pending_demotion is not None) == noticed


def test_a_look_within_the_grace_period_is_not_the_next_review() -> None:
    # the look on 2027-12-31 cannot move the standing: the next review is the promotion review after it
    s = compute_standing(load_policies(GRACE), _promoted_on_new_year(), D("2027-07-02"))
    assert s is not None and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind, s.next_review.outcome) == (
        D("2028-01-01"),
        "promotion",
        "stays Select",
    )


@pytest.mark.parametrize(
    "days,look,notice_on",
    [(364, D("2027-12-31"), D("2027-12-31")), (365, D("2028-01-01"), D("2028-12-31"))],
)
def test_the_first_look_after_the_last_day_of_grace_is_the_one_that_can_move_the_standing(
    tmp_path, days: int, look: date, notice_on: date
) -> None:
    # promoted 2027-01-01: 364 days' grace ends before the look on 2027-12-31, 365 days' covers it
    path = tmp_path / "grace.yaml"
    path.write_text(GRACE.read_text().replace("grace: {months: 12}", f"grace: {{days: {days}}}"))
    s = compute_standing(load_policies(path), _promoted_on_new_year(), D("2027-12-30"), look_ahead=True)
    assert s is not None and s.next_review is not None and s.look_notice is not None
    assert s.next_review.on == look
    assert s.look_notice.given_on == notice_on


def test_anniversary_reviews_fall_every_n_months_from_the_day_the_firm_joined(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "anniversary.yaml", ('promotion: ["01-01", "07-01"]', "promotion: {every_months: 6}")
    )
    data = firm(joined_on="2026-10-15", active_on="2027-04-01", issued_on="2026-10-20")
    s = compute_standing(load_policies(path), data, D("2027-12-31"))
    assert s is not None
    assert [(c.on, c.label, c.to_tier) for c in s.history if c.kind == "promotion"] == [
        (D("2027-04-15"), "Anniversary review", "select"),
    ]


def test_anniversaries_of_a_month_end_step_back_in_short_months() -> None:
    from validator.language.model import ReviewDays

    days = ReviewDays(every_months=6)
    assert days.in_year(2027, D("2026-08-31")) == [D("2027-02-28"), D("2027-08-31")]
    assert days.in_year(2028, D("2026-08-31")) == [D("2028-02-29"), D("2028-08-31")]
    assert days.in_year(2026, D("2026-08-31")) == []  # the day of joining is no review


# --- edges of the walk: what mutation testing found untested ------------------------------------------


def test_each_change_in_the_history_says_what_it_did_and_why() -> None:
    quarterly = load_policies(FIXTURES / "quarterly-demotion-looks.yaml")
    s = compute_standing(quarterly, _active_until("2026-11-20"), D("2027-07-01"))
    assert s is not None
    assert [(c.on, c.kind, c.label, c.from_tier, c.to_tier, c.why) for c in s.history] == [
        (
            D("2026-10-01"),
            "promotion",
            "Launch cohort review",
            "registered",
            "select",
            "eligible for Select on 2026-10-01",
        ),
        (
            D("2027-03-31"),
            "notice",
            "Demotion look",
            "select",
            "select",
            "eligible only for Registered on 2027-03-31; demotion to Registered takes effect on 2027-06-29",
        ),
        (
            D("2027-06-29"),
            "demotion",
            "Demotion takes effect",
            "select",
            "registered",
            "notice given on 2027-03-31",
        ),
    ]
    assert (s.tier, s.since, s.pending_demotion) == ("registered", D("2027-06-29"), None)


def test_a_calendar_promotion_is_labelled_promotion_review() -> None:
    s = compute_standing(load_policies(GRACE), _promoted_on_new_year(), D("2027-01-01"))
    assert s is not None and [(c.label, c.why) for c in s.history] == [
        ("Promotion review", "eligible for Select on 2027-01-01")
    ]


def _next_review(s: Standing | None) -> tuple[Any, ...]:
    """The next review's day, kind, label, eligible tier, tier after and outcome."""
    assert s is not None and s.next_review is not None
    n = s.next_review
    return (n.on, n.kind, n.label, n.eligible_tier, n.tier_after, n.outcome)


def test_the_next_review_of_a_registered_firm_eligible_for_more_is_its_promotion(shipped: PolicySet) -> None:
    # the look on 2026-12-31 cannot lower the lowest tier, so the promotion review after it is next
    s = compute_standing(shipped, _promoted_on_new_year(), D("2026-12-01"))
    assert s is not None and s.tier == "registered"
    assert _next_review(s) == (
        D("2027-01-01"),
        "promotion",
        "Promotion review",
        "select",
        "select",
        "promotion to Select",
    )


def test_the_next_promotion_review_says_the_firm_stays_when_it_is_eligible_for_no_more(
    shipped: PolicySet,
) -> None:
    data = firm(joined_on="2026-10-15", people=0)  # eligible for Registered only
    assert _next_review(compute_standing(shipped, data, D("2026-12-01"))) == (
        D("2027-01-01"),
        "promotion",
        "Promotion review",
        "registered",
        "registered",
        "stays Registered",
    )


def test_at_the_top_tier_the_next_review_is_the_demotion_look_not_a_promotion(shipped: PolicySet) -> None:
    data = top_tier_firm()
    data["firm"]["standing"] = {"tier": "global-premier", "since": "2026-07-01"}
    s = compute_standing(shipped, data, D("2027-01-01"))
    assert s is not None and s.tier == "global-premier" and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2027-12-31"), "demotion-look")


def test_the_next_review_of_a_pending_demotion_is_the_day_it_takes_effect() -> None:
    quarterly = load_policies(FIXTURES / "quarterly-demotion-looks.yaml")
    assert _next_review(compute_standing(quarterly, _active_until("2026-11-20"), D("2027-04-15"))) == (
        D("2027-06-29"),
        "demotion",
        "Demotion takes effect",
        "registered",
        "registered",
        "demotion to Registered",
    )


def test_a_promotion_review_on_a_look_day_comes_first(tmp_path) -> None:
    path = policy_variant(tmp_path / "july-look.yaml", ('on: "12-31"', 'on: "07-01"'))
    data = firm(joined_on="2026-06-10", active_on="2027-06-15", activity=("2026-09-15",))
    s = compute_standing(load_policies(path), data, D("2027-03-01"))
    assert s is not None and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2027-07-01"), "promotion")


def test_a_demotion_falling_due_on_a_review_day_takes_effect_before_the_review(tmp_path) -> None:
    # notice on 2026-12-31, due 182 days later on 2027-07-01, a promotion review day; active again
    # in June, the firm is demoted first, then promoted back at the review
    path = policy_variant(tmp_path / "long-notice.yaml", ("notice_days: 90", "notice_days: 182"))
    data = firm(
        joined_on="2026-06-10", active_on="2027-06-15", activity=("2026-09-15",), issued_on="2026-09-01"
    )
    s = compute_standing(load_policies(path), data, D("2027-07-01"))
    assert s is not None and (s.tier, s.since) == ("select", D("2027-07-01"))
    assert [(c.on, c.kind, c.to_tier) for c in s.history] == [
        (D("2026-10-01"), "promotion", "select"),
        (D("2026-12-31"), "notice", "select"),
        (D("2027-07-01"), "demotion", "registered"),
        (D("2027-07-01"), "promotion", "select"),
    ]


def test_a_look_while_a_notice_is_pending_gives_no_second_notice(tmp_path) -> None:
    quarterly = FIXTURES / "quarterly-demotion-looks.yaml"
    path = tmp_path / "quarterly-long-notice.yaml"
    path.write_text(quarterly.read_text().replace("notice_days: 90", "notice_days: 182"))
    s = compute_standing(load_policies(path), _active_until("2026-11-20"), D("2027-10-01"))
    assert s is not None
    assert [(c.on, c.kind) for c in s.history] == [
        (D("2026-10-01"), "promotion"),
        (D("2027-03-31"), "notice"),
        (D("2027-09-29"), "demotion"),
    ]


@pytest.mark.parametrize(
    "since,promoted", [("2027-01-01", False), ("2026-12-31", True)], ids=["on-the-review", "the-day-before"]
)
def test_a_review_on_the_day_of_a_stated_since_is_not_applied_the_next_is(
    shipped: PolicySet, since: str, promoted: bool
) -> None:
    data = firm(
        joined_on="2026-03-01", active_on="2026-12-20", standing={"tier": "registered", "since": since}
    )
    s = compute_standing(shipped, data, D("2027-03-01"))
    assert s is not None
    assert (s.tier, s.since) == (("select", D("2027-01-01")) if promoted else ("registered", D(since)))


def test_a_firm_that_joined_before_the_first_policy_starts_at_its_lowest_tier(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-01-15", people=0)
    s = compute_standing(shipped, data, D("2026-02-01"))
    assert s is not None and (s.tier, s.since, s.history) == ("registered", D("2026-01-15"), [])


@pytest.mark.parametrize("again_on,cured", [("2027-03-30", True), ("2027-03-31", False)])
def test_a_cure_needs_eligibility_again_before_the_day_the_demotion_falls_due(
    tmp_path, again_on: str, cured: bool
) -> None:
    # notice on 2026-12-31, due 2027-03-31; active again on `again_on`
    with_cure = load_policies(policy_variant(tmp_path / "cure.yaml", ("cure: false", "cure: true")))
    data = firm(joined_on="2026-06-10", active_on=again_on, activity=("2026-09-15",), issued_on="2026-09-01")
    s = compute_standing(with_cure, data, D("2027-04-01"))
    assert s is not None and s.tier == ("select" if cured else "registered")
    last = s.history[-1]
    if cured:
        assert (last.on, last.kind, last.label, last.from_tier, last.to_tier, last.why) == (
            D("2027-03-31"),
            "cure",
            "Demotion takes effect",
            "select",
            "select",
            "eligible for Select again before 2027-03-31; the notice is cured",
        )
    else:
        assert (last.kind, last.to_tier) == ("demotion", "registered")


def test_without_promotion_replacing_the_notice_a_promotion_keeps_it_pending(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "keep.yaml", ("promotion_replaces_notice: true", "promotion_replaces_notice: false")
    )
    data = firm(joined_on="2026-06-10", people=100, customers=15, stories=3, active_on="2027-01-01")
    for person in data["people"][:10]:
        person["activity"] = ["2026-09-15"]
    s = compute_standing(load_policies(path), data, D("2027-01-01"))
    assert s is not None and (s.tier, s.since) == ("preferred", D("2027-01-01"))
    assert s.pending_demotion is not None and s.pending_demotion.effective_on == D("2027-03-31")
    assert s.history[-1].why == "eligible for Preferred on 2027-01-01"


def test_the_look_notice_on_a_look_day_without_notice_is_next_years_look(shipped: PolicySet) -> None:
    # active on 2026-12-20: eligible at the 2026-12-31 look, stale by the 2027-12-31 one
    data = firm(joined_on="2026-06-10", active_on="2026-12-20", activity=("2026-09-15",))
    s = compute_standing(shipped, data, D("2026-12-31"), look_ahead=True)
    assert s is not None and s.pending_demotion is None and s.look_notice is not None
    assert (s.look_notice.given_on, s.look_notice.effective_on) == (D("2027-12-31"), D("2028-03-30"))


@pytest.mark.parametrize("only_on", ["2027-01-01", "2027-01-02"])
def test_one_eligible_day_inside_the_notice_period_cures_it(tmp_path, only_on: str) -> None:
    # notice on 2026-12-31; active on `only_on` with credentials expiring the next day
    with_cure = load_policies(policy_variant(tmp_path / "cure.yaml", ("cure: false", "cure: true")))
    data = firm(joined_on="2026-06-10", active_on=only_on, activity=("2026-09-15",), issued_on="2026-09-01")
    for person in data["people"]:
        person["credentials"][0]["expires_on"] = (D(only_on) + timedelta(days=1)).isoformat()
    s = compute_standing(with_cure, data, D("2027-04-01"))
    assert s is not None and s.tier == "select" and s.history[-1].kind == "cure"


def test_eligibility_lost_on_the_look_day_is_not_cured_by_the_day_before(tmp_path) -> None:
    # last active 2026-10-02: eligible through 2026-12-30, not on the look day nor after
    with_cure = load_policies(policy_variant(tmp_path / "cure.yaml", ("cure: false", "cure: true")))
    data = firm(joined_on="2026-06-10", active_on="2026-10-02", activity=("2026-09-20",))
    s = compute_standing(with_cure, data, D("2027-04-01"))
    assert s is not None and (s.tier, s.history[-1].kind) == ("registered", "demotion")


def test_a_demotion_due_after_every_review_in_sight_is_still_the_next_review(tmp_path) -> None:
    # Global Premier, noticed at the 2027-12-31 look with 500 days' notice: no promotion can move it
    # and no look may give a second notice, so the next review is the demotion, more than a year ahead
    path = policy_variant(tmp_path / "long-notice.yaml", ("notice_days: 90", "notice_days: 500"))
    data = top_tier_firm()
    data["firm"]["standing"] = {"tier": "global-premier", "since": "2026-07-01"}
    s = compute_standing(load_policies(path), data, D("2028-01-01"))
    assert s is not None and s.pending_demotion is not None
    assert _next_review(s) == (
        D("2029-05-14"),
        "demotion",
        "Demotion takes effect",
        "registered",
        "registered",
        "demotion to Registered",
    )


def test_the_look_notice_the_day_before_a_look_is_that_looks(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    s = compute_standing(shipped, data, D("2026-12-30"), look_ahead=True)
    assert s is not None and s.look_notice is not None and s.look_notice.given_on == D("2026-12-31")


def test_the_look_notice_is_that_of_the_first_look_after_the_grace_period() -> None:
    s = compute_standing(load_policies(GRACE), _promoted_on_new_year(), D("2027-07-02"), look_ahead=True)
    assert s is not None and s.tier == "select" and s.look_notice is not None
    assert (s.look_notice.given_on, s.look_notice.effective_on) == (D("2028-12-31"), D("2029-03-31"))


# Looks every 24 months from joining on 2026-03-01: the first is 2028-03-01, the next 2030-03-01.
BIENNIAL = ('on: "12-31"', "on: {every_months: 24}")


@pytest.mark.parametrize("as_of", ["2026-03-02", "2027-02-28", "2027-03-01", "2028-02-29"])
def test_the_look_ahead_finds_the_next_look_however_far_ahead(tmp_path, as_of: str) -> None:
    # stale by 2028-03-01 (last active 2026-03-01), the firm would get notice at that look
    policies = load_policies(policy_variant(tmp_path / "biennial.yaml", BIENNIAL))
    data = firm(joined_on="2026-03-01", standing={"tier": "select", "since": "2026-03-01"})
    s = compute_standing(policies, data, D(as_of), look_ahead=True)
    assert s is not None and s.tier == "select" and s.look_notice is not None
    assert s.look_notice.given_on == D("2028-03-01")


def test_below_the_top_tier_the_next_review_is_a_promotion(shipped: PolicySet) -> None:
    data = firm(people=100, customers=15, stories=3, active_on="2026-12-20")
    data["firm"]["standing"] = {"tier": "preferred", "since": "2026-07-01"}
    s = compute_standing(shipped, data, D("2027-01-02"))
    assert s is not None and s.tier == "preferred" and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2027-07-01"), "promotion")


@pytest.mark.parametrize(
    "as_of,next_look",
    [("2026-03-02", "2028-03-01"), ("2027-02-28", "2028-03-01"), ("2028-02-29", "2028-03-01")],
)
def test_the_next_review_is_found_however_far_ahead(tmp_path, as_of: str, next_look: str) -> None:
    # at the top tier no promotion can move the firm: its next review is the next look, 24 months apart
    policies = load_policies(policy_variant(tmp_path / "biennial.yaml", BIENNIAL))
    data = top_tier_firm()
    data["firm"]["standing"] = {"tier": "global-premier", "since": "2026-03-01"}
    s = compute_standing(policies, data, D(as_of))
    assert s is not None and s.tier == "global-premier" and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D(next_look), "demotion-look")


def test_a_look_only_on_29_february_is_the_next_review_eight_years_ahead(tmp_path) -> None:
    # no 29 February in 2100: after the look on 2096-02-29 the next is 2104-02-29
    policies = load_policies(policy_variant(tmp_path / "leap-looks.yaml", ('on: "12-31"', 'on: "02-29"')))
    data = top_tier_firm()
    data["firm"]["standing"] = {"tier": "global-premier", "since": "2096-03-01"}
    s = compute_standing(policies, data, D("2096-03-01"))
    assert s is not None and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2104-02-29"), "demotion-look")


def test_a_promotion_review_below_the_standing_previews_that_it_stays(shipped: PolicySet) -> None:
    # noticed at the 2026-12-31 look; on 1 January eligible only for Registered, the firm stays Select
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    assert _next_review(compute_standing(shipped, data, D("2026-12-31"))) == (
        D("2027-01-01"),
        "promotion",
        "Promotion review",
        "registered",
        "select",
        "stays Select",
    )


def test_the_look_notice_is_worked_out_only_when_asked_for(shipped: PolicySet) -> None:
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    s = compute_standing(shipped, data, D("2026-11-25"))
    assert s is not None and s.look_notice is None
    assert s.next_review is not None and s.next_review.tier_after == "select"  # a notice, no demotion yet


def test_a_demotion_taking_effect_after_every_review_in_sight_is_still_the_next_review(tmp_path) -> None:
    # noticed at the 2026-12-31 look with 3,000 days' notice: it takes effect on 2035-03-19, after the
    # eight years of reviews looked through, none of which can move a Global Premier with notice pending
    policies = load_policies(
        policy_variant(tmp_path / "long-notice.yaml", ("notice_days: 90", "notice_days: 3000"))
    )
    data = firm(standing={"tier": "global-premier", "since": "2026-03-01"})
    s = compute_standing(policies, data, D("2027-01-05"))
    assert s is not None and s.tier == "global-premier" and s.pending_demotion is not None
    assert s.pending_demotion.effective_on == D("2035-03-19")
    assert s.next_review is not None
    assert (s.next_review.on, s.next_review.kind, s.next_review.label) == (
        D("2035-03-19"),
        "demotion",
        "Demotion takes effect",
    )


@pytest.mark.parametrize(
    "first,last,expected",
    [
        ("2026-07-01", "2027-01-01", ["2026-07-01", "2026-10-01", "2026-12-31", "2027-01-01"]),  # both edges
        ("2026-10-02", "2026-12-31", ["2026-12-31"]),  # the day after a review, the day of the next
        ("2026-10-02", "2026-12-30", []),  # each edge a day short of a review
    ],
)
def test_reviews_between_holds_a_review_on_its_first_and_its_last_day(
    shipped: PolicySet, first: str, last: str, expected: list[str]
) -> None:
    reviews = reviews_between(shipped, D(first), D(last), D("2026-03-01"))
    assert [str(r.on) for r in reviews] == expected


# --- the calendar no firm's joining day sets (the site's program page) ---------------------------------


@pytest.mark.parametrize(
    "as_of,expected",
    [
        # the 400th day after 2026-11-25 is 2027-12-30: the next look of that kind is already listed
        ("2026-11-25", ["2026-12-31 demotion-look", "2027-01-01 promotion", "2027-07-01 promotion"]),
        # the 400th day after 2026-11-26 is 2027-12-31: that look is inside
        (
            "2026-11-26",
            [
                "2026-12-31 demotion-look",
                "2027-01-01 promotion",
                "2027-07-01 promotion",
                "2027-12-31 demotion-look",
            ],
        ),
        # a look on the as-of day is behind it
        (
            "2026-12-31",
            [
                "2027-01-01 promotion",
                "2027-07-01 promotion",
                "2027-12-31 demotion-look",
                "2028-01-01 promotion",
            ],
        ),
        # none before the first version takes effect; the launch cohort's one-off review is for everyone
        (
            "2025-12-31",
            [
                "2026-07-01 promotion",
                "2026-10-01 promotion",
                "2026-12-31 demotion-look",
                "2027-01-01 promotion",
            ],
        ),
    ],
)
def test_the_calendar_ahead_lists_the_reviews_in_the_next_days_from_the_day_after(
    shipped: PolicySet, as_of: str, expected: list[str]
) -> None:
    assert [f"{r.on} {r.kind}" for r in calendar_ahead(shipped, D(as_of), 400)] == expected


def test_the_calendar_ahead_names_the_next_review_of_each_kind_however_far_ahead(tmp_path) -> None:
    path = policy_variant(tmp_path / "leap.yaml", ('promotion: ["01-01", "07-01"]', 'promotion: ["02-29"]'))
    reviews = calendar_ahead(load_policies(path), D("2028-02-29"), 400)
    assert [f"{r.on} {r.kind}" for r in reviews] == [
        "2028-12-31 demotion-look",
        "2032-02-29 promotion",  # the 400th day is 2029-04-04: no promotion review comes before it
    ]


def test_the_calendar_ahead_has_no_anniversaries_as_no_firm_joined(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "anniversary.yaml", ('promotion: ["01-01", "07-01"]', "promotion: {every_months: 6}")
    )
    assert [f"{r.on} {r.kind}" for r in calendar_ahead(load_policies(path), D("2026-11-25"), 400)] == [
        "2026-12-31 demotion-look"
    ]


def test_a_policy_without_demotion_looks_gives_no_look_ahead_notice(tmp_path) -> None:
    # stale since 2026-09-15, a look on 2026-12-31 would give notice; with no looks none comes
    policies = load_policies(policy_variant(tmp_path / "no-looks.yaml", ('on: "12-31"', "on: []")))
    data = firm(joined_on="2026-06-10", active_on="2026-09-15")
    s = compute_standing(policies, data, D("2026-11-25"), look_ahead=True)
    assert s is not None and s.tier == "select"
    assert s.look_notice is None and s.pending_demotion is None
    assert s.next_review is not None and s.next_review.kind == "promotion"


# No promotion reviews by month-day: a Registered firm joined on 2027-01-15 can move only at a one-off
# review or in a later version.
NO_PROMOTIONS = ('promotion: ["01-01", "07-01"]', "promotion: []")


def test_a_one_off_review_years_after_every_other_review_is_the_next_review(tmp_path) -> None:
    path = policy_variant(
        tmp_path / "late-cohort.yaml",
        NO_PROMOTIONS,
        ("on: 2026-10-01", "on: 2040-10-01"),
        ("joined_on_or_before: 2026-09-30", "joined_on_or_before: 2040-09-30"),
    )
    data = firm(joined_on="2027-01-15", active_on="2027-01-15")
    s = compute_standing(load_policies(path), data, D("2027-06-01"))
    assert s is not None and s.tier == "registered" and s.next_review is not None
    assert (s.next_review.on, s.next_review.label) == (D("2040-10-01"), "Launch cohort review")


def test_a_version_taking_effect_years_ahead_gives_the_next_review(tmp_path) -> None:
    (tmp_path / "versions").mkdir()
    policy_variant(tmp_path / "versions" / "now.yaml", NO_PROMOTIONS, ('on: "12-31"', "on: []"))
    policy_variant(
        tmp_path / "versions" / "2040.yaml",
        ('promotion: ["01-01", "07-01"]', 'promotion: ["07-01"]'),
        ('version: "2026.1"', 'version: "2040.1"'),
        ("effective_from: 2026-03-01", "effective_from: 2040-01-01"),
    )
    data = firm(joined_on="2027-01-15", active_on="2027-01-15")
    s = compute_standing(load_policies(tmp_path / "versions"), data, D("2027-06-01"))
    assert s is not None and s.tier == "registered" and s.next_review is not None
    assert (s.next_review.on, s.next_review.kind) == (D("2040-07-01"), "promotion")


def test_looking_ahead_to_the_next_look_never_changes_the_standings_history(shipped: PolicySet) -> None:
    # joined after the launch cohort: Registered until the 2027-01-01 review promotes it (eligible for
    # Select, active from 2026-12-20); the look of 2026-12-31 cannot move Registered, so the walk ahead
    # reaches that promotion, and what it applies must stay its own
    data = firm(joined_on="2026-11-01", active_on="2026-12-20")
    plain = compute_standing(shipped, data, D("2026-12-10"))
    ahead = compute_standing(shipped, data, D("2026-12-10"), look_ahead=True)
    assert plain is not None and ahead is not None and plain.tier == "registered"
    assert ahead.history == plain.history
    assert ahead.look_notice is None  # promoted before any look could give a notice
