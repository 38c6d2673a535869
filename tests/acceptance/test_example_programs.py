"""The example programs in examples/programs/: each policy passes `policy check` with no warning, and each
firm file lands on the tier its README says, so every tier of every program is reached by some firm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import line_of
from support import tiercheck

from validator.policies import load_policies

PROGRAMS = Path(__file__).resolve().parents[2] / "examples" / "programs"
AS_OF = "2026-11-25"

# program -> firm file -> the tier it is eligible for on AS_OF (and holds by then), in its first designation
TIERS = {
    "points": {
        "harbor-analytics.yaml": "member",
        "summit-partners.yaml": "solutions-partner",
        "keystone-labs.yaml": "member",
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
