"""Load policy files, check them against the meta-schema and each other, pick the version in effect."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .inputs import UsageError
from .loader import LoadError, Located, Path_, parse_located, read_source
from .problem import Problem, json_path
from .resources import bundled
from .rules import Test, compile_rule
from .schema import fast_validator, schema_problems
from .spans import SpanTest, compile_spans


class PolicyError(Exception):
    """One or more policy files are invalid; each problem is located."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the policy")
        self.problems = problems


@dataclass(frozen=True)
class Metric:
    """A metric compiled for evaluation."""

    id: str
    label: str
    records: str | None
    key: str | None
    tests: tuple[Test, ...]
    spans: SpanTest
    derived_from: str | None
    group_by: str | None


@dataclass
class Policy:
    """One version of a program's policy."""

    path: str
    sha256: str
    doc: dict[str, Any]
    metrics: list[Metric] = field(default_factory=list)
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each key is, for problems

    @property
    def id(self) -> str:
        return str(self.doc["id"])

    @property
    def version(self) -> str:
        return str(self.doc["version"])

    @property
    def effective_from(self) -> date:
        return date.fromisoformat(self.doc["effective_from"])


class NoPolicyInEffect(UsageError):
    """No policy version had taken effect by the date asked for: the tool cannot do its job (exit 2)."""


@dataclass
class PolicySet:
    """The versions of one program's policy, in order of their effective dates."""

    versions: list[Policy]

    def in_effect(self, day: date) -> Policy:
        """The latest version whose effective date is on or before `day`."""
        starts = [p.effective_from for p in self.versions]
        i = bisect.bisect_right(starts, day)
        if i == 0:
            raise NoPolicyInEffect(
                f"no policy is in effect on {day}: the first version takes effect on {starts[0]}"
            )
        return self.versions[i - 1]


def policy_files(path: str | Path | None) -> list[str]:
    """The policy files at `path` (a file or a directory of *.yaml), or the bundled ones."""
    if path is None:
        folder = bundled("policy")
        return sorted(str(f) for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")))
    p = Path(path)
    if p.is_dir():
        return sorted(str(f) for f in p.iterdir() if f.suffix in (".yaml", ".yml", ".json"))
    return [str(p)]


def load_policies(path: str | Path | None = None) -> PolicySet:
    """Read, check and compile every policy version; raise PolicyError listing every problem."""
    files = policy_files(path)
    if not files:
        raise PolicyError([Problem(str(path), 1, 1, "no policy files (*.yaml) here", code="policy")])
    problems: list[Problem] = []
    versions: list[Policy] = []
    for file in files:
        policy, found = load_policy(file)
        problems.extend(found)
        if policy is not None:
            versions.append(policy)
    if not problems:
        problems.extend(_set_problems(versions))
    if problems:
        raise PolicyError(sorted(problems))
    return PolicySet(sorted(versions, key=lambda p: p.effective_from))


def policies_to_run(path: str | Path | None) -> PolicySet:
    """The policy a command runs under; an invalid one stops the command (exit 2) with every problem."""
    try:
        return load_policies(path)
    except PolicyError as exc:
        lines = "\n".join(str(p) for p in exc.problems)
        raise UsageError(f"the policy is invalid:\n{lines}") from None


def load_policy(file: str) -> tuple[Policy | None, list[Problem]]:
    """One policy file: the compiled policy, or the problems that stop it."""
    try:
        source = read_source(file)
        located = parse_located(source)
    except LoadError as exc:
        return None, [Problem(file, exc.line, exc.col, exc.message, code="policy")]
    except OSError as exc:
        return None, [Problem(file, 1, 1, f"cannot read: {exc.strerror or exc}", code="policy")]
    # jsonschema-rs says yes fast; only a policy it refuses pays for the located messages
    valid = fast_validator("policy").is_valid(located.data)
    problems = [] if valid else schema_problems("policy", file, located)
    if not problems:
        problems = _meaning_problems(file, located)
    if problems:
        return None, problems
    policy = Policy(file, source.sha256, located.data, marks=located.marks)
    policy.metrics = [_compile_metric(m, located.data) for m in located.data["metrics"]]
    return policy, []


def _compile_metric(doc: dict[str, Any], policy: dict[str, Any]) -> Metric:
    return Metric(
        doc["id"],
        doc.get("label", doc["id"]),
        doc.get("records"),
        doc.get("key"),
        tuple(compile_rule(r) for r in doc.get("rules", ())),
        compile_spans(doc.get("rules", []), policy),
        doc.get("from"),
        doc.get("group_by"),
    )


RECORD_LISTS = ("people", "customers", "deployments", "stories", "firm.joint_business_plan")


def _meaning_problems(file: str, located: Located) -> list[Problem]:
    """What the meta-schema cannot say: names that must refer to something declared."""
    doc = located.data
    found: list[tuple[Path_, str]] = []
    windows = set(doc["windows"])
    metric_ids: set[str] = set()
    derived: set[str] = set()

    def rules(path: Path_, items: list[dict[str, Any]]) -> None:
        for i, rule in enumerate(items):
            if "window" in rule and rule["window"] not in windows:
                found.append(
                    (
                        (*path, i, "window"),
                        f"unknown window {rule['window']!r}; declared: " + ", ".join(sorted(windows)),
                    )
                )
            if rule["test"] == "any":
                rules((*path, i, "rules"), rule["rules"])

    for i, metric in enumerate(doc["metrics"]):
        if metric["id"] in metric_ids:
            found.append((("metrics", i, "id"), f"metric {metric['id']!r} is declared twice"))
        if "from" in metric and metric["from"] not in metric_ids:
            found.append(
                (
                    ("metrics", i, "from"),
                    f"metric {metric['from']!r} must be declared before {metric['id']!r} uses it",
                )
            )
        elif metric.get("from") in derived:
            found.append(
                (
                    ("metrics", i, "from"),
                    f"metric {metric['from']!r} counts another metric's records; 'from' must name a "
                    "metric with 'records'",
                )
            )
        if "records" in metric and metric["records"] not in RECORD_LISTS:
            found.append(
                (
                    ("metrics", i, "records"),
                    f"unknown records {metric['records']!r}; one of: {', '.join(RECORD_LISTS)}",
                )
            )
        metric_ids.add(metric["id"])
        if "from" in metric:
            derived.add(metric["id"])
        rules(("metrics", i, "rules"), metric.get("rules", []))
    tier_ids: set[str] = set()
    for i, tier in enumerate(doc["tiers"]):
        if tier["id"] in tier_ids:
            found.append((("tiers", i, "id"), f"tier {tier['id']!r} is declared twice"))
        tier_ids.add(tier["id"])
        for j, req in enumerate(tier["requires"]):
            if req["metric"] not in metric_ids:
                found.append((("tiers", i, "requires", j, "metric"), f"unknown metric {req['metric']!r}"))
    return [
        Problem(file, *located.where(path), message, json_path(path), "policy") for path, message in found
    ]


def _set_problems(versions: list[Policy]) -> list[Problem]:
    """Versions read together must be one program's, each with its own effective date."""
    problems = []
    seen: dict[date, Policy] = {}
    for p in versions:
        if p.id != versions[0].id:
            problems.append(
                _at(
                    p,
                    "id",
                    f"policy id {p.id!r} differs from {versions[0].id!r} in "
                    f"{versions[0].path}: one program per policy folder",
                )
            )
        if p.effective_from in seen:
            problems.append(
                _at(
                    p,
                    "effective_from",
                    f"takes effect on {p.effective_from}, as {seen[p.effective_from].path} does",
                )
            )
        seen[p.effective_from] = p
    return problems


def _at(policy: Policy, key: str, message: str) -> Problem:
    line, col = policy.marks.get((key,), (1, 1))
    return Problem(policy.path, line, col, message, f"$.{key}", "policy")
