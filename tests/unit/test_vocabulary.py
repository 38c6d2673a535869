"""What a policy folder knows of firm values, read from every version."""

from __future__ import annotations

from support import ARCHITECT, SHIPPED_POLICY, policy_variant

from validator.policies import load_policies
from validator.vocabulary import vocabulary


def test_the_bundled_policy_knows_its_regions_credentials_and_tiers_in_its_own_order() -> None:
    known = vocabulary(load_policies().versions)
    assert known.regions == ("amer", "emea", "apac")
    assert known.credentials == {ARCHITECT: ("foundations", "professional")}
    assert known.tiers == ("registered", "select", "preferred", "global-premier")


def test_a_value_any_version_of_the_folder_knows_is_known(tmp_path) -> None:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / SHIPPED_POLICY.name).write_text(SHIPPED_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    policy_variant(
        folder / "cpn-services-2027-01-01.yaml",
        ('version: "2026.1"', 'version: "2027.1"'),
        ("effective_from: 2026-03-01", "effective_from: 2027-01-01"),
        ("  apac: Asia Pacific\n", "  latam: Latin America\n"),
        (
            "    - {name: claude-certified-architect, level: professional",
            "    - {name: claude-certified-developer, level: foundations, from: 2027-01-01}\n"
            "    - {name: claude-certified-architect, level: expert, from: 2027-01-01}\n"
            "    - {name: claude-certified-architect, level: professional",
        ),
    )
    known = vocabulary(load_policies(folder).versions)
    assert known.regions == ("amer", "emea", "apac", "latam")
    assert known.credentials == {
        ARCHITECT: ("foundations", "professional", "expert"),
        "claude-certified-developer": ("foundations",),
    }
