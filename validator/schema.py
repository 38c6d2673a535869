"""Validate data against a JSON Schema: a fast yes/no, and exact located messages."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

import jsonschema_rs

from .loader import Located, Path_
from .problem import Problem, json_path
from .resources import schema
from .schema_messages import explain


@cache
def fast_validator(name: str) -> Any:
    """A compiled jsonschema-rs validator for a bundled schema (formats checked)."""
    return fast_validator_for(schema(name))


def fast_validator_for(doc: Mapping[str, Any]) -> Any:
    """A compiled jsonschema-rs validator for a schema (formats checked)."""
    return jsonschema_rs.validator_for(dict(doc), validate_formats=True)


@cache
def _exact_validator(name: str) -> Any:
    return exact_validator_for(schema(name))


def exact_validator_for(doc: Mapping[str, Any]) -> Any:
    """A validator that reports every error with its path (formats checked, ECMA 262's `$`)."""
    import jsonschema  # imported only when a file has problems: it costs ~100 ms

    base = jsonschema.validators.validator_for(doc)
    pattern = base.VALIDATORS["pattern"]

    def ecma_pattern(validator: Any, regex: str, instance: Any, subschema: Any) -> Iterator[Any]:
        """Python's `$` also matches before a final newline; JSON Schema's (ECMA 262) does not."""
        yield from pattern(validator, regex, instance, subschema)
        if isinstance(instance, str) and regex.endswith("$") and instance.endswith("\n"):
            yield jsonschema.ValidationError(f"{instance!r} does not match {regex!r}")

    # JSON has no NaN or infinity (RFC 8259), so they are no number of JSON Schema's: jsonschema-rs
    # refuses them, and YAML's .inf, .nan and 1e400 must get the same verdict on the exact path
    checker = base.TYPE_CHECKER.redefine_many(
        {t: _finite(base.TYPE_CHECKER, t) for t in ("number", "integer")}
    )
    cls = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        base, {"pattern": ecma_pattern}, type_checker=checker
    )
    return cls(doc, format_checker=cls.FORMAT_CHECKER)


def _finite(types: Any, name: str) -> Any:
    """The type check `name` that holds only for a finite value."""
    return lambda checker, instance: (
        types.is_type(instance, name) and (not isinstance(instance, float) or math.isfinite(instance))
    )


def schema_problems(name: str, file: str, located: Located) -> list[Problem]:
    """Every problem against a bundled schema in the data, one per location, the most relevant first."""
    return refused(fast_validator(name), lambda: _exact_validator(name), file, located)


def refused(fast: Any, exact: Callable[[], Any], file: str, located: Located) -> list[Problem]:
    """The problems in data the fast validator refuses: the exact validator's (built only then: it
    imports jsonschema, ~100 ms), or, should it see none, the fast one's own, located; never none, so
    no refused file passes for valid or is lost."""
    if fast.is_valid(located.data):
        return []
    problems = located_problems(exact(), file, located)
    if problems:
        return problems
    first = next(iter(fast.iter_errors(located.data)))
    path = tuple(first.instance_path)
    return [Problem(file, *located.where(path), f"does not fit the schema: {first.message}", json_path(path))]


def located_problems(exact: Any, file: str, located: Located) -> list[Problem]:
    """Every problem an exact validator finds in the data, one per location, the most relevant first."""
    from jsonschema.exceptions import relevance

    groups: dict[Path_, dict[str, Any]] = {}
    for error in exact.iter_errors(located.data):
        for path, message in explain(error, located):
            groups.setdefault(path, {}).setdefault(message, error)
    problems = []
    for path, by_message in groups.items():
        message = max(by_message, key=lambda m: relevance(by_message[m]))
        if len(by_message) > 1:
            more = len(by_message) - 1
            message += f" (and {more} more problem{'s' if more > 1 else ''} here)"
        line, col = located.where(path)
        problems.append(Problem(file, line, col, message, json_path(path)))
    return problems
