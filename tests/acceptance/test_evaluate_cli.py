"""`tiercheck evaluate` and `tiercheck policy check` as CI jobs call them (docs/cli.md)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from support import SHIPPED_POLICY, build_firm, policy_variant, tiercheck, write_yaml

from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NORTHWIND = EXAMPLES / "firms" / "northwind-advisory.yaml"
POLICIES = ROOT / "tests" / "policies"
AS_OF = "2026-11-25"


def evaluate_json(*args: str | Path) -> tuple[int, Any]:
    r = tiercheck("evaluate", *args, "--format", "json")
    assert "Traceback" not in r.stderr, r.stderr
    return r.returncode, json.loads(r.stdout)


@pytest.fixture
def select_file(tmp_path: Path) -> Path:
    """A firm exactly at Select: 10 certified people, 2 customers in production (2 regions), 1 story."""
    data = build_firm(people=10, customers=2, stories=1, regions=("emea", "apac"), name="Northwind Advisory")
    return write_yaml(tmp_path / "northwind.yaml", data)


def test_json_on_one_file_prints_one_object_with_the_fields_cli_md_requires(select_file) -> None:
    status, doc = evaluate_json(select_file, "--as-of", AS_OF)
    assert status == 0
    assert isinstance(doc, dict)
    assert doc["file"] == str(select_file)
    assert doc["firm"]["id"] == "acme-consulting" and doc["firm"]["name"] == "Northwind Advisory"
    assert doc["as_of"] == AS_OF
    assert doc["policy"]["id"] == "cpn-services"
    assert doc["policy"]["version"] == "2026.1"
    assert doc["policy"]["sha256"] == hashlib.sha256(SHIPPED_POLICY.read_bytes()).hexdigest()
    assert doc["eligible_tier"] == "select"
    values = {name: doc["metrics"][name]["value"] for name in doc["metrics"]}
    assert values == {
        "certified_people": 10,
        "customers_in_production": 2,
        "production_regions": 2,
        "public_stories": 1,
        "joint_business_plan": 0,
    }
    assert "errors" not in doc


def test_json_reports_the_next_tiers_value_threshold_and_shortfall(select_file) -> None:
    doc = evaluate_json(select_file, "--as-of", AS_OF)[1]
    assert doc["next_tier"]["id"] == "preferred"
    assert doc["next_tier"]["requirements"][0] == {
        "metric": "certified_people",
        "value": 10,
        "threshold": 100,
        "met": False,
        "shortfall": 90,
    }


def test_jsonl_prints_one_object_per_line_in_input_order(tmp_path) -> None:
    files = [
        write_yaml(tmp_path / "zeta.yaml", build_firm(people=10, customers=2, stories=1, firm_id="zeta")),
        write_yaml(tmp_path / "alpha.yaml", build_firm(firm_id="alpha")),
        write_yaml(tmp_path / "mid.yaml", build_firm(people=10, customers=2, firm_id="mid")),
    ]
    r = tiercheck("evaluate", *files, "--as-of", AS_OF, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    docs = [json.loads(line) for line in lines]
    assert [d["file"] for d in docs] == [str(f) for f in files]
    assert [(d["firm"]["id"], d["eligible_tier"]) for d in docs] == [
        ("zeta", "select"),
        ("alpha", "registered"),
        ("mid", "registered"),
    ]


def test_jsonl_writes_text_as_utf8_and_a_file_name_that_is_not_utf8_escaped(tmp_path, capsys) -> None:
    """Each line is compact JSON; a firm's name in UTF-8 as it is; a file name holding a byte that is
    not UTF-8 (which orjson cannot write) escaped, so the line still reads back as that name."""
    zoe = build_firm(firm_id="zoe")
    zoe["firm"]["name"] = "Zoë & Søn"
    named = write_yaml(tmp_path / "zoe.yaml", zoe)
    odd = Path(os.fsdecode(tmp_path.as_posix().encode() + b"/caf\xe9.yaml"))
    write_yaml(odd, build_firm(firm_id="cafe"))
    assert main(["evaluate", str(named), str(odd), "--as-of", AS_OF, "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert '"name":"Zoë & Søn"' in lines[0]
    assert [json.loads(line)["file"] for line in lines] == [str(named), str(odd)]
    assert "\\udce9" in lines[1]


def test_an_invalid_file_gives_an_object_with_errors_and_exit_1_while_the_others_are_evaluated(
    tmp_path, select_file
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(select_file.read_text().replace("joined_on:", "joined:"), encoding="utf-8")
    other = write_yaml(tmp_path / "other.yaml", build_firm(firm_id="other"))
    r = tiercheck("evaluate", select_file, broken, other, "--as-of", AS_OF, "--format", "jsonl")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["file"] for d in docs] == [str(select_file), str(broken), str(other)]
    assert [d.get("eligible_tier") for d in docs] == ["select", None, "registered"]
    assert "eligible_tier" not in docs[1]
    assert docs[1]["errors"], docs[1]
    assert all({"line", "col", "message"} <= set(e) for e in docs[1]["errors"])


def test_several_files_in_json_are_one_object_with_an_entry_per_file_and_a_summary(
    tmp_path, select_file
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nfirm: {id: x}\n", encoding="utf-8")
    status, doc = evaluate_json(select_file, broken, "--as-of", AS_OF)
    assert status == 1
    docs = doc["files"]
    assert [("problems" in d, d.get("eligible_tier")) for d in docs] == [(False, "select"), (True, None)]
    assert doc["summary"] == {"files": 2, "evaluated": 1, "invalid": 1}


def test_an_invalid_files_problems_are_under_problems_and_the_contracts_errors_alike(tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nfirm: {id: x}\n", encoding="utf-8")
    status, doc = evaluate_json(broken, "--as-of", AS_OF)
    assert status == 1
    assert doc["valid"] is False and doc["problems"] and doc["errors"] == doc["problems"]


def test_a_date_before_the_firm_joined_gives_a_null_eligible_tier(tmp_path) -> None:
    path = write_yaml(
        tmp_path / "late.yaml", build_firm(people=10, customers=2, stories=1, joined_on="2026-12-01")
    )
    status, doc = evaluate_json(path, "--as-of", AS_OF)
    assert (status, doc["eligible_tier"]) == (0, None)


def test_policy_pointing_at_a_fixture_changes_the_result(select_file) -> None:
    fixture = POLICIES / "select-certified-people-12.yaml"
    status, doc = evaluate_json(select_file, "--as-of", AS_OF, "--policy", fixture)
    assert (status, doc["eligible_tier"]) == (0, "registered")
    assert doc["policy"]["sha256"] == hashlib.sha256(fixture.read_bytes()).hexdigest()
    assert doc["next_tier"]["requirements"][0]["shortfall"] == 2


def test_policy_pointing_at_a_folder_of_versions_picks_the_version_in_effect(select_file) -> None:
    folder = POLICIES / "versions"
    before = evaluate_json(select_file, "--as-of", "2026-12-31", "--policy", folder)[1]
    after = evaluate_json(select_file, "--as-of", "2027-01-01", "--policy", folder)[1]
    assert (before["policy"]["version"], before["eligible_tier"]) == ("2026.1", "select")
    assert (after["policy"]["version"], after["eligible_tier"]) == ("2027.1", "registered")


def test_a_date_before_the_first_policy_version_is_exit_2(select_file) -> None:
    r = tiercheck("evaluate", select_file, "--as-of", "2026-02-28", "--policy", POLICIES / "versions")
    assert r.returncode == 2
    assert "no policy is in effect on 2026-02-28" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize("as_of", ["2026-02-30", "2026-13-01", "25/11/2026", "tomorrow", "2026-11-5"])
def test_an_invalid_as_of_date_is_exit_2_without_a_traceback(select_file, as_of) -> None:
    r = tiercheck("evaluate", select_file, "--as-of", as_of)
    assert r.returncode == 2
    assert "is not a calendar date" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_policy_check_exits_0_on_the_bundled_policy() -> None:
    r = tiercheck("policy", "check")
    assert r.returncode == 0, r.stdout
    assert "cpn-services 2026.1, in effect from 2026-03-01: ok" in r.stdout


def test_policy_check_exits_0_on_every_fixture_policy() -> None:
    fixtures = sorted(POLICIES.glob("*.yaml"))
    for path in [*fixtures, POLICIES / "versions"]:
        r = tiercheck("policy", "check", path)
        assert r.returncode == 0, r.stdout


@pytest.fixture
def invalid_policy(tmp_path: Path) -> Path:
    text = SHIPPED_POLICY.read_text(encoding="utf-8").replace(
        "window: activity\n", "window: recent_activity\n", 1
    )
    path = tmp_path / "invalid.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_check_exits_1_on_an_invalid_policy_naming_file_line_and_column(invalid_policy) -> None:
    r = tiercheck("policy", "check", invalid_policy)
    assert r.returncode == 1
    line = invalid_policy.read_text().splitlines().index("        window: recent_activity") + 1
    assert f"{invalid_policy}:{line}:9: unknown window 'recent_activity'" in r.stdout
    assert "Traceback" not in r.stderr


def test_policy_check_exits_2_on_a_missing_path(tmp_path) -> None:
    r = tiercheck("policy", "check", tmp_path / "no-such-policy.yaml")
    assert r.returncode == 2
    assert "no such file or directory" in r.stderr
    assert "Traceback" not in r.stderr


def test_evaluate_with_an_invalid_policy_is_exit_2_naming_the_problem(select_file, invalid_policy) -> None:
    r = tiercheck("evaluate", select_file, "--as-of", AS_OF, "--policy", invalid_policy, "--format", "json")
    assert r.returncode == 2
    assert "the policy is invalid" in r.stderr
    assert f"{invalid_policy}:" in r.stderr and "unknown window 'recent_activity'" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_a_message_naming_an_optional_field_the_record_lacks_is_not_an_internal_error(tmp_path) -> None:
    # A policy may word a reason with a field of the record ({email} of a person). A person without
    # an email must still be evaluated and reported; at worst the policy is refused up front (exit 2,
    # located), never an internal error.
    text = SHIPPED_POLICY.read_text(encoding="utf-8").replace(
        'message: "left the firm on {value}"', 'message: "{email} left the firm on {value}"', 1
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    data = build_firm(people=1)
    data["people"][0]["left_on"] = "2026-10-01"
    firm = write_yaml(tmp_path / "firm.yaml", data)
    r = tiercheck("evaluate", firm, "--as-of", AS_OF, "--policy", policy, "--format", "json")
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    if r.returncode == 2:
        assert f"the policy is invalid:\n{policy}:" in r.stderr
        return
    assert r.returncode == 0, r.stderr
    excluded = json.loads(r.stdout)["metrics"]["certified_people"]["excluded"]
    assert [e["reason"] for e in excluded] == ["left-firm"]
    assert "left the firm on 2026-10-01" in excluded[0]["message"]


def test_no_invalid_example_produces_a_traceback() -> None:
    r = tiercheck("evaluate", str(EXAMPLES / "invalid"), "--format", "jsonl", "--as-of", "2026-11-25")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    # a mistake that leaves the data valid only warns (examples/invalid/README.md): it is evaluated
    heads = {d["file"]: Path(d["file"]).read_text(encoding="utf-8").partition("\n")[0] for d in docs}
    warns = [d for d in docs if ": warning: " in heads[d["file"]]]
    assert len(warns) == 1 and all("errors" in d for d in docs if d not in warns)


def test_the_bundled_example_is_select_with_each_exclusion_reason_and_its_standing() -> None:
    r = tiercheck("evaluate", str(NORTHWIND), "--as-of", "2026-11-25", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["file"] == str(NORTHWIND)
    assert doc["firm"] | {"joined_on": None} == {
        "id": "northwind-advisory",
        "name": "Northwind Advisory",
        "joined_on": None,
    }
    assert doc["as_of"] == "2026-11-25" and doc["eligible_tier"] == "select"
    assert {"id": "cpn-services", "version": "2026.1"}.items() <= doc["policy"].items()
    assert len(doc["policy"]["sha256"]) == 64 and len(doc["file_sha256"]) == 64
    values = {k: v["value"] for k, v in doc["metrics"].items()}
    assert values == {
        "certified_people": 29,
        "customers_in_production": 3,
        "production_regions": 2,
        "public_stories": 2,
        "joint_business_plan": 0,
    }
    excluded = {o["id"]: o["reason"] for o in doc["metrics"]["certified_people"]["excluded"]}
    assert excluded == {
        "p-marcus": "left-firm",
        "p-lars": "inactive",
        "p-mei": "no-current-credential",
        "p-pedro": "no-current-credential",
        "p-zofia": "no-current-credential",
    }
    assert doc["standing"] == {"tier": "select", "since": "2026-10-01"}
    assert doc["next_review"]["on"] == "2026-12-31" and doc["pending_demotion"] is None


@pytest.mark.parametrize(
    "old,new,message",
    [
        (
            "{metric: certified_people, at_least: 10}",
            "{metric: certified_persons, at_least: 10}",
            "unknown metric 'certified_persons'",
        ),
        (
            "    from: customers_in_production",
            "    from: public_stories",
            "metric 'public_stories' must be declared before 'production_regions' uses it",
        ),
        ("test: is_true", "test: is_truthy", "'is_truthy' is not one of"),
        ("        reason: anonymous\n", "", "missing required key 'reason'"),
        ("at_risk_days: 90", "at_risk_days: 90\nat_risk_days: 30", "duplicate key 'at_risk_days'"),
    ],
    ids=["unknown-metric", "metric-used-before-declared", "unknown-test", "missing-reason", "duplicate-key"],
)
def test_policy_problems_are_located(tmp_path, old, new, message) -> None:
    broken = policy_variant(tmp_path / "p.yaml", (old, new))
    r = tiercheck("policy", "check", str(broken))
    assert r.returncode == 1
    line = next(row for row in r.stdout.splitlines() if message in row)
    assert line.startswith(f"{broken}:") and int(line.split(":")[1]) > 1


def test_two_versions_taking_effect_on_the_same_day_are_refused(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(SHIPPED_POLICY.read_text())
    (tmp_path / "b.yaml").write_text(
        SHIPPED_POLICY.read_text().replace('version: "2026.1"', 'version: "2026.2"')
    )
    r = tiercheck("policy", "check", str(tmp_path))
    assert r.returncode == 1 and "takes effect on 2026-03-01, as" in r.stdout


def test_a_policy_path_that_does_not_exist_is_exit_2_without_a_traceback(select_file, tmp_path) -> None:
    r = tiercheck("evaluate", select_file, "--as-of", AS_OF, "--policy", tmp_path / "nope")
    assert (r.returncode, r.stderr) == (2, f"tiercheck: {tmp_path / 'nope'}: no such file or directory\n")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_plan_naming_only_the_firms_sponsor_is_valid_and_excluded_while_the_other_tiers_evaluate(
    tmp_path, suffix, capsys
) -> None:
    data = build_firm(people=10, customers=2, stories=1, regions=("emea", "apac"))
    data["firm"]["joint_business_plan"] = {
        "signed_on": "2026-05-01",
        "executive_sponsors": {"firm": "Dana Whitfield"},
    }
    path = tmp_path / f"half-plan{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        write_yaml(path, data)
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(path), "--as-of", AS_OF, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["eligible_tier"] == "select"
    plan = doc["metrics"]["joint_business_plan"]
    assert (plan["value"], [o["reason"] for o in plan["excluded"]]) == (0, ["no-anthropic-sponsor"])


def test_jsonl_keeps_no_evaluation_after_writing_its_line(tmp_path) -> None:
    """Memory stays flat over many firms: a jsonl run holds nothing per file once its line is out."""
    example = (EXAMPLES / "firms" / "northwind-advisory.yaml").read_text()

    class Lines(io.TextIOBase):
        """Standard output that counts lines and keeps nothing."""

        count = 0

        def write(self, text: str) -> int:
            self.count += text.count("\n")
            return len(text)

    def peak(count: int) -> int:
        folder = tmp_path / f"firms-{count}"
        folder.mkdir()
        for i in range(count):
            (folder / f"firm-{i:03d}.yaml").write_text(example)
        out = Lines()
        with contextlib.redirect_stdout(out):
            tracemalloc.start()
            main(["evaluate", str(folder), "--format", "jsonl", "--as-of", "2026-11-25", "-q"])
            _, high = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert out.count == count
        return high

    peak(2)  # warm the caches every run shares
    # kept, 36 more evaluations grow the peak by ~1.5 MB; streamed, and no evaluation left in a reference
    # cycle for the garbage collector to find later (they piled up to ~0.7 MB), it grows by ~15 KB
    assert peak(40) - peak(4) < 300_000


WARNED = EXAMPLES / "invalid" / "credential-name-typo.yaml"  # valid, with a misspelt credential


def test_text_prints_a_valid_files_warnings_located_before_its_evaluation(capsys) -> None:
    assert main(["evaluate", str(WARNED), "--as-of", AS_OF]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{WARNED}:12:9: warning: credential 'claude-certified-architec' is not one the policy knows, "
        "so it never counts: did you mean 'claude-certified-architect'?"
    )
    assert lines[1] == f"{WARNED}: Contoso Partners (contoso-partners)"


def test_jsonl_and_markdown_carry_a_valid_files_warnings(capsys) -> None:
    assert main(["evaluate", str(WARNED), str(NORTHWIND), "--as-of", AS_OF, "--format", "jsonl"]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [[(w["line"], w["severity"]) for w in d["warnings"]] for d in docs] == [[(12, "warning")], []]
    assert main(["evaluate", str(WARNED), "--as-of", AS_OF, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "### Warnings\n\n- " in markdown
    assert "12:9: warning: credential 'claude-certified-architec'" in markdown


@pytest.fixture(scope="module")
def many_firms(tmp_path_factory) -> Path:
    """Enough files for evaluate to use worker processes: tiers of every kind, an invalid file, a file
    with a warning and a second file with a taken firm id."""
    root = tmp_path_factory.mktemp("many")
    for i in range(64):
        data = build_firm(people=i % 12, customers=i % 4, stories=i % 3, firm_id=f"firm-{i:02}")
        write_yaml(root / f"firm-{i:02}.yaml", data)
    (root / "firm-30.yaml").write_text((root / "firm-30.yaml").read_text().replace("joined_on:", "joined:"))
    (root / "warned.yaml").write_text(WARNED.read_text())
    write_yaml(root / "zz-copy.yaml", build_firm(people=3, firm_id="firm-07"))
    return root


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text", "markdown", "github", "sarif", "junit"])
def test_many_files_on_two_processes_give_what_one_process_gives(many_firms, capsys, pools, fmt) -> None:
    def run(jobs: str) -> tuple[int, str]:
        status = main(["evaluate", str(many_firms), "--as-of", AS_OF, "--format", fmt, "--jobs", jobs, "-q"])
        return status, capsys.readouterr().out

    one, pooled = run("1"), run("2")
    assert pools == [2]
    assert pooled == one
    assert one[0] == 1 and "zz-copy.yaml" in one[1] and "firm-30.yaml" in one[1]


@pytest.mark.parametrize("command", ["evaluate", "summary"])
def test_workers_use_the_policy_the_command_read_not_the_file_as_changed_since(
    many_firms, tmp_path, capsys, monkeypatch, pools, command
) -> None:
    """Workers are forked with the policy already loaded: a policy file broken (or edited) once the
    command has read it changes nothing (read again, it failed every worker, one after another)."""
    import validator.cli

    policy = tmp_path / "policy.yaml"
    policy.write_text(SHIPPED_POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    args = [command, str(many_firms), "--as-of", AS_OF, "--policy", str(policy), "--format", "json", "-q"]
    expected = main([*args, "--jobs", "1"]), capsys.readouterr().out
    read = validator.cli._load_policies

    def read_then_broken(path: str | None) -> Any:
        loaded = read(path)
        policy.write_text("policy_language: 1\nid: [broken\n", encoding="utf-8")
        return loaded

    monkeypatch.setattr(validator.cli, "_load_policies", read_then_broken)
    assert (main([*args, "--jobs", "2"]), capsys.readouterr().out) == expected
    assert pools == [2]


@pytest.mark.parametrize(("fmt", "imports_jinja"), [("jsonl", False), ("json", False), ("markdown", True)])
def test_evaluate_imports_jinja_only_for_a_format_rendered_from_templates(
    fmt: str, imports_jinja: bool
) -> None:
    """Jinja takes longer to import than evaluating a file: a CI job's jsonl or json run never pays it."""
    script = (
        "import contextlib, io, sys; from validator.cli import main; "
        "out = io.StringIO(); ctx = contextlib.redirect_stdout(out); ctx.__enter__(); "
        f"code = main(['evaluate', 'examples/firms/northwind-advisory.yaml', '--format', {fmt!r}]); "
        "ctx.__exit__(None, None, None); print(code, out.getvalue() != '', 'jinja2' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "True", str(imports_jinja)]
