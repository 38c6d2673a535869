"""Several designations in one policy: independent ladders, prerequisites across them, a standing in each."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import line_of
from support import SHIPPED_POLICY, D, as_designations, build_firm, firm, refused_policy, tiercheck

from validator.evaluate import Timeline, evaluate
from validator.policies import PolicySet, load_policies
from validator.result import evaluation_json
from validator.standing import compute_standing, with_standings

POLICIES = Path(__file__).resolve().parents[1] / "policies"
FIXTURE = POLICIES / "architecture-specialization.yaml"
TWO = load_policies(FIXTURE)
SHIPPED_TEXT = SHIPPED_POLICY.read_text(encoding="utf-8")


def ladders(data: dict[str, Any], as_of: date = D) -> dict[str, str | None]:
    result = evaluate(TWO.in_effect(as_of), data, as_of)
    timeline = Timeline(TWO.in_effect(as_of), data)
    for ladder in result.designations.values():  # the timeline agrees on every ladder
        assert timeline.tier_on(as_of, ladder.id) == ladder.eligible_tier
    return {d.id: d.eligible_tier for d in result.designations.values()}


def test_each_designation_has_its_own_eligible_tier() -> None:
    assert ladders(build_firm(people=20, customers=2, stories=1)) == {
        "services": "select",
        "architecture": "architecture-specialist",
    }
    assert ladders(build_firm(people=19, customers=2, stories=1)) == {
        "services": "select",
        "architecture": "none",
    }


def test_a_prerequisite_tier_of_another_designation_must_be_held_on_the_same_day() -> None:
    # 20 certified people but no story: not Select in services, so no specialist either
    result = evaluate(TWO.in_effect(D), build_firm(people=20, customers=2), D)
    assert result.eligible_tier == "registered"
    architecture = result.designations["architecture"]
    assert architecture.eligible_tier == "none"
    doc = evaluation_json(result)["designations"]["architecture"]
    assert doc["next_tier"]["prerequisites"] == [
        {"designation": "services", "tier": "select", "held": "registered", "met": False}
    ]
    assert doc["metrics"] == {"certified_people": 20}


def test_a_higher_tier_than_the_prerequisite_satisfies_it() -> None:
    assert (
        ladders(build_firm(people=100, customers=15, stories=3))["architecture"] == "architecture-specialist"
    )


def test_the_top_level_fields_are_the_first_designation() -> None:
    doc = evaluation_json(evaluate(TWO.in_effect(D), build_firm(people=20, customers=2, stories=1), D))
    assert doc["eligible_tier"] == doc["designations"]["services"]["eligible_tier"] == "select"
    assert doc["next_tier"] == doc["designations"]["services"]["next_tier"]
    assert list(doc["designations"]) == ["services", "architecture"]


def test_a_policy_with_tiers_is_one_designation_named_by_its_id() -> None:
    shipped = load_policies().in_effect(D)
    data = build_firm(people=10, customers=2, stories=1)
    doc = evaluation_json(with_standings(evaluate(shipped, data, D), load_policies(), data))
    (only,) = doc["designations"].values()
    assert list(doc["designations"]) == ["cpn-services"]
    assert only["eligible_tier"] == doc["eligible_tier"] == "select"
    assert only["next_tier"] == doc["next_tier"]
    assert only["standing"] == doc["standing"]


def test_each_designation_has_its_standing_from_the_review_calendar() -> None:
    data = build_firm(people=20, customers=2, stories=1, activity=("2026-06-20", "2026-09-20"))
    result = with_standings(evaluate(TWO.in_effect(D), data, D), TWO, data)
    specialist = result.designations["architecture"].standing
    assert specialist is not None and (specialist.tier, specialist.since) == (
        "architecture-specialist",
        date(2026, 7, 1),
    )
    assert result.standing is not None and result.standing.tier == "select"
    doc = evaluation_json(result)["designations"]["architecture"]
    assert doc["standing"] == {"tier": "architecture-specialist", "since": "2026-07-01"}
    assert [h["to"] for h in doc["history"]] == ["architecture-specialist"]


def test_a_standing_is_stated_per_designation_keyed_by_its_id() -> None:
    data = build_firm(people=20, customers=2, stories=1, activity=("2026-06-20", "2026-09-20"))
    data["firm"]["standing"] = {"architecture": {"tier": "none", "since": "2026-08-01"}}
    services = compute_standing(TWO, data, D)
    architecture = compute_standing(TWO, data, D, designation="architecture")
    assert services is not None and (services.tier, services.since) == ("select", date(2026, 7, 1))
    # walked from the stated day: not the review of 2026-07-01, but the next one promotes it
    assert architecture is not None and (architecture.tier, architecture.since) == (
        "architecture-specialist",
        date(2026, 10, 1),
    )
    assert [(c.from_tier, c.on) for c in architecture.history] == [("none", date(2026, 10, 1))]
    data["firm"]["standing"]["services"] = {"tier": "preferred", "since": "2026-06-01"}
    assert compute_standing(TWO, data, D).tier == "preferred"  # type: ignore[union-attr]


def stated(tmp_path: Path, standing: str) -> tuple[str, Any]:
    """A firm file stating `standing` (YAML lines under `firm:`), validated under the two-ladder policy."""
    text = f"""schema_version: 1
firm:
  id: two-ladders
  name: Two Ladders
  joined_on: 2026-03-10
{standing}"""
    path = tmp_path / "firm.yaml"
    path.write_text(text, encoding="utf-8")
    return text, tiercheck("validate", path, "--policy", FIXTURE)


def test_a_firm_states_a_standing_in_each_designation(tmp_path) -> None:
    _, run = stated(
        tmp_path,
        "  standing:\n"
        "    services: {tier: select, since: 2026-07-01}\n"
        "    architecture: {tier: architecture-specialist, since: 2026-07-01}\n",
    )
    assert run.returncode == 0, run.stdout


def test_an_unknown_designation_or_tier_in_a_stated_standing_is_refused_at_its_line(tmp_path) -> None:
    text, run = stated(
        tmp_path,
        "  standing:\n"
        "    architecure: {tier: none, since: 2026-07-01}\n"
        "    services: {tier: selected, since: 2026-07-01}\n",
    )
    assert run.returncode == 1
    line = line_of(text, "architecure")
    assert f"firm.yaml:{line}:5: unknown key 'architecure': did you mean 'architecture'? " in run.stdout
    assert (
        f"firm.yaml:{line_of(text, 'selected')}:16: unknown tier 'selected': did you mean 'select'? "
        "the tiers of services: registered, select, preferred, global-premier"
    ) in run.stdout


def test_a_one_ladder_standing_under_several_designations_is_refused_at_its_keys(tmp_path) -> None:
    text, run = stated(tmp_path, "  standing: {tier: select, since: 2026-07-01}\n")
    assert run.returncode == 1
    line = line_of(text, "standing:")
    assert (
        f"firm.yaml:{line}:14: unknown key 'tier': a standing is stated per designation here, as "
        "services: {tier, since}; allowed here: architecture, services" in run.stdout
    )


def test_designations_sharing_one_timeline_walk_to_the_standings_they_reach_alone() -> None:
    data = build_firm(people=20, customers=2, stories=1, activity=("2026-06-20", "2026-09-20"))
    data["firm"]["standing"] = {"architecture": {"tier": "none", "since": "2026-08-01"}}
    shared: dict[int, Any] = {}
    for designation in ("services", "architecture"):
        alone = compute_standing(TWO, data, D, look_ahead=True, designation=designation)
        together = compute_standing(TWO, data, D, look_ahead=True, designation=designation, timelines=shared)
        assert together == alone
    assert len(shared) == 1  # one version, one Timeline for both walks


# --- policy check ---------------------------------------------------------------------------------

TEXT = FIXTURE.read_text(encoding="utf-8")


def refused(tmp_path: Path, *changes: tuple[str, str]) -> tuple[str, list[Any]]:
    return refused_policy(tmp_path, TEXT, *changes)


def test_an_unknown_designation_in_a_prerequisite_is_refused_at_its_line(tmp_path) -> None:
    text, (problem,) = refused(tmp_path, ("{designation: services, tier", "{designation: service, tier"))
    assert problem.line == line_of(text, "designation: service,")
    assert problem.message == "unknown designation 'service'; declared: services, architecture"


def test_an_unknown_tier_of_a_designation_is_refused(tmp_path) -> None:
    text, (problem,) = refused(tmp_path, ("tier: select}", "tier: selected}"))
    assert problem.line == line_of(text, "tier: selected}")
    assert problem.message.startswith("designation 'services' has no tier 'selected'; its tiers: registered,")


def test_designations_requiring_each_other_are_refused_where_the_loop_closes(tmp_path) -> None:
    text, (problem,) = refused(
        tmp_path,
        (
            "      - {metric: certified_people, at_least: 10}\n",
            "      - {metric: certified_people, at_least: 10}\n"
            "          - {designation: architecture, tier: architecture-specialist}\n",
        ),
    )
    assert "designations require each other in a loop: " in problem.message
    assert problem.line in (
        line_of(text, "{designation: architecture,"),
        line_of(text, "{designation: services,"),
    )


def test_a_designation_requiring_itself_is_a_loop(tmp_path) -> None:
    _, (problem,) = refused(
        tmp_path, ("{designation: services, tier: select}", "{designation: architecture, tier: none}")
    )
    assert problem.message == "designations require each other in a loop: architecture -> architecture"


def test_a_designation_id_twice_is_refused(tmp_path) -> None:
    text, problems = refused(tmp_path, ("  - id: architecture\n", "  - id: services\n"))
    twice = [p for p in problems if p.message == "designation 'services' is declared twice"]
    assert [p.line for p in twice] == [line_of(text, "label: Architecture specialization") - 1]


def test_tiers_and_designations_together_are_refused(tmp_path) -> None:
    _, problems = refused(tmp_path, ("designations:\n", "tiers: []\ndesignations:\n"))
    assert problems


@pytest.mark.parametrize(
    "name", ["architecture-specialization.yaml", "capability-score.yaml", "pilot-counts-half.yaml"]
)
def test_the_json_of_designations_and_points_matches_the_evaluation_schema(name: str) -> None:
    from jsonschema import Draft202012Validator

    from validator.resources import schema

    examples = Path(__file__).resolve().parents[2] / "examples" / "firms"
    run = tiercheck(
        "evaluate", examples, "--as-of", "2026-11-25", "--policy", POLICIES / name, "--format", "json"
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    errors = list(Draft202012Validator(schema("evaluation")).iter_errors(doc))
    assert not errors, errors[0]
    assert all(len(f["designations"]) == (2 if "architecture" in name else 1) for f in doc["files"])


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "firms"


def test_text_shows_every_other_designation_with_its_tier_standing_next_tier_and_next_review() -> None:
    run = tiercheck(
        "evaluate", EXAMPLES / "fabrikam-digital.json", "--as-of", "2026-11-25", "--policy", FIXTURE
    )
    assert run.returncode == 0, run.stderr
    assert (
        "  Architecture specialization: eligible for No specialization; "
        "standing No specialization since 2026-07-14\n"
        "    Architecture Specialist needs certified people: 9 more (11 of 20)\n"
        "    next review: 2027-01-01 promotion review: stays No specialization if the data stays as it is\n"
    ) in run.stdout


def test_the_shipped_policys_text_names_no_designation() -> None:
    run = tiercheck("evaluate", EXAMPLES / "fabrikam-digital.json", "--as-of", "2026-11-25")
    assert "specialization" not in run.stdout and "needs nothing" not in run.stdout


def test_markdown_evidence_has_a_row_per_other_designation() -> None:
    run = tiercheck(
        "evaluate",
        EXAMPLES / "fabrikam-digital.json",
        "--as-of=2026-11-25",
        "--policy",
        FIXTURE,
        "--format=markdown",
    )
    assert (
        "| Architecture specialization | No specialization | No specialization since 2026-07-14 "
        "| Architecture Specialist | certified people: 9 more (11 of 20) |"
    ) in run.stdout


def test_summary_counts_each_designations_tiers() -> None:
    run = tiercheck("summary", EXAMPLES, "--as-of=2026-11-25", "--policy", FIXTURE, "--format=json")
    (ladder,) = json.loads(run.stdout)["designations"]
    assert ladder["id"] == "architecture"
    assert [(d["tier"], d["eligible"], d["standing"]) for d in ladder["distribution"]] == [
        ("none", 1, 2),
        ("architecture-specialist", 1, 0),
    ]
    text = tiercheck("summary", EXAMPLES, "--as-of=2026-11-25", "--policy", FIXTURE).stdout
    assert "  Architecture specialization:   eligible  standing\n" in text


SPECIALIZATIONS = Path(__file__).resolve().parents[2] / "examples" / "programs" / "specializations"


def specialization_firms(tmp_path: Path) -> Path:
    """The program's firms, Willow Studio stating it holds Data Specialist, which its data does not
    earn: the December look gives it notice in `data` alone."""
    folder = tmp_path / "firms"
    folder.mkdir()
    for f in (SPECIALIZATIONS / "firms").iterdir():
        text = f.read_text(encoding="utf-8")
        if f.name == "willow-studio.yaml":
            text = text.replace(
                "  joined_on: 2026-03-10\n",
                "  joined_on: 2026-03-10\n"
                "  standing:\n    data: {tier: data-specialist, since: 2026-04-01}\n",
            )
            assert "standing" in text
        (folder / f.name).write_text(text, encoding="utf-8")
    return folder


def test_summary_lists_firms_within_reach_and_facing_demotion_in_every_designation(tmp_path) -> None:
    from jsonschema import Draft202012Validator

    from validator.resources import schema

    args = (specialization_firms(tmp_path), "--as-of=2026-11-25", "--policy", SPECIALIZATIONS / "policy")
    doc = json.loads(tiercheck("summary", *args, "--format=json").stdout)
    assert not list(Draft202012Validator(schema("summary")).iter_errors(doc))
    assert (doc["within_reach"], doc["facing_demotion"]) == ([], [])  # membership's own
    data, security = doc["designations"]
    assert [(r["firm"], r["next"], r["gap"]) for r in data["within_reach"]] == [
        ("ember-solutions", "Data Specialist", "certified people: 1 more (4 of 5)")
    ]
    assert [(r["firm"], r["standing"], r["to"], r["on"]) for r in data["facing_demotion"]] == [
        ("willow-studio", "Data Specialist", "No data specialization", "2027-03-31")
    ]
    assert (data["within_reach_count"], data["facing_demotion_count"]) == (1, 1)
    assert (security["within_reach"], security["facing_demotion_count"]) == ([], 0)
    text = tiercheck("summary", *args).stdout
    assert (
        "facing demotion in Data specialization (1):\n"
        "  willow-studio: Data Specialist -> No data specialization on 2027-03-31  ["
    ) in text
    markdown = tiercheck("summary", *args, "--format=markdown").stdout
    assert "### Within reach of the next tier in Data specialization (1, closest first)" in markdown
    html = tiercheck("summary", *args, "--format=html").stdout
    assert '<h2 id="demotion-data">Facing demotion in Data specialization (1)</h2>' in html


def test_policy_diff_names_an_added_designation_and_a_changed_prerequisite(tmp_path) -> None:
    from validator.language.diff import describe_changes

    new = tmp_path / "new.yaml"
    new.write_text(
        TEXT.replace("{designation: services, tier: select}", "{designation: services, tier: preferred}")
    )
    two, changed = TWO.versions[0], load_policies(new).versions[0]
    assert describe_changes(load_policies().versions[0], two) == [
        "designation 'architecture' added (Architecture specialization)"
    ]
    assert describe_changes(two, changed) == [
        "designation 'architecture': tier 'architecture-specialist': requires select in services -> "
        "preferred in services"
    ]


# --- a prerequisite as one requirement among others, inside any_of and all_of ----------------------

EITHER = load_policies(POLICIES / "architecture-select-or-a-big-bench.yaml")


def either(**counts: int) -> dict[str, Any]:
    result = evaluate(EITHER.in_effect(D), build_firm(**counts), D)
    timeline = Timeline(EITHER.in_effect(D), build_firm(**counts))
    for ladder in result.designations.values():
        assert timeline.tier_on(D, ladder.id) == ladder.eligible_tier
    return evaluation_json(result)["designations"]


def test_a_prerequisite_inside_any_of_is_one_alternative_among_others() -> None:
    by_select = either(people=20, customers=2, stories=1)
    assert (by_select["services"]["eligible_tier"], by_select["architecture"]["eligible_tier"]) == (
        "select",
        "architecture-specialist",
    )
    by_bench = either(people=50, customers=5)  # no story: not Select, but the other alternative holds
    assert (by_bench["services"]["eligible_tier"], by_bench["architecture"]["eligible_tier"]) == (
        "registered",
        "architecture-specialist",
    )


def test_the_gap_names_the_prerequisite_when_it_is_the_closest_alternative() -> None:
    nxt = either(people=20, customers=2)["architecture"]["next_tier"]
    assert nxt["prerequisites"] == [
        {"designation": "services", "tier": "select", "held": "registered", "met": False}
    ]
    assert nxt["alternatives"] == ["alternative 1 of 2: Select in Services track"]
    assert [r["metric"] for r in nxt["requirements"]] == ["certified_people"]


def test_the_gap_follows_the_metrics_when_they_are_closer_than_the_prerequisite() -> None:
    nxt = either(people=45, customers=5)["architecture"]["next_tier"]
    assert "prerequisites" not in nxt
    assert nxt["alternatives"] == [
        "alternative 2 of 2: certified people at least 50 and customers in production at least 5"
    ]
    assert [(r["metric"], r["shortfall"]) for r in nxt["requirements"]] == [
        ("certified_people", 0),
        ("certified_people", 5),
        ("customers_in_production", 0),
    ]


def test_text_says_what_the_specialization_needs_naming_the_tier_of_the_other_designation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from support import write_yaml

    from validator.cli import main

    path = write_yaml(tmp_path / "firm.yaml", build_firm(people=20, customers=2))
    code = main(["evaluate", str(path), "--as-of", D.isoformat(), "--policy", str(EITHER.versions[0].path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "    Architecture Specialist needs Select in Services track (holds Registered)\n" in out


@pytest.mark.parametrize(
    "people,customers,way",
    [
        (20, 2, "alternative 1 of 2: Select in Services track"),
        (45, 5, "alternative 2 of 2: certified people at least 50 and customers in production at least 5"),
    ],
    ids=["select-in-services", "people-and-customers"],  # plain ids: mutmut names tests by them
)
def test_text_names_the_closest_way_to_the_next_tier_of_every_designation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], people: int, customers: int, way: str
) -> None:
    from support import write_yaml

    from validator.cli import main

    path = write_yaml(tmp_path / "firm.yaml", build_firm(people=people, customers=customers))
    main(["evaluate", str(path), "--as-of", D.isoformat(), "--policy", str(EITHER.versions[0].path)])
    specialization = capsys.readouterr().out.split("  Architecture specialization:")[1]
    assert f"\n    closest way to Architecture Specialist: {way}\n" in specialization


EITHER_TEXT = (POLICIES / "architecture-select-or-a-big-bench.yaml").read_text(encoding="utf-8")


def test_an_unknown_tier_of_a_prerequisite_inside_any_of_is_refused_at_its_line(tmp_path: Path) -> None:
    text, (problem,) = refused_policy(tmp_path, EITHER_TEXT, ("tier: select}", "tier: selected}"))
    line = line_of(text, "tier: selected}")
    assert (problem.line, problem.col) == (line, text.splitlines()[line - 1].index("tier: selected") + 1)
    assert problem.message.startswith("designation 'services' has no tier 'selected'")


def test_a_loop_through_a_prerequisite_inside_all_of_is_refused_where_it_closes(tmp_path: Path) -> None:
    text, (problem,) = refused_policy(
        tmp_path,
        EITHER_TEXT,
        (
            "                  - {metric: customers_in_production, at_least: 5}\n",
            "                  - {designation: architecture, tier: architecture-specialist}\n",
        ),
    )
    assert problem.message == "designations require each other in a loop: architecture -> architecture"
    assert problem.line == line_of(text, "{designation: architecture,")


def test_a_requirement_with_keys_of_two_kinds_is_refused_saying_what_a_requirement_is(tmp_path: Path) -> None:
    text, (problem,) = refused_policy(
        tmp_path, EITHER_TEXT, ("{designation: services, tier: select}", "{designation: services, metric: x}")
    )
    assert problem.line == line_of(text, "{designation: services, metric: x}")
    assert problem.message == (
        "a requirement is one of {metric, at_least}, {designation, tier}, {any_of: [...]} or "
        "{all_of: [...]}; this one has designation, metric"
    )


def test_policy_diff_shows_a_prerequisite_moved_into_a_group() -> None:
    from validator.language.diff import describe_changes

    assert describe_changes(TWO.versions[0], EITHER.versions[0]) == [
        "designation 'architecture': tier 'architecture-specialist': requires select in services and "
        "certified_people >= 20 -> certified_people >= 20 and (select in services or "
        "(certified_people >= 50 and customers_in_production >= 5))"
    ]


# --- the evidence pack ------------------------------------------------------------------------------


def evidence(policies: Any, data: dict[str, Any]) -> dict[str, str]:
    from validator.render.evidence import render

    policy = policies.in_effect(D)
    return render(with_standings(evaluate(policy, data, D), policies, data), policy, policies, data)


def test_the_evidence_pack_shows_the_standing_and_history_of_every_designation() -> None:
    from support import Page

    pack = evidence(TWO, build_firm(people=20, customers=2, stories=1, activity=("2026-06-20", "2026-09-20")))
    markdown = pack["evidence.md"]
    assert (
        "#### Architecture specialization\n\n"
        "Holds **Architecture Specialist** since 2026-07-01. Next review: Demotion look on 2026-12-31; "
        "with the data as it is: stays Architecture Specialist.\n"
    ) in markdown
    assert (
        "| 2026-07-01 | Promotion review | No specialization | Architecture Specialist | eligible for "
        in (markdown)
    )
    page = Page(pack["evidence.html"])
    assert "History of the standing in Architecture specialization" in pack["evidence.html"]
    headings = [t for t, _ in page.tags if t in ("h2", "h3")]
    assert headings.count("h3") >= 2  # one per designation under "Standing and reviews"


def test_the_evidence_pack_names_the_closest_way_to_another_designations_next_tier() -> None:
    pack = evidence(EITHER, build_firm(people=45, customers=5))
    way = "alternative 2 of 2: certified people at least 50 and customers in production at least 5"
    assert f"certified people: 5 more (45 of 50); closest way: {way} |" in pack["evidence.md"]
    assert f'<br><span class="way">closest way: {way}</span></td>' in pack["evidence.html"]


def test_a_prerequisite_on_the_lowest_tier_of_its_designation_is_warned_of_as_always_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "policy.yaml"
    text = EITHER_TEXT.replace(
        "{designation: services, tier: select}", "{designation: services, tier: registered}"
    )
    path.write_text(text, encoding="utf-8")
    (warning,) = load_policies(path).warnings
    assert (warning.line, warning.message) == (
        line_of(text, "tier: registered}"),
        "'registered' is the lowest tier of 'services': every firm that has joined holds it, so this "
        "prerequisite always holds",
    )


# --- policy diff's impact in every designation --------------------------------------------------------


def test_policy_diff_impact_compares_eligibility_and_standing_in_every_designation(tmp_path) -> None:
    from jsonschema import Draft202012Validator

    from validator.resources import schema

    old = SPECIALIZATIONS / "policy" / "specializations-2026-03-01.yaml"
    text = old.read_text(encoding="utf-8")
    assert "{metric: security_customers, at_least: 3}" in text
    new = tmp_path / "new.yaml"  # tidal-data's 2 security customers now make it a specialist
    new.write_text(
        text.replace("{metric: security_customers, at_least: 3}", "{metric: security_customers, at_least: 2}")
    )
    args = ("policy", "diff", old, new, "--firms", SPECIALIZATIONS / "firms", "--as-of", "2026-11-25")
    doc = json.loads(tiercheck(*args, "--format", "json").stdout)
    assert not list(Draft202012Validator(schema("diff")).iter_errors(doc))
    impact = doc["impact"]
    assert (impact["moved"], impact["standing"]["moved"]) == (0, 0)  # membership, the first designation
    assert list(impact["designations"]) == ["membership", "data", "security"]
    security = impact["designations"]["security"]
    move = {"firm": "tidal-data", "from": "none", "to": "security-specialist", "direction": "up"}
    assert [m | {"file": None} for m in security["moves"]] == [move | {"file": None}]
    assert [m | {"file": None} for m in security["standing"]["moves"]] == [move | {"file": None}]
    assert security["counts"] == [{"from": "none", "to": "security-specialist", "firms": 1}]
    assert impact["designations"]["data"]["moved"] == impact["designations"]["data"]["standing"]["moved"] == 0
    out = tiercheck(*args).stdout
    assert "firms as of 2026-11-25: 5 evaluated, 0 moved (0 up, 0 down) in Membership, 0 invalid\n" in out
    assert "eligible in Security specialization as of 2026-11-25: 1 moved (1 up, 0 down)\n" in out
    assert "standing in Security specialization as of 2026-11-25: 1 moved (1 up, 0 down)\n  up   " in out
    markdown = tiercheck(*args, "--format", "markdown").stdout
    assert "### Security specialization as of 2026-11-25\n\n1 moved (1 up, 0 down).\n" in markdown


def test_policy_diff_from_one_ladder_to_several_compares_the_first_designations(tmp_path) -> None:
    from support import SHIPPED_POLICY, write_yaml

    firms = tmp_path / "firms"
    write_yaml(firms / "select.yaml", build_firm(people=20, customers=2, stories=1))
    args = (
        "policy",
        "diff",
        SHIPPED_POLICY,
        FIXTURE,
        "--firms",
        firms,
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    )
    impact = json.loads(tiercheck(*args).stdout)["impact"]
    # the shipped ladder is named by the policy's id; the new first designation is services
    assert {d: m["compared_with"] for d, m in impact["designations"].items()} == {"services": "cpn-services"}
    assert impact["moved"] == impact["designations"]["services"]["moved"] == 0


# A firm eligible for Registered only that states it holds Select since 2026-07-01 (no demotion look
# before 2026-12-31): each walk keeps Select only if it starts from that statement.
SELECT_SINCE = {"tier": "select", "since": "2026-07-01"}


@pytest.mark.parametrize(
    "stated", [SELECT_SINCE, {"services": SELECT_SINCE}], ids=["one-ladder", "per-designation"]
)
def test_policy_diff_between_one_ladder_and_several_compares_the_standing_the_firm_states(
    tmp_path, stated
) -> None:
    from support import SHIPPED_POLICY, write_yaml

    data = build_firm(people=3)
    data["firm"]["standing"] = stated
    firms = write_yaml(tmp_path / "firms" / "stated.yaml", data)
    for old, new in ((SHIPPED_POLICY, FIXTURE), (FIXTURE, SHIPPED_POLICY)):
        args = ("policy", "diff", old, new, "--firms", firms, "--as-of", "2026-11-25", "--format", "json")
        r = tiercheck(*args)
        assert r.returncode == 0, r.stdout + r.stderr
        impact = json.loads(r.stdout)["impact"]
        assert (impact["firms"], impact["invalid"], impact["moved"]) == (1, [], 0)
        assert impact["standing"]["moved"] == 0


def test_a_stated_standing_is_read_for_the_designation_it_is_compared_with() -> None:
    from support import SHIPPED_POLICY

    shipped = load_policies(SHIPPED_POLICY)
    data = build_firm(people=3)

    def held(policies: Any, designation: str, stated_as: str | None = None) -> str | None:
        s = compute_standing(policies, data, D, designation=designation, stated_as=stated_as)
        return s.tier if s else None

    data["firm"]["standing"] = SELECT_SINCE  # one ladder's: the first designation's, in either version
    assert held(shipped, "cpn-services") == held(TWO, "services") == "select"
    assert held(TWO, "architecture") == "none"
    data["firm"]["standing"] = {"services": SELECT_SINCE}  # by designation: found through the pair
    assert held(shipped, "cpn-services", stated_as="services") == "select"
    assert held(shipped, "cpn-services") == "registered"


def test_a_one_ladder_standing_leaves_the_other_designations_walked_from_joining() -> None:
    data = build_firm(people=3)
    data["firm"]["standing"] = SELECT_SINCE  # the first designation's only
    architecture = compute_standing(TWO, data, D, designation="architecture")
    assert architecture is not None and architecture.tier == "none"
    assert (architecture.since, architecture.history) == (date.fromisoformat(data["firm"]["joined_on"]), [])


def test_policy_diff_reports_a_firm_written_for_one_version_with_that_versions_problems(tmp_path) -> None:
    from support import SHIPPED_POLICY, write_yaml

    data = build_firm(people=3)
    data["firm"]["standing"] = {"tier": "selct", "since": "2026-07-01"}  # one ladder's, with a typo
    firms = write_yaml(tmp_path / "firms" / "typo.yaml", data)
    r = tiercheck("policy", "diff", SHIPPED_POLICY, FIXTURE, "--firms", firms, "--as-of", "2026-11-25")
    assert r.returncode == 1
    invalid = [line for line in r.stdout.splitlines() if line.startswith("  invalid: ")]
    assert len(invalid) == 1 and "unknown tier 'selct': did you mean 'select'?" in invalid[0], r.stdout


def _program_folder(tmp_path: Path, name: str, *, ladders_in: tuple[bool, bool]) -> PolicySet:
    """The shipped program as `cpn` in two versions (Select needs 12 people from 2027-01-01), each
    written with top-level `tiers` or with one designation named `cpn`, as `ladders_in` says."""
    folder = tmp_path / name
    folder.mkdir()
    first = SHIPPED_TEXT.replace("id: cpn-services\n", "id: cpn\n")
    later = first.replace("effective_from: 2026-03-01", "effective_from: 2027-01-01").replace(
        "{metric: certified_people, at_least: 10}", "{metric: certified_people, at_least: 12}"
    )
    for file, text, nested in (("a.yaml", first, ladders_in[0]), ("b.yaml", later, ladders_in[1])):
        (folder / file).write_text(as_designations(text, "cpn") if nested else text, encoding="utf-8")
    return load_policies(folder)


@pytest.mark.parametrize("as_of", ["2026-12-31", "2027-01-01", "2027-06-30", "2027-07-01", "2028-02-29"])
def test_one_ladder_and_one_designation_of_the_programs_id_are_one_program_across_versions(
    tmp_path: Path, as_of: str
) -> None:
    folders = [
        _program_folder(tmp_path, f"v{n}", ladders_in=nested)
        for n, nested in enumerate([(False, False), (False, True), (True, False), (True, True)])
    ]
    day = date.fromisoformat(as_of)
    firms = [
        firm(people=people, active_on="2026-12-01", standing=standing)
        for people in (10, 12)
        for standing in (
            None,
            {"tier": "select", "since": "2026-07-01"},
            {"cpn": {"tier": "select", "since": "2026-07-01"}},
        )
    ]
    for data in firms:
        said = []
        for policies in folders:
            doc = evaluation_json(
                with_standings(evaluate(policies.in_effect(day), data, day), policies, data)
            )
            del doc["policy"]["sha256"]  # the files differ in how they are written, not in what they say
            del doc["designations"]["cpn"]["label"]  # the title, or the id of a designation without label
            said.append(doc)
        assert all(doc == said[0] for doc in said), data["firm"].get("standing")
        assert said[0]["standing"] is not None
