"""CEL expressions, the policy language's escape hatch: compiled once at load, never Python `eval`.

The binding (`cel-expr-python`, Google's CEL runtime) is an optional extra, imported only when a policy
uses an expression, so a policy without one pays nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from ..loader import Path_

INSTALL = "pip install 'cel-expr-python>=0.1.3,<0.2' (the [cel] extra: pip install '.[cel]' in a clone)"
# A formula reads `metrics`, the values of the metrics declared before it, only by literal name.
USES = re.compile(r"""\bmetrics(?:\.([a-z0-9_]+)|\[\s*["']([a-z0-9_]+)["']\s*\])""")


class ExpressionError(Exception):
    """An expression that cannot be used: the binding is missing, or it does not compile."""


class Condition:
    """A compiled CEL condition over one record: true counts."""

    def __init__(self, source: str, program: Any) -> None:
        self.source, self.program = source, program

    def __call__(self, record: Mapping[str, Any], as_of: str) -> bool | str:
        """True or False, or why the expression could not say (a field the record lacks, a wrong type)."""
        value = self.program.eval(data={"record": record, "as_of": as_of})
        result = value.value()
        if isinstance(result, bool):
            return result
        return str(result) if value.type().name() == "ERROR" else f"gave {result!r}, not true or false"


class Formula:
    """A compiled CEL formula: a metric's value from the values of the metrics it names (`uses`)."""

    def __init__(self, source: str, program: Any, uses: tuple[str, ...]) -> None:
        self.source, self.program, self.uses = source, program, uses

    def __call__(self, values: Mapping[str, float]) -> float:
        """The value; every metric it names is given, and double arithmetic cannot fail (x / 0.0 is inf)."""
        return float(self.program.eval(data={"metrics": {m: float(values[m]) for m in self.uses}}).value())


@cache
def condition(source: str) -> Condition:
    """The expression compiled once, however many rules and versions hold it."""
    program = _compile("condition", source)
    kind = program.return_type().name()
    if kind not in ("BOOL", "DYN"):
        raise ExpressionError(f"a condition must give true or false; this one gives {kind.lower()}")
    return Condition(source, program)


@cache
def formula(source: str) -> Formula:
    """The formula compiled once; it must give a number (a double: write 2.0, not 2)."""
    program = _compile("formula", source)
    kind = program.return_type().name()
    if kind != "DOUBLE":
        raise ExpressionError(f"a formula must give a number (a double); this one gives {kind.lower()}")
    uses = tuple(dict.fromkeys(a or b for a, b in USES.findall(source)))
    if source.count("metrics") != len(USES.findall(source)):
        raise ExpressionError("a formula names each metric literally: metrics.ID or metrics['ID']")
    return Formula(source, program, uses)


def _compile(kind: str, source: str) -> Any:
    try:
        return _environment(kind).compile(source)
    except RuntimeError as exc:
        raise ExpressionError(_explain(str(exc))) from None


@cache
def _environment(kind: str) -> Any:
    try:
        from cel_expr_python import cel
    except ImportError:
        raise ExpressionError(
            f"this policy uses a CEL expression, and CEL is not installed: install it with {INSTALL}"
        ) from None
    if kind == "formula":
        return cel.NewEnv(variables={"metrics": cel.Type.Map(cel.Type.STRING, cel.Type.DOUBLE)})
    return cel.NewEnv(variables={"record": cel.Type.DYN, "as_of": cel.Type.STRING})


def _explain(error: str) -> str:
    """The binding's message made readable: 'ERROR: <input>:1:6: undeclared …' -> 'at 1:6: undeclared …'."""
    found = re.search(r"<input>:(\d+):(\d+): ([^\n]*)", error)
    if found is None:
        return error.strip()
    line, col, what = found.groups()
    return f"the expression does not compile, at its line {line}, column {col}: {what.strip()}"


def expression_problems(doc: Mapping[str, Any]) -> list[tuple[Path_, str]]:
    """Each expression of the policy compiled (and kept); where one cannot be, why. Without the binding,
    only the first expression says so."""
    found: list[tuple[Path_, str]] = []
    declared: set[str] = set()
    for i, metric in enumerate(doc.get("metrics", [])):
        for path, source in _expressions(metric, ("metrics", i)):
            try:
                condition(source)
            except ExpressionError as exc:
                found.append(((*path, "expr"), str(exc)))
        if "formula" in metric:
            at: Path_ = ("metrics", i, "formula")
            try:
                uses = formula(metric["formula"]).uses
            except ExpressionError as exc:
                found.append((at, str(exc)))
                uses = ()
            found += [
                (at, f"metric {m!r} must be declared before {metric['id']!r} uses it")
                for m in uses
                if m not in declared
            ]
        declared.add(metric["id"])
        missing = [f for f in found if INSTALL in f[1]]
        if missing:
            return missing[:1]
    return found


def _expressions(node: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every rule with `test: expression` inside `node`, with its path."""
    if isinstance(node, Mapping):
        if node.get("test") == "expression" and isinstance(node.get("expr"), str):
            yield path, node["expr"]
        for key, value in node.items():
            yield from _expressions(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _expressions(item, (*path, i))
