"""docs/firm-file.md and schemas/firm.schema.json say the same thing: the field table, and a valid example."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from validator.cli import main
from validator.firm_fields import END, START, embed, table
from validator.resources import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "firm-file.md"


def test_the_field_table_in_the_doc_is_the_one_the_schema_gives() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert embed(text, schema("firm")) == text, "run: python -m validator.firm_fields docs/firm-file.md"


def test_a_changed_description_in_the_schema_no_longer_matches_the_doc() -> None:
    changed = copy.deepcopy(schema("firm"))
    changed["properties"]["customers"]["items"]["properties"]["region"]["description"] = "Somewhere."
    text = DOC.read_text(encoding="utf-8")
    assert "| `customers[].region` | yes | text | Somewhere. |" in embed(text, changed)
    assert embed(text, changed) != text


def properties(node: dict) -> int:
    """Every property under `node`, however deep, through lists' items."""
    children = node.get("properties", {}).values()
    return sum(1 + properties(c) + properties(c.get("items", {})) for c in children)


def test_every_field_of_the_schema_has_one_row_in_order() -> None:
    rows = table(schema("firm")).splitlines()[2:]
    paths = [row.split("`")[1] for row in rows]
    assert paths[:3] == ["schema_version", "firm", "firm.id"]
    assert "people[].credentials[].expires_on" in paths and "stories[].consent.by" in paths
    assert len(paths) == len(set(paths)) == properties(schema("firm"))


def test_a_doc_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        embed(f"# a doc\n{START}\nno end\n", schema("firm"))
    assert embed(f"a\n{START}\nold\n{END}\nb\n", schema("firm")).endswith(f"{END}\nb\n")


def test_the_example_in_the_doc_is_a_valid_firm_file(tmp_path, capsys) -> None:
    [example] = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    path = tmp_path / "firm.yaml"
    path.write_text(example, encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().out
