"""What validates evaluates: every date the schema accepts works in every command; no other date passes."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from conftest import MINIMAL_FIRM, line_of
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support import KNOWN, cases

from validator.cli import main
from validator.dates import FIRST_DAY, LAST_DAY
from validator.evaluate import evaluate
from validator.loader import Source
from validator.policies import load_policies
from validator.reading import decide
from validator.render.evidence import render
from validator.render.text import render_text
from validator.standing import compute_standing
from validator.summary import firm_line
from validator.validate import check_source

POLICIES = load_policies(None)
FIRST_POLICY_DAY = POLICIES.versions[0].effective_from
BASE = decide(Source("f.yaml", MINIMAL_FIRM, ""))


@pytest.mark.parametrize(
    "day,valid",
    [
        (FIRST_DAY, True),
        (LAST_DAY, True),
        (FIRST_DAY - timedelta(days=1), False),
        (LAST_DAY + timedelta(days=1), False),
        (date(2028, 2, 29), True),
    ],
)
def test_the_schema_accepts_exactly_the_days_tiercheck_computes_with(day: date, valid: bool) -> None:
    text = MINIMAL_FIRM.replace("issued_on: 2026-04-10", f"issued_on: {day.isoformat()}")
    checked = check_source(Source("f.yaml", text, ""), KNOWN)
    assert checked.valid is valid, checked.problems
    if not valid:
        (problem,) = checked.problems
        assert problem.line == line_of(text, "issued_on") and "years 1900 to 8999" in problem.message


@pytest.mark.parametrize("text", ["0000-01-01", "9999-12-31", "8999-12-31x"])
def test_year_zero_and_year_9999_are_refused_at_their_line(text: str) -> None:
    firm = MINIMAL_FIRM.replace("joined_on: 2026-04-02", f"joined_on: {text}")
    (problem,) = check_source(Source("f.yaml", firm, ""), KNOWN).problems
    assert problem.line == line_of(firm, "joined_on")


@pytest.mark.parametrize("as_of", ["1899-12-31", "9000-01-01", "9999-12-31"])
def test_as_of_outside_the_supported_years_is_a_one_line_usage_error(as_of: str, tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "examples/firms/northwind-advisory.yaml", "--as-of", as_of])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "outside the supported years 1900 to 8999" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("as_of", [FIRST_DAY.isoformat(), LAST_DAY.isoformat()])
def test_as_of_on_the_first_and_last_supported_day_runs(as_of: str, capsys) -> None:
    status = main(
        ["evaluate", "examples/firms/northwind-advisory.yaml", "--as-of", as_of, "--format", "json"]
    )
    err = capsys.readouterr().err
    assert status == 0 or (status == 2 and "no policy is in effect" in err), err


def test_a_source_date_epoch_past_the_calendar_is_a_usage_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")
    args = ["report", "examples/firms/northwind-advisory.yaml", "--as-of", "2026-11-25"]
    assert main([*args, "--out", str(tmp_path)]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "evidence.md").exists()


def test_summary_names_a_file_that_fails_unexpectedly_and_goes_on(tmp_path, capsys, monkeypatch) -> None:
    import validator.commands.summary as command

    good, bad = tmp_path / "a.yaml", tmp_path / "b.yaml"
    good.write_text(MINIMAL_FIRM)
    bad.write_text(MINIMAL_FIRM.replace("Contoso", "Boom"))
    real = command.firm_line

    def failing(policies, file, data, as_of):
        if data["firm"]["name"] == "Boom":
            raise RuntimeError("boom")
        return real(policies, file, data, as_of)

    monkeypatch.setattr(command, "firm_line", failing)
    assert main(["summary", str(tmp_path), "--as-of", "2026-11-25", "--jobs", "1", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert "internal error: RuntimeError: boom" in json.dumps(doc) and str(bad) in json.dumps(doc)
    assert doc["firms"] == 2 if "firms" in doc else True


# Two eras: around today (from the first supported day on) and the last supported years. A firm
# spanning seven millennia is valid too, but its ~28,000 reviews take a second to compute.
ERAS = {
    "now": (FIRST_DAY, date(2028, 2, 29), FIRST_POLICY_DAY, date(2020, 1, 1), date(2040, 12, 31)),
    "end": (LAST_DAY, date(8996, 2, 29), date(8999, 2, 28), date(8990, 1, 1), LAST_DAY),
}


def era_days(era: str) -> st.SearchStrategy[date]:
    *edges, low, high = ERAS[era]
    return st.one_of(st.sampled_from(edges), st.dates(low, high))


@st.composite
def firms(draw: st.DrawFn, era: str) -> dict:
    """The minimal firm with every date drawn (in order where the file requires an order), plus the
    optional dates."""
    d = sorted(draw(st.lists(era_days(era), min_size=12, max_size=12)))
    firm = json.loads(json.dumps(BASE))
    firm["firm"]["joined_on"] = d[0].isoformat()
    if draw(st.booleans()):
        firm["firm"]["standing"] = {
            "tier": draw(st.sampled_from(["registered", "select"])),
            "since": d[1].isoformat(),
        }
    person = firm["people"][0]
    person["activity"] = [d[2].isoformat()]
    person["last_active_on"] = d[3].isoformat()
    credential = person["credentials"][0]
    credential["issued_on"] = d[1].isoformat()
    if draw(st.booleans()):
        credential["expires_on"] = d[draw(st.integers(2, 11))].isoformat()
    if draw(st.booleans()):
        person["left_on"] = d[draw(st.integers(1, 11))].isoformat()
    deployment = firm["deployments"][0]
    deployment["live_on"] = d[4].isoformat()
    if draw(st.booleans()):
        deployment["retired_on"] = d[draw(st.integers(4, 11))].isoformat()
    story = firm["stories"][0]
    story["consent"]["given_on"] = d[5].isoformat()
    story["published_on"] = d[6].isoformat()
    if draw(st.booleans()):
        story["withdrawn_on"] = d[draw(st.integers(6, 11))].isoformat()
    return firm


@st.composite
def firm_and_day(draw: st.DrawFn) -> tuple[dict, date]:
    era = draw(st.sampled_from(sorted(ERAS)))
    as_of = draw(era_days(era).filter(lambda day: day >= FIRST_POLICY_DAY))
    return draw(firms(era)), as_of


@settings(max_examples=cases(80), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(firm_and_day())
def test_a_file_validate_accepts_evaluates_reports_and_summarises_on_any_supported_day(case) -> None:
    firm, as_of = case
    checked = check_source(Source("f.json", json.dumps(firm), ""), KNOWN)
    assume(checked.valid)
    policy = POLICIES.in_effect(as_of)
    result = evaluate(policy, checked.data, as_of, file="f.json")
    result.standing = compute_standing(POLICIES, checked.data, as_of)
    assert render_text(result)
    files = render(result, policy, POLICIES, checked.data, None)
    assert set(files) == {"evidence.html", "evidence.md", "evidence.json"}
    line = firm_line(POLICIES, "f.json", checked.data, as_of)
    assert line.ladders[0].eligible == result.eligible_tier and not line.problems
