"""The firm-file schema a policy folder reads: the bundled one with the fields and record kinds its policies
declare, composed once and compiled once."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property
from typing import Any

from .resources import schema

Doc = Mapping[str, Any]

# Where each record kind a policy may add fields to has its item schema in the bundled firm schema.
EXTENDABLE: dict[str, tuple[str, ...]] = {
    "people": ("properties", "people", "items"),
    "customers": ("properties", "customers", "items"),
    "deployments": ("properties", "deployments", "items"),
    "stories": ("properties", "stories", "items"),
    "credentials": ("properties", "people", "items", "properties", "credentials", "items"),
    "joint_business_plan": ("properties", "firm", "properties", "joint_business_plan"),
}

# What every text field of the firm file matches: no control characters (they would reach a terminal).
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b-\\x1f\\x7f-\\x84\\x86-\\x9f]*$"


class FirmSchema:
    """A firm-file JSON Schema with its two validators (a fast yes/no, an exact one that locates), each
    compiled the first time it is needed; `record_kinds` are the lists a policy added (ids unique)."""

    def __init__(self, doc: Doc, record_kinds: tuple[str, ...] = ()) -> None:
        self.doc, self.record_kinds = doc, record_kinds

    @cached_property
    def fast(self) -> Any:
        from .schema import fast_validator_for

        return fast_validator_for(self.doc)

    @cached_property
    def exact(self) -> Any:
        from .schema import exact_validator_for

        return exact_validator_for(self.doc)


@cache
def bundled_firm_schema() -> FirmSchema:
    """The firm schema as shipped: what a policy that declares no data reads."""
    return FirmSchema(schema("firm"))


def firm_schema_for(declared: Iterable[Doc], designations: Sequence[str] = ()) -> FirmSchema:
    """The schema for policies declaring these `data` sections (one per version; a field is known if any
    version declares it) and, when they declare several, these designations (a standing is stated per
    designation); the bundled one, compiled once per process, when neither changes anything."""
    specs = [d for d in declared if d]
    if not specs and len(designations) < 2:
        return bundled_firm_schema()
    kinds = tuple(dict.fromkeys(k for spec in specs for k in spec.get("records", {})))
    doc = compose(schema("firm"), specs)
    if len(designations) > 1:
        doc["properties"]["firm"]["properties"]["standing"] = standing_by_designation(
            doc["properties"]["firm"]["properties"]["standing"], designations
        )
    return FirmSchema(doc, kinds)


def standing_by_designation(one: Doc, designations: Sequence[str]) -> dict[str, Any]:
    """`firm.standing` under a policy with several designations: keyed by designation id, each entry
    the one-ladder standing (a tier and a day), each optional."""
    return {
        "title": one["title"],
        "description": "Optional: the tier the firm holds today in each designation, keyed by its id, "
        "and since when.",
        "type": "object",
        "additionalProperties": False,
        "properties": {d: {**one, "title": d, "description": f"The standing in {d}."} for d in designations},
    }


def compose(base: Doc, specs: Iterable[Doc]) -> dict[str, Any]:
    """`base` with each declared field added to its record kind and each declared record kind added as a
    top-level list, every object still closed (an unknown key is refused as before)."""
    out: dict[str, Any] = copy.deepcopy(dict(base))
    required: dict[str, set[str]] = {}
    for spec in specs:
        for kind, fields in spec.get("fields", {}).items():
            node = out
            for part in EXTENDABLE[kind]:
                node = node[part]
            for name, fragment in fields.items():
                _add(node["properties"], name, fragment)
        for kind, record in spec.get("records", {}).items():
            lists = out["properties"]
            if kind not in lists:
                lists[kind] = {
                    "title": record.get("label", kind),
                    "description": f"Records the policy declares ({kind}).",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id"],
                        "properties": {
                            "id": {
                                "title": "Id",
                                "description": f"Unique among {kind}.",
                                "$ref": "#/$defs/slug",  # an id, as every id of the firm file
                            }
                        },
                    },
                }
            item = lists[kind]["items"]
            for name, fragment in record["fields"].items():
                _add(item["properties"], name, fragment)
            these = set(record.get("required", ()))
            required[kind] = these if kind not in required else required[kind] & these
    for kind, names in required.items():  # required only when every version requiring the kind says so
        out["properties"][kind]["items"]["required"] = ["id", *sorted(names)]
    return out


def _add(properties: dict[str, Any], name: str, fragment: Doc) -> None:
    """Add a declared field; one declared differently by another version accepts either."""
    schema_ = _field(fragment)
    held = properties.get(name)
    if held is None or held == schema_:
        properties[name] = schema_
    else:
        properties[name] = {"anyOf": [*held.get("anyOf", [held]), schema_]}


def _field(fragment: Doc) -> dict[str, Any]:
    """A declared field as JSON Schema: a date is the firm schema's own date (its pattern and years), any
    other format is text, text holds no control characters, a list's items and a mapping's properties
    are declared fields too, and a mapping is closed."""
    out = dict(fragment)
    if out.get("format") == "date":
        out.pop("format")
        out.pop("type", None)
        out["$ref"] = "#/$defs/date"
    elif "format" in out:  # a format checks only text: a number must not pass for an email
        out.setdefault("type", "string")
    if out.get("type") == "string":  # no control characters, as in every text field of the firm file
        if "pattern" in out:
            out["allOf"] = [{"pattern": TEXT_PATTERN}]
        else:
            out["pattern"] = TEXT_PATTERN
    if "items" in out:
        out["items"] = _field(out["items"])
    if "properties" in out:
        out["properties"] = {name: _field(f) for name, f in out["properties"].items()}
        out["additionalProperties"] = False
    return out
