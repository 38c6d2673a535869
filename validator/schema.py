"""Validate data against a JSON Schema: a fast yes/no, and exact located messages."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

import jsonschema_rs

from .loader import Located, Path_
from .problem import Problem, did_you_mean, json_path, misspelt
from .resources import schema

# Characters no text field may hold (the firm schema's patterns say so): they would reach a terminal
# or a report raw, so an escape such as "\\e[2J" in a name could rewrite what a reader sees.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")

_TYPE_WORDS = {
    "boolean": "true or false",
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "null": "nothing",
}


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


# What to write instead, where the schema's description (written for an editor's hover help) says
# something else; keyed by the field's title.
_HINTS = {
    "email": "an email address has one @ and no spaces, e.g. ada.park@northwind.example",
    "country": "a two-letter ISO 3166-1 code in capitals, e.g. NO for Norway",
}


def schema_problems(name: str, file: str, located: Located) -> list[Problem]:
    """Every problem against a bundled schema in the data, one per location, the most relevant first."""
    return located_problems(_exact_validator(name), file, located)


def located_problems(exact: Any, file: str, located: Located) -> list[Problem]:
    """Every problem an exact validator finds in the data, one per location, the most relevant first."""
    from jsonschema.exceptions import relevance

    groups: dict[Path_, dict[str, Any]] = {}
    for error in exact.iter_errors(located.data):
        for path, message in _explain(error):
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


def _explain(error: Any) -> Iterator[tuple[Path_, str]]:
    """Where an error points and what to say; an unknown key points at the key itself."""
    path: Path_ = tuple(error.absolute_path)
    inst, sch, kind = error.instance, error.schema, error.validator
    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(sch.get("properties", {}))
        for key in sorted(set(inst) - set(allowed)):
            hint = did_you_mean(key, allowed)
            yield (*path, key), f"unknown key {key!r}: {hint}allowed here: {', '.join(allowed)}"
        return
    if kind in ("dependentRequired", "anyOf", "not") and sch.get("title") == "Requirement":
        keys = ", ".join(map(str, inst)) if isinstance(inst, dict) and inst else "no keys"
        yield (
            path,
            "a requirement is one of {metric, at_least}, {designation, tier}, {any_of: [...]} or "
            f"{{all_of: [...]}}; this one has {keys}",
        )
        return
    if kind == "required":
        allowed = sch.get("properties", {})
        missing = [k for k in error.validator_value if k not in inst and not misspelt(k, inst, allowed)]
        if not missing:  # each one is an unknown key's suggestion: that problem says it
            return
        yield path, f"missing required key{'s' * (len(missing) != 1)} " + ", ".join(map(repr, missing))
        return
    control = _CONTROL.search(inst) if kind == "pattern" and isinstance(inst, str) else None
    if control is not None:
        code = f"U+{ord(control.group()):04X}"
        yield path, f"contains control character {code}, which text may not hold: delete it"
        return
    if kind in ("format", "pattern"):
        what = (sch.get("title") or "value").lower()
        yield (
            path,
            f"{inst!r} is not a valid {what}: {_HINTS.get(what, sch.get('description', error.message))}",
        )
        return
    if kind == "type":
        want = sch["type"]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in ([want] if isinstance(want, str) else want))
        if inst is None and path and isinstance(path[-1], str):
            if sch.get("title") == "Date":
                words = "a date (YYYY-MM-DD)"
            yield (
                path,
                f"{path[-1]} is empty: write {words} after the colon, or delete the line if it is optional",
            )
            return
        yield path, f"expected {words}, found {inst!r}"
        return
    if kind == "enum":
        allowed = [str(v) for v in sch["enum"]]
        hint = did_you_mean(inst, allowed) if isinstance(inst, str) else ""
        key = f"{path[-1]} " if path and isinstance(path[-1], str) else ""
        yield (
            path,
            f"{key}{inst!r} is not one of: {', '.join(allowed)}" + (f"; {hint.strip()}" if hint else ""),
        )
        return
    if kind == "minLength" and inst == "":
        yield path, "must not be empty"
        return
    yield path, error.message
