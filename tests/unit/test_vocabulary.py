"""What a policy folder knows of firm values, read from every version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ARCHITECT, SHIPPED_POLICY, policy_variant

from validator.language.meaning import MESSAGE_VALUES
from validator.language.rules import TESTS
from validator.policies import check_policies, check_policy, load_policies, load_policy
from validator.vocabulary import Vocabulary, declared, declared_in, vocabulary, vocabulary_of

ROOT = Path(__file__).resolve().parents[2]
# Every policy file the project has (the shipped one, the example programs', the test fixtures'), and
# each folder of one program's versions.
FILES = sorted(
    f
    for top in ("policy", "examples/programs", "tests/policies")
    for f in (ROOT / top).rglob("*.yaml")
    if "firms" not in f.parts
)
PROGRAMS = [
    ROOT / "policy",
    *sorted((ROOT / "examples/programs").glob("*/policy")),
    ROOT / "tests/policies/versions",
]


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


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(ROOT)))
def test_what_a_checked_policy_declares_is_what_it_compiles_to(file: Path) -> None:
    checked, problems = check_policy(str(file))
    assert checked is not None, problems
    policy, _ = load_policy(str(file))
    assert policy is not None
    assert declared_in(checked.doc) == declared(policy)


@pytest.mark.parametrize("path", [*PROGRAMS, *FILES], ids=lambda f: str(f.relative_to(ROOT)))
def test_validate_knows_of_a_policy_what_the_commands_that_compile_it_know(path: Path) -> None:
    cheap = vocabulary_of(declared_in(c.doc) for c in check_policies(path)[0])
    assert _facts(cheap) == _facts(vocabulary(load_policies(path).versions))


def _facts(known: Vocabulary) -> tuple[object, ...]:
    """A vocabulary as comparable values (its schema by its document)."""
    s = known.schema
    return known.regions, known.credentials, known.tiers, s.doc, s.record_kinds, known.links, known.ladders


def test_a_messages_values_are_read_without_the_rule_language_as_each_test_fills_them_in() -> None:
    assert {name: test.values for name, test in TESTS.items()} == MESSAGE_VALUES


def modules_after_validating_a_valid_file() -> tuple[int, list[str]]:
    """validate's exit code on the example firm, in a fresh interpreter, and every module it imported."""
    script = (
        "import json, sys; from validator.cli import main; "
        "code = main(['validate', '-q', 'examples/firms/northwind-advisory.yaml']); "
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    code, modules = json.loads(run.stdout)
    return code, modules


def test_validate_checks_the_policy_without_importing_the_rule_language() -> None:
    code, modules = modules_after_validating_a_valid_file()
    assert (code, [m for m in modules if m.startswith("validator.language")]) == (
        0,
        [
            "validator.language",
            "validator.language.expressions",
            "validator.language.lint",
            "validator.language.meaning",
        ],
    )


def test_validate_of_a_valid_file_never_imports_the_exact_validator() -> None:
    # jsonschema (the exact path, ~100 ms to import) is for locating problems: a valid file and a valid
    # policy are decided by jsonschema-rs alone
    code, modules = modules_after_validating_a_valid_file()
    assert (code, "jsonschema" in modules) == (0, False)
