"""What to say of a JSON Schema error, and where: plain words, never a Python repr of a mapping or list."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .loader import Located, Path_
from .problem import did_you_mean, misspelt

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

# Text of a fixed shape, said by its shape: quoting 20260430 would not make it a date.
_SHAPED = {
    "Date": "a date (YYYY-MM-DD)",
    "Month-day": "a month-day (MM-DD)",
    "Review days": "a month-day (MM-DD), a list of them or {every_months: N}",
}

# What to write instead, where the schema's description (written for an editor's hover help) says
# something else; keyed by the field's title.
_HINTS = {
    "email": "an email address has one @ and no spaces, e.g. ada.park@northwind.example",
    "country": "a two-letter ISO 3166-1 code in capitals, e.g. NO for Norway",
}

# A choice of keys (a oneOf or anyOf whose every branch requires one key): what has it, and what each
# key makes of it. A choice not listed here is said with "this mapping" and "has 'key'".
_CHOICES: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {
    ("tiers", "designations"): (
        "a policy",
        {"tiers": "gives 'tiers' (one ladder)", "designations": "gives 'designations' (several ladders)"},
    ),
    ("records", "from", "sum", "formula"): (
        "a metric",
        {
            "records": "counts 'records'",
            "from": "derives 'from' another",
            "sum": "is a 'sum' of others",
            "formula": "is a 'formula' over others",
        },
    ),
    ("days", "months"): ("a term", {"days": "is {days: N}", "months": "is {months: N}"}),
    ("type", "enum", "format"): (
        "a declared field",
        {"type": "has a 'type'", "enum": "has an 'enum'", "format": "has a 'format'"},
    ),
}


def shown(value: Any) -> str:
    """A value of the data in a message: text quoted, a number as it is, a mapping or list by kind."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return repr(value) if isinstance(value, str) else str(value)


def explain(error: Any, located: Located) -> Iterator[tuple[Path_, str]]:
    """Where an error points and what to say; an unknown key points at the key itself."""
    path: Path_ = tuple(error.absolute_path)
    inst, sch, kind = error.instance, error.schema, error.validator
    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(sch.get("properties", {}))
        for key in sorted(set(inst) - set(allowed)):
            if path == ("firm", "standing") and key in ("tier", "since"):  # one ladder's shape, many here
                first = next(iter(sch["properties"]))  # the first designation the policy declares
                hint = f"a standing is stated per designation here, as {first}: {{tier, since}}; "
            else:
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
    if kind == "dependentRequired":
        for key, needs in error.validator_value.items():
            lacking = [n for n in needs if key in inst and n not in inst]
            if lacking:
                yield (*path, key), f"{key!r} needs " + " and ".join(map(repr, lacking))
        return
    if kind in ("oneOf", "anyOf"):
        yield from _choice(error, located, path)
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
            f"{shown(inst)} is not a valid {what}: {_HINTS.get(what, sch.get('description', error.message))}",
        )
        return
    if kind == "type":
        yield path, _wrong_type(sch["type"], inst, path, located, sch.get("title"))
        return
    if kind == "enum":
        yield path, _not_one_of(sch["enum"], inst, path)
        return
    if kind == "minLength" and inst == "":
        yield path, "must not be empty"
        return
    if kind in ("minItems", "minProperties"):
        n = error.validator_value
        items = "item" if kind == "minItems" else "entry"
        yield path, f"needs at least {n} {items}{'s' * (n != 1)}, found {shown(inst)}"
        return
    if kind == "uniqueItems":
        twice = next(v for i, v in enumerate(inst) if v in inst[:i])
        yield path, f"{shown(twice)} is listed twice: list each item once"
        return
    yield path, _plain(error)


def _plain(error: Any) -> str:
    """A validator's own message, when it quotes no mapping or list (of the data or of the schema)."""
    message: str = error.message
    if "{'" not in message and "[" not in message:
        return message
    described = error.schema.get("description")
    return f"{shown(error.instance)} does not fit here" + (f": {described}" if described else "")


def _not_one_of(values: Sequence[Any], inst: Any, path: Path_) -> str:
    allowed = list(dict.fromkeys(str(v) for v in values))
    key = f"{path[-1]} " if path and isinstance(path[-1], str) else ""
    if isinstance(inst, (Mapping, list)):
        return f"{key}is one of: {', '.join(allowed)}; found {shown(inst)}"
    hint = did_you_mean(inst, allowed).strip() if isinstance(inst, str) else ""
    return f"{key}{shown(inst)} is not one of: {', '.join(allowed)}" + (f"; {hint}" if hint else "")


def _wrong_type(want: str | list[str], inst: Any, path: Path_, located: Located, title: str | None) -> str:
    wants = [want] if isinstance(want, str) else want
    words = _SHAPED.get(title or "") or " or ".join(_TYPE_WORDS.get(t, t) for t in wants)
    key = path[-1] if path and isinstance(path[-1], str) else None
    if inst is None and key is not None:
        return f"{key} is empty: write {words} after the colon, or delete the line if it is optional"
    number = isinstance(inst, (int, float)) and not isinstance(inst, bool)
    written = (located.written(path) if number else None) or shown(inst)  # 2026.10, not YAML's 2026.1
    if isinstance(inst, float) and not math.isfinite(inst) and "number" in wants:
        return f"expected a finite number, found {written}"
    if "string" in wants and number and key is not None and title not in _SHAPED:
        fixed = f'"{key}": "{written}"' if located.is_json else f'{key}: "{written}"'
        return f"expected {words}, found {written}: quote it ({fixed})"
    return f"expected {words}, found {written}"


def _choice(error: Any, located: Located, path: Path_) -> Iterator[tuple[Path_, str]]:
    """A oneOf or anyOf: a choice of keys said in words, or the one branch the data's type picks."""
    branches: Sequence[Any] = error.validator_value
    keys = _chosen_keys(branches)
    inst = error.instance
    if keys is not None and isinstance(inst, Mapping):
        yield _choice_of_keys(keys, branches, inst, path)
        return
    by_branch: dict[int, list[Any]] = {}
    for sub in error.context:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [
        subs
        for subs in by_branch.values()
        if not any(s.validator == "type" and not s.relative_path for s in subs)
    ]
    if len(fitting) == 1:  # the data's type picks one branch: what is wrong inside it
        for sub in fitting[0]:
            yield from explain(sub, located)
        return
    enums = [
        s.validator_value for subs in fitting for s in subs if s.validator == "enum" and not s.relative_path
    ]
    if fitting and len(enums) == sum(map(len, fitting)):  # each version's values: any of them will do
        yield path, _not_one_of([v for e in enums for v in e if v is not None], inst, path)
        return
    types = [b["type"] for b in branches if isinstance(b, Mapping) and isinstance(b.get("type"), str)]
    if not fitting and len(types) == len(branches):
        yield path, _wrong_type(types, inst, path, located, None)
        return
    yield path, _plain(error)


def _chosen_keys(branches: Sequence[Any]) -> tuple[str, ...] | None:
    """The keys of a choice whose every branch requires exactly one key, in order; else None."""
    keys = [b.get("required") if isinstance(b, Mapping) else None for b in branches]
    if not all(isinstance(k, list) and len(k) == 1 for k in keys):
        return None
    return tuple(k[0] for k in keys if k)


def _choice_of_keys(
    keys: tuple[str, ...], branches: Sequence[Any], inst: Mapping[str, Any], path: Path_
) -> tuple[Path_, str]:
    """What is wrong with a choice of keys: none given, more than one, or one with a key it excludes."""
    subject, phrases = _CHOICES.get(keys, ("this mapping", {}))
    said = {k: phrases.get(k, f"has {k!r}") for k in keys}
    given = [k for k in inst if k in keys]  # in the order written: the second one is the extra
    if not given:
        return path, f"{_subject(subject, path)} {_or([said[k] for k in keys])}: this one has none of them"
    if len(given) > 1:
        ends = "not both" if len(given) == 2 else "only one of them"
        listed = [said[k] for k in keys if k in given]
        return (*path, given[1]), f"{_subject(subject, path)} {_or(listed)}, {ends}"
    branch: Mapping[str, Any] = branches[keys.index(given[0])]
    excluded = [k for s in branch.get("not", {}).get("anyOf", ()) for k in s.get("required", ())]
    extra = next((k for k in inst if k in excluded), None)
    if extra is None:  # not a choice this module knows how to say: say it plainly
        return path, f"{_subject(subject, path)} {_or(list(said.values()))}"
    return (*path, extra), f"{_subject(subject, path)} that {said[given[0]]} cannot also have {extra!r}"


def _subject(subject: str, path: Path_) -> str:
    """Who the choice is of: a window by that name, else the choice's own word."""
    return "a window" if len(path) >= 2 and path[-2] == "windows" else subject


def _or(phrases: list[str]) -> str:
    """Phrases joined by "or", a verb they all begin with said once: "is {days: N} or {months: N}"."""
    verb = phrases[0].split(" ")[0]
    if len(phrases) > 1 and all(p.startswith(verb + " ") for p in phrases):
        phrases = [phrases[0], *(p.removeprefix(verb + " ") for p in phrases[1:])]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
