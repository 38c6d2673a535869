"""Where each key and list entry of decided data is written: positions only, never a verdict."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .loader import MAX_DEPTH, FoundMarks, LoadError, Located, Path_, Source, parse_located
from .reading import Lines, data_refusal, decide, locator_text

_JSON_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]+))', re.S)
_MAX_DIGITS = 4300  # Python's limit on converting a long number


def locate(source: Source, data: Any) -> Located:
    """The data with the position of every key and entry: exact for JSON and for YAML libyaml reads
    the same way; otherwise found by searching the text for each key in order."""
    located = Located(data, source.text, source.is_json)
    if source.is_json:
        located.marks = json_marks(source.text)
        return located
    located.marks = FoundMarks(lambda: _yaml_marks(source, data))
    return located


def _yaml_marks(source: Source, data: Any) -> Mapping[Path_, tuple[int, int]]:
    try:
        exact = parse_located(Source(source.path, locator_text(source.text), ""))
    except LoadError:
        exact = None
    if exact is not None and _same(exact.data, data):
        return exact.marks
    return _searched_marks(source.text, data)


def read_located(source: Source) -> Located:
    """A whole file decided by the one parser (validator.reading), with the position of every key."""
    data = decide(source)
    located = locate(source, data)
    refusal = data_refusal(data)
    if refusal is not None:
        raise LoadError(refusal[1], *located.where(refusal[0]), "key")
    return located


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or repr(a) == repr(b))  # repr: NaN equals itself


def json_marks(text: str) -> dict[Path_, tuple[int, int]]:
    """Positions in JSON that json.loads has read (or refused only for what this scanner locates:
    a duplicate key, NaN or Infinity, a number too long, nesting too deep)."""
    lines = Lines(text)
    marks: dict[Path_, tuple[int, int]] = {}
    stack: list[_Open] = []
    index = 0
    while (match := _JSON_TOKEN.match(text, index)) is not None and match.end() > index:
        index = match.end()
        string, punct, literal = match.groups()
        at = lines.at(match.start(match.lastindex or 1))
        top = stack[-1] if stack else None
        if punct in (":", ","):
            if top is not None and top.keys is not None and punct == ",":
                top.key = None
            continue
        if punct in ("}", "]"):
            stack.pop()
            continue
        if top is not None and top.keys is not None and top.key is None:  # a key
            key = json.loads(string or '""')
            if key in top.keys:
                raise LoadError(f"duplicate key {key!r} (first on line {top.keys[key]})", *at, "duplicate")
            top.keys[key] = at[0]
            top.key = key
            marks[(*top.path, key)] = at
            continue
        if top is None:
            path: Path_ = ()
            marks[()] = at
        elif top.keys is None:
            path = (*top.path, top.count)
            top.count += 1
            marks[path] = at
        else:
            path = (*top.path, top.key or "")
        if literal in ("NaN", "Infinity", "-Infinity"):
            raise LoadError(f"{literal} is not a JSON number", *at, "syntax")
        if literal is not None and len(literal) > _MAX_DIGITS:
            raise LoadError(f"a number of {len(literal)} characters is too long", *at, "syntax")
        if punct in ("{", "["):
            if len(stack) >= MAX_DEPTH:
                raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", *at, "depth")
            stack.append(_Open(path, {} if punct == "{" else None))
    return marks


class _Open:
    """An open JSON object (the line of each key seen, the pending key) or array (its count)."""

    __slots__ = ("count", "key", "keys", "path")

    def __init__(self, path: Path_, keys: dict[str, int] | None) -> None:
        self.path, self.keys = path, keys
        self.key: str | None = None
        self.count = 0


_ENTRY = re.compile(r"-(?=[ \t\r\n])|[\[,]")
_SPACE = re.compile(r"[ \t\r\n]*")


def _searched_marks(text: str, data: Any) -> dict[Path_, tuple[int, int]]:
    """Best-effort positions for YAML libyaml cannot read: each key searched for after the last found."""
    lines = Lines(text)
    marks: dict[Path_, tuple[int, int]] = {(): (1, 1)}
    cursor = 0

    def visit(value: Any, path: Path_) -> None:
        nonlocal cursor
        if isinstance(value, dict):
            for key, child in value.items():
                found = text.find(str(key), cursor)
                if found >= 0:
                    cursor = found + len(str(key))
                    marks[(*path, key)] = lines.at(found)
                visit(child, (*path, key))
        elif isinstance(value, list):
            for i, child in enumerate(value):
                entry = _ENTRY.search(text, cursor)
                if entry is not None:
                    cursor = entry.end()
                    marks[(*path, i)] = lines.at(_SPACE.match(text, cursor).end())  # type: ignore[union-attr]
                visit(child, (*path, i))

    visit(data, ())
    return marks
