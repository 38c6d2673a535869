"""The firm-file schema a policy folder reads: the bundled one with the fields and record kinds its policies
declare, composed once and compiled once."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
}


@dataclass(frozen=True, eq=False)
class FirmSchema:
    """A firm-file JSON Schema with its two validators (a fast yes/no, an exact one that locates), each
    compiled the first time it is needed; `record_kinds` are the lists a policy added (ids unique)."""

    doc: Doc
    record_kinds: tuple[str, ...] = ()

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


def firm_schema_for(declared: Iterable[Doc]) -> FirmSchema:
    """The schema for policies declaring these `data` sections (one per version; a field is known if any
    version declares it); the bundled one, compiled once per process, when none declares anything."""
    specs = [d for d in declared if d]
    if not specs:
        return bundled_firm_schema()
    kinds = tuple(dict.fromkeys(k for spec in specs for k in spec.get("records", {})))
    return FirmSchema(compose(schema("firm"), specs), kinds)


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
                                "description": "unique in the list",
                                "type": "string",
                                "minLength": 1,
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
    """A declared field as JSON Schema: a date is the firm schema's own date (its pattern and years)."""
    out = dict(fragment)
    if out.get("format") == "date":
        out.pop("format")
        out.pop("type", None)
        out["$ref"] = "#/$defs/date"
    return out
