"""The firm file's fields as a Markdown table from a schema's descriptions (firm-file.md, `schema`).

`python -m validator.firm_fields docs/firm-file.md` rewrites the table between the marker comments;
tests/unit/test_firm_fields.py fails when the doc and the schema drift apart.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .resources import schema

START, END = "<!-- fields: generated from schemas/firm.schema.json -->", "<!-- end of fields -->"
_KINDS = {"date": "a date (YYYY-MM-DD)", "slug": "a slug", "url": "an http(s) link"}
_FORMATS = {"email": "an email address", "uri": "a link (URI)"}  # of fields a policy declares
_TYPES = {
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
}


def table(firm: Mapping[str, Any]) -> str:
    """A row per field, in the schema's order: path, required or not, kind, description."""
    rows = ["| field | required | kind | description |", "|---|---|---|---|"]
    slug = firm["$defs"]["slug"]["pattern"]
    for path, required, node in _fields(firm, ""):
        cell = node.get("description", "").replace("|", "\\|")
        rows.append(f"| `{path}` | {'yes' if required else 'no'} | {_kind(node, slug)} | {cell} |")
    return "\n".join(rows) + "\n"


def _fields(node: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, bool, Mapping[str, Any]]]:
    required = set(node.get("required", ()))
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        yield path, key in required, child
        if child.get("type") == "array" and "properties" in child.get("items", {}):
            yield from _fields(child["items"], f"{path}[].")
        elif "properties" in child:
            yield from _fields(child, f"{path}.")


def _kind(node: Mapping[str, Any], slug: str) -> str:
    if "$ref" in node:
        return _KINDS[node["$ref"].rsplit("/", 1)[1]]
    if "const" in node:
        return f"always {node['const']}"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if node.get("type") == "array":
        items = node["items"]
        return "a list of mappings" if "properties" in items else f"a list, each {_kind(items, slug)}"
    if node.get("pattern") == slug:
        return _KINDS["slug"]
    if node.get("format") in _FORMATS:
        return _FORMATS[node["format"]]
    return _TYPES.get(node.get("type", ""), "a value")


def embed(doc: str, firm: dict[str, Any]) -> str:
    """The doc with the table between its markers replaced by the schema's current one."""
    head, start, rest = doc.partition(START + "\n")
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the doc needs the markers {START!r} and {END!r}")
    return f"{head}{START}\n{table(firm)}{END}{tail}"


def main(argv: list[str]) -> int:
    """Rewrite the table in each doc given."""
    for name in argv:
        path = Path(name)
        path.write_text(embed(path.read_text(encoding="utf-8"), schema("firm")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
