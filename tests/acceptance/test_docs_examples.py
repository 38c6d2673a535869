"""The console examples in the docs are run, and must print what the docs say they print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from support import tiercheck

ROOT = Path(__file__).resolve().parents[2]
DOCS = [
    ROOT / "README.md",
    ROOT / "docs" / "firm-file.md",
    ROOT / "docs" / "policy.md",
    ROOT / "examples" / "invalid" / "README.md",
    *sorted((ROOT / "examples" / "programs").glob("*/README.md")),
]


def examples() -> list[tuple[str, str, str]]:
    found = []
    for doc in DOCS:
        for block in re.findall(r"```console\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            command, _, output = block.partition("\n")
            assert command.startswith("$ tiercheck "), (
                f"{doc.name}: a console example starts with '$ tiercheck'"
            )
            found.append((f"{doc.relative_to(ROOT)}: {command}", command[len("$ tiercheck ") :], output))
    return found


@pytest.mark.parametrize("name,command,output", examples(), ids=[e[0] for e in examples()])
def test_console_example_prints_what_the_docs_show(name: str, command: str, output: str) -> None:
    r = tiercheck(*shlex.split(command), cwd=ROOT)
    assert r.stdout == output, name
