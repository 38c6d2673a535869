"""Validate data against a JSON Schema: a fast yes/no, and exact located messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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

    cls = jsonschema.validators.extend(base, {"pattern": ecma_pattern})  # type: ignore[no-untyped-call]
    return cls(doc, format_checker=cls.FORMAT_CHECKER)


def schema_problems(name: str, file: str, located: Located) -> list[Problem]:
    """Every problem against a bundled schema in the data, one per location, the most relevant first."""
    return located_problems(_exact_validator(name), file, located)


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
