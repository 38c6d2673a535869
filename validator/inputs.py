"""Turn the paths given on the command line into the list of firm files to read."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json")


class UsageError(Exception):
    """The command cannot run as asked: exit status 2."""


def find_inputs(paths: list[str]) -> list[str]:
    """Files as given; directories searched (sorted, hidden folders skipped) for *.yaml *.yml *.json."""
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(
                str(p)
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                raise UsageError(f"{given}: no *.yaml, *.yml or *.json files in this directory")
            found.extend(inside)
        elif path.exists():
            found.append(given)
        else:
            raise UsageError(f"{given}: no such file or directory")
    return found
