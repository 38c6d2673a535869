"""The example programs in examples/programs/: each policy passes `policy check` with no warning, and each
firm file lands on the tier its README says, so every tier of every program is reached by some firm."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import line_of
from support import Page, build_firm, tiercheck, write_yaml

from validator.loader import parse_located, read_source
from validator.policies import load_policies
from validator.standing import compute_standing

PROGRAMS = Path(__file__).resolve().parents[2] / "examples" / "programs"
AS_OF = "2026-11-25"

# program -> firm file -> the tier it is eligible for on AS_OF (and holds by then), in its first designation
TIERS = {
    "points": {
        "harbor-analytics.yaml": "member",
        "summit-partners.yaml": "solutions-partner",
        "keystone-labs.yaml": "member",
    },
    "levels": {
        "lakeside-consulting.yaml": "registered",
        "brightpath-digital.yaml": "select",
        "quarry-systems.yaml": "select",
        "cobalt-advisory.yaml": "select",
        "meridian-partners.yaml": "advanced",
        "nimbus-works.yaml": "advanced",
        "atlas-global.yaml": "premier",
    },
    "specializations": {
        "willow-studio.yaml": "member",
        "ember-solutions.yaml": "partner",
        "tidal-data.yaml": "partner",
        "bastion-secure.yaml": "partner",
        "keel-and-compass.yaml": "partner",
    },
}
# program -> firm file -> designation -> tier, for the programs with several designations
DESIGNATIONS = {
    "specializations": {
        "willow-studio.yaml": {"membership": "member", "data": "none", "security": "none"},
        "ember-solutions.yaml": {"membership": "partner", "data": "none", "security": "none"},
        "tidal-data.yaml": {"membership": "partner", "data": "data-specialist", "security": "none"},
        "bastion-secure.yaml": {"membership": "partner", "data": "none", "security": "security-specialist"},
        "keel-and-compass.yaml": {
            "membership": "partner",
            "data": "data-specialist",
            "security": "security-specialist",
        },
    },
}


def test_every_program_folder_is_tested() -> None:
    assert sorted(p.name for p in PROGRAMS.iterdir() if p.is_dir()) == sorted(TIERS)


@pytest.mark.parametrize("program", sorted(TIERS))
def test_the_program_policy_is_clean_and_every_tier_is_reached(program: str) -> None:
    policies = load_policies(PROGRAMS / program / "policy")
    assert policies.warnings == []
    (policy,) = policies.versions
    assert policy.id == program
    reached = {(d, t) for tiers in DESIGNATIONS.get(program, {}).values() for d, t in tiers.items()}
    reached |= {(policy.designation, t) for t in TIERS[program].values()}
    assert {(d.id, t.id) for d in policy.designations for t in d.tiers} == reached
    assert sorted(p.name for p in (PROGRAMS / program / "firms").iterdir()) == sorted(TIERS[program])


@pytest.mark.parametrize("program", sorted(TIERS))
def test_each_firm_of_the_program_lands_on_its_tier(program: str) -> None:
    folder = PROGRAMS / program
    r = tiercheck(
        "evaluate", folder / "firms", "--policy", folder / "policy", "--as-of", AS_OF, "--format", "jsonl"
    )
    assert r.returncode == 0, r.stdout + r.stderr
    found = {Path(e["file"]).name: e for e in map(json.loads, r.stdout.splitlines())}
    assert {name: e["eligible_tier"] for name, e in found.items()} == TIERS[program]
    assert {name: e["standing"]["tier"] for name, e in found.items()} == TIERS[program]
    assert all(e["policy"]["id"] == program for e in found.values())
    for name, tiers in DESIGNATIONS.get(program, {}).items():
        designations = found[name]["designations"]
        assert {d: designations[d]["eligible_tier"] for d in tiers} == tiers, name
        assert {d: designations[d]["standing"]["tier"] for d in tiers} == tiers, name


def test_a_specialization_needs_the_declared_field_and_refuses_a_value_outside_it(tmp_path) -> None:
    folder = PROGRAMS / "specializations"
    text = (folder / "firms" / "tidal-data.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "tidal-data.yaml"
    bad.write_text(text.replace("solution_area: data}", "solution_area: dta}", 1), encoding="utf-8")
    r = tiercheck("validate", "--policy", folder / "policy", bad)
    assert r.returncode == 1
    line = line_of(text, "solution_area: data}")
    assert f"{bad}:{line}:" in r.stdout and "'dta' is not one of: data, security, apps" in r.stdout
    r = tiercheck("validate", bad)  # without the policy the field is unknown
    assert r.returncode == 1 and "solution_area" in r.stdout


def test_the_points_scores_are_the_readme_s() -> None:
    folder = PROGRAMS / "points"
    r = tiercheck(
        "evaluate", folder / "firms", "--policy", folder / "policy", "--as-of", AS_OF, "--format", "jsonl"
    )
    metrics = {Path(e["file"]).name: e["metrics"] for e in map(json.loads, r.stdout.splitlines())}
    values = {
        name: tuple(
            m[k]["value"] for k in ("performance_points", "skilling_points", "success_points", "score")
        )
        for name, m in metrics.items()
    }
    assert values == {
        "harbor-analytics.yaml": (6, 10, 5, 21),
        "summit-partners.yaml": (24, 40, 10, 74),
        "keystone-labs.yaml": (30, 40, 0, 70),
    }


def test_levels_select_is_reached_either_way_and_the_gap_names_the_closer_alternative() -> None:
    folder = PROGRAMS / "levels"
    r = tiercheck(
        "evaluate", folder / "firms", "--policy", folder / "policy", "--as-of", AS_OF, "--format", "jsonl"
    )
    found = {Path(e["file"]).name: e for e in map(json.loads, r.stdout.splitlines())}
    quarry = found["quarry-systems.yaml"]["metrics"]
    assert (quarry["certified_people"]["value"], quarry["professional_people"]["value"]) == (3, 2)
    gap = found["lakeside-consulting.yaml"]["next_tier"]
    assert gap["alternatives"] == [
        "alternative 1 of 2: certified people at least 4 and customers in production at least 2"
    ]
    assert found["nimbus-works.yaml"]["metrics"]["seasoned_people"]["value"] == 45


def test_summary_names_the_alternative_a_firm_within_reach_is_closest_by(tmp_path) -> None:
    # 3 of 4 certified people and 2 of 2 customers: within reach of Select by the first alternative
    write_yaml(tmp_path / "close.yaml", build_firm(people=3, customers=2, stories=0))
    args = (tmp_path, "--policy", PROGRAMS / "levels" / "policy", "--as-of", AS_OF)
    way = "alternative 1 of 2: certified people at least 4 and customers in production at least 2"
    (entry,) = json.loads(tiercheck("summary", *args, "--format", "json").stdout)["within_reach"]
    assert (entry["gap"], entry["alternatives"]) == ("certified people: 1 more (3 of 4)", [way])
    text = tiercheck("summary", *args).stdout
    assert f"  acme-consulting -> Select: certified people: 1 more (3 of 4) (closest way: {way})  [" in text
    assert (
        f"| Select | certified people: 1 more (3 of 4) (closest way: {way}) |"
        in tiercheck("summary", *args, "--format", "markdown").stdout
    )
    html = tiercheck("summary", *args, "--format", "html").stdout
    assert f'<span class="way">closest way: {way}</span>' in html


def test_the_evidence_pack_names_the_alternative_met_and_the_closest_way_to_the_next_tier(tmp_path) -> None:
    folder = PROGRAMS / "levels"
    code = tiercheck(
        "report", folder / "firms", "--policy", folder / "policy", "--as-of", AS_OF, "--out", tmp_path
    ).returncode
    assert code == 0
    closest = "alternative 1 of 2: certified people at least 4 and customers in production at least 2"
    met = (
        "alternative 2 of 2: people with a professional credential at least 2 "
        "and customers in production at least 3"
    )
    lakeside, quarry = tmp_path / "lakeside-consulting", tmp_path / "quarry-systems"
    assert f"\nClosest way to Select: {closest}.\n" in (lakeside / "evidence.md").read_text(encoding="utf-8")
    assert f'<p class="way">Closest way to Select: {closest}.</p>' in (lakeside / "evidence.html").read_text(
        encoding="utf-8"
    )
    assert f"\nMet by {met}.\n" in (quarry / "evidence.md").read_text(encoding="utf-8")
    assert f'<p class="way">Met by {met}.</p>' in (quarry / "evidence.html").read_text(encoding="utf-8")


def firm_data(program: str, name: str) -> dict:
    """A firm file's data as the loader reads it (dates as text)."""
    return parse_located(read_source(PROGRAMS / program / "firms" / name)).data


def test_levels_grace_year_then_a_quarterly_look_and_60_days_to_29_february() -> None:
    """Select from the 2026-10-01 review; eligible for nothing from 2027-01-31 (its people go inactive);
    the looks of 2027 fall within 365 days of the promotion, so the first notice is on 2027-12-31, and
    the demotion takes effect 60 days later, on 29 February 2028."""
    policies = load_policies(PROGRAMS / "levels" / "policy")
    data = firm_data("levels", "brightpath-digital.yaml")

    def standing(on: str):
        found = compute_standing(policies, data, date.fromisoformat(on))
        assert found is not None
        return found

    assert (standing("2027-09-30").tier, standing("2027-09-30").pending_demotion) == ("select", None)
    assert standing("2027-12-30").pending_demotion is None
    notice = standing("2027-12-31").pending_demotion
    assert notice is not None and notice.effective_on == date(2028, 2, 29)
    assert standing("2028-02-28").tier == "select"
    assert (standing("2028-02-29").tier, standing("2028-02-29").since) == ("registered", date(2028, 2, 29))


def test_levels_looks_every_quarter_once_the_grace_year_is_over() -> None:
    """The same firm, its people renewed and last active on 2027-11-01: eligible for nothing from
    2028-01-30, so the look of 2027-12-31 gives no notice and the next, on 2028-03-31, does."""
    policies = load_policies(PROGRAMS / "levels" / "policy")
    data = firm_data("levels", "brightpath-digital.yaml")
    for person in data["people"]:
        person["last_active_on"] = "2027-11-01"
        person["credentials"][0]["expires_on"] = "2030-01-01"  # renewed: only activity lapses
    found = compute_standing(policies, data, date(2028, 5, 30))
    assert found is not None
    assert [(c.on, c.kind, c.to_tier) for c in found.history] == [
        (date(2026, 10, 1), "promotion", "select"),
        (date(2028, 3, 31), "notice", "select"),
        (date(2028, 5, 30), "demotion", "registered"),
    ]


def test_specialization_metrics_count_the_production_customers_and_stories_of_their_area() -> None:
    folder = PROGRAMS / "specializations"
    r = tiercheck(
        "evaluate",
        folder / "firms" / "tidal-data.yaml",
        "--policy",
        folder / "policy",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    metrics = json.loads(r.stdout)["metrics"]
    values = {
        m: metrics[m]["value"]
        for m in ("data_customers", "data_stories", "security_customers", "security_stories")
    }
    assert values == {"data_customers": 3, "data_stories": 1, "security_customers": 2, "security_stories": 1}
    assert metrics["customers_in_production"]["value"] == 5  # the services definition, unfiltered


@pytest.mark.parametrize("as_of", ["2027-06-29", "2027-09-29", "2027-10-01", "2027-12-31"])
def test_every_command_names_the_same_first_look_that_can_move_the_standing(tmp_path, as_of: str) -> None:
    """The levels firms were promoted on 2026-10-01, with a grace year: the looks of 2027-06-30 and
    2027-09-30 cannot move them, the one of 2027-12-31 can. evaluate's next review (and the site's firm
    page), summary's "facing demotion" and the site's coming demotion all name that first look that
    can move the standing."""
    folder = PROGRAMS / "levels"
    args = ("--policy", folder / "policy", "--as-of", as_of)
    evaluations = {}
    for path in sorted((folder / "firms").glob("*.yaml")):
        doc = json.loads(tiercheck("evaluate", path, *args, "--format", "json").stdout)
        evaluations[doc["firm"]["id"]] = doc
    summary = json.loads(tiercheck("summary", folder / "firms", *args, "--all", "--format", "json").stdout)
    facing = {f["firm"]: (f["to"].lower(), f["on"]) for f in summary["facing_demotion"]}  # id: the label
    assert tiercheck("site", folder / "firms", *args, "--out", tmp_path / "site", "-q").returncode == 0
    rows = json.loads((tmp_path / "site" / "firms.json").read_text(encoding="utf-8"))
    site = {r["id"]: (r["demotion_to"], r["demotion_on"]) for r in rows if r["demotion_on"]}
    assert site == facing
    for firm_id, doc in evaluations.items():
        pending, nxt = doc["pending_demotion"], doc["next_review"]
        page = Page((tmp_path / "site" / "firms" / f"{firm_id}.html").read_text(encoding="utf-8")).all_text()
        assert nxt is None or f"on {nxt['on']}; with the data as it is: {nxt['outcome']}." in page
        if pending is not None:  # a notice given: the demotion is what comes
            assert facing[firm_id][1] == pending["effective_on"]
        elif nxt is not None and nxt["kind"] == "demotion-look":  # the look that can move it
            noticed = nxt["outcome"].startswith("notice of demotion")
            assert (firm_id in facing) == noticed, (firm_id, nxt)
            assert not noticed or nxt["outcome"].endswith(f"taking effect on {facing[firm_id][1]}")
    atlas = evaluations["atlas-global"]["next_review"]  # Premier, eligible for Registered: no promotion
    assert (atlas["on"], atlas["kind"]) == ("2027-12-31", "demotion-look") or as_of == "2027-12-31"
    assert facing["atlas-global"] == ("registered", "2028-02-29")


def test_a_firm_a_review_would_promote_before_the_first_look_that_can_move_it_faces_no_demotion() -> None:
    """nimbus-works, Advanced, is promoted to Premier on 2027-01-01 if its data stays as it is: the
    look of 2027-12-31 would judge Premier inside a new grace year, so it faces no demotion now."""
    policies = load_policies(PROGRAMS / "levels" / "policy")
    s = compute_standing(
        policies, firm_data("levels", "nimbus-works.yaml"), date(2026, 11, 25), look_ahead=True
    )
    assert s is not None and s.next_review is not None
    assert (s.next_review.on, s.next_review.outcome) == (date(2027, 1, 1), "promotion to Premier")
    assert s.look_notice is None
