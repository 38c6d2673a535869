"""Read firm and policy files safely: the text once, and libyaml's events with the place of every key."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000

Path_ = tuple[str | int, ...]

# A key (plain, or quoted as in JSON) and the plain scalar after its colon.
_KEY_VALUE = re.compile(r"""("[^"]*"|'[^']*'|[^\s:]+)[ \t]*:[ \t]*([^\s,\]}#"']+)""")
_LINE_BREAK = re.compile(r"\r\n?|\n")  # YAML's and JSON's: the lines marks count


class LoadError(Exception):
    """A file that cannot be read as data, with where the reading stopped."""

    def __init__(self, message: str, line: int = 1, col: int = 1, kind: str = "syntax") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.kind = message, line, col, kind


class Source(NamedTuple):
    """A file's text, read once, with its digest."""

    path: str
    text: str
    sha256: str

    @property
    def is_json(self) -> bool:
        return self.path.lower().endswith(".json")


class FoundMarks(Mapping[Path_, tuple[int, int]]):
    """Positions found on first use: a clean file is never asked where anything is."""

    def __init__(self, find: Callable[[], Mapping[Path_, tuple[int, int]]]) -> None:
        self._find = find
        self._found: Mapping[Path_, tuple[int, int]] | None = None

    def _marks(self) -> Mapping[Path_, tuple[int, int]]:
        if self._found is None:
            self._found = self._find()
        return self._found

    def __getitem__(self, path: Path_) -> tuple[int, int]:
        return self._marks()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._marks())

    def __len__(self) -> int:
        return len(self._marks())


class Located:
    """Data with the 1-based line and column of every mapping key and list entry."""

    def __init__(self, data: Any = None, text: str = "", is_json: bool = False) -> None:
        self.data = data
        self.text = text  # the file's text, when known: what a value is as written
        self.is_json = is_json  # the syntax a fix is written in
        self.marks: Mapping[Path_, tuple[int, int]] = {}

    def where(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)

    def written(self, path: Path_) -> str | None:
        """The plain scalar after the key at `path`, as the text writes it (`2026.10`, which YAML reads
        as 2026.1); None unless the key is where the marks say and its value reads as the data's."""
        mark = self.marks.get(path) if self.text and path and isinstance(path[-1], str) else None
        lines = _LINE_BREAK.split(self.text)
        if mark is None or mark[0] > len(lines):
            return None
        found = _KEY_VALUE.match(lines[mark[0] - 1], mark[1] - 1)
        if found is None or found.group(1).strip("'\"") != path[-1]:
            return None
        value: Any = self.data
        for part in path:
            value = value[part]
        read = plain_scalar(found.group(2))
        return found.group(2) if read == value or (read != read and value != value) else None  # NaN


def _not_utf8(raw: bytes, at: int) -> str:
    """Say what the file is, when that is clear, and how to make it UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:64]:
        return (
            "the file is UTF-16 text, not UTF-8: save it as UTF-8 (in most editors: Save As, encoding UTF-8)"
        )
    return f"not UTF-8 text: byte 0x{raw[at]:02x} cannot be decoded; save the file as UTF-8"


def read_source(path: str | Path) -> Source:
    """Read a regular file as UTF-8 text (a BOM is dropped), refusing oversized and non-UTF-8 files.

    A FIFO, socket or device is refused before it is opened (opening one can wait for ever, or do
    something); the file is opened without blocking and checked again, in case it was swapped.
    """
    mode = Path(path).stat().st_mode
    if stat.S_ISDIR(mode):
        with os.scandir(path):  # a folder a walk could not read: say why (permission denied)
            pass
    _regular(mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        _regular(os.fstat(fd).st_mode)
        return _source(str(path), fh.read(MAX_FILE_BYTES + 1))


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "a device")
        raise LoadError(f"cannot read: {kind}, not a regular file", kind="read")


def read_stdin(name: str) -> Source:
    """Standard input as one file called `name` (its suffix says JSON or YAML), read as a file is."""
    return _source(name, sys.stdin.buffer.read(MAX_FILE_BYTES + 1))


def _source(path: str, raw: bytes) -> Source:
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; refusing to read it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(_not_utf8(raw, exc.start), line, col) from None
    return Source(path, text, hashlib.sha256(raw).hexdigest())


# YAML 1.2 core schema: what a plain scalar means. `NO`, `on`, `yes` stay strings.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


def plain_scalar(value: str) -> Any:
    """What a plain scalar means in YAML 1.2's core schema."""
    if _NULL.fullmatch(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return int(value)
    if _OCT.fullmatch(value):
        return int(value[2:], 8)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return float(value.replace(".", "").lower())
    if _NAN.fullmatch(value):
        return float("nan")
    return value


class _Frame:
    __slots__ = ("anchor", "container", "key", "path", "seen")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.seen: dict[str, int] = {}


def parse_located(source: Source) -> Located:
    """Parse YAML or JSON into plain data plus the position of every key and entry.

    Refuses what a firm file must never hold: tags, duplicate keys, a second
    document, nesting deeper than MAX_DEPTH and alias expansion past MAX_NODES.
    """
    import yaml  # libyaml's events with marks; only files that are not plainly valid come here

    text = source.text.replace("\t", " ") if source.is_json else source.text
    located = Located(None)
    marks: dict[Path_, tuple[int, int]] = {}
    located.marks = marks
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    sizes: list[int] = []  # nodes under each open container, for anchors
    expanded = 0  # nodes that aliases add; the file's own nodes are bounded by its size
    documents = 0
    loader = yaml.CSafeLoader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None:
                break
            start = event.start_mark
            mark = (start.line + 1, start.column + 1) if start is not None else (1, 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise LoadError("a second YAML document: a file holds exactly one", *mark, "documents")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                size = sizes.pop()
                if sizes:
                    sizes[-1] += size
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, size)
                if not stack:
                    located.data = frame.container
                continue
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise LoadError(f"YAML tags are not allowed (found {tag!r}); write plain data", *mark, "tag")
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _unknown_alias(event.anchor or "", stack, mark)
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > MAX_NODES:
                    raise LoadError(f"aliases expand to more than {MAX_NODES} nodes", *mark, "aliases")
            elif isinstance(event, yaml.ScalarEvent):
                try:
                    value = plain_scalar(event.value) if event.implicit[0] else event.value
                except ValueError:  # Python refuses ints of more than 4,300 digits
                    raise LoadError(f"a number of {len(event.value)} characters is too long", *mark) from None
                size = 1
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            else:  # a mapping or sequence starts
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", *mark, "depth")
                if stack and isinstance(stack[-1].container, dict) and stack[-1].key is None:
                    raise LoadError("a mapping key must be a plain string, not a list or mapping", *mark)
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                path = _child_path(stack, mark, marks)
                if stack:
                    _attach(stack[-1], container)
                assert isinstance(event, yaml.CollectionStartEvent)
                anchors.pop(event.anchor or "", None)  # from here on the name is this node's
                stack.append(_Frame(container, path, event.anchor))
                sizes.append(1)
                continue
            if not stack:
                located.data = value
                continue
            top = stack[-1]
            if isinstance(top.container, dict) and top.key is None:
                if not isinstance(value, str):
                    value = event.value if isinstance(event, yaml.ScalarEvent) else None
                    if value is None:
                        raise LoadError("a mapping key must be a plain string", *mark)
                if value in top.seen:
                    raise LoadError(
                        f"duplicate key {value!r} (first on line {top.seen[value]})", *mark, "duplicate"
                    )
                top.seen[value] = mark[0]
                top.key = value
                marks[(*top.path, value)] = mark
                sizes[-1] += 1
                continue
            _child_path(stack, mark, marks)
            _attach(top, value)
            sizes[-1] += size
    except yaml.MarkedYAMLError as exc:
        pm = exc.problem_mark
        line, col = (pm.line + 1, pm.column + 1) if pm is not None else (1, 1)
        raise LoadError(
            f"{'YAML' if not source.is_json else 'JSON'} syntax: {exc.problem}", line, col
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise LoadError(
            f"control character U+{code:04X} is not allowed in a YAML or JSON file", line, col, "character"
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"cannot parse: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()
    if documents == 0:
        raise LoadError("the file is empty", kind="empty")
    return located


def _unknown_alias(anchor: str, stack: list[_Frame], mark: tuple[int, int]) -> LoadError:
    """An alias to no finished node: to one it is inside (a cycle, which plain data cannot hold), or
    to none at all."""
    inside = next((f for f in reversed(stack) if f.anchor == anchor), None)
    if inside is None:
        return LoadError(f"alias *{anchor} refers to no anchor", *mark)
    what = "mapping" if isinstance(inside.container, dict) else "list"
    return LoadError(
        f"alias *{anchor} is inside the {what} &{anchor} names: a cycle, which plain data cannot hold; "
        "write the value out",
        *mark,
        "cycle",
    )


def _child_path(stack: list[_Frame], mark: tuple[int, int], marks: dict[Path_, tuple[int, int]]) -> Path_:
    """The path of the node about to be attached to the top of the stack; record list entries."""
    if not stack:
        marks[()] = mark
        return ()
    top = stack[-1]
    if isinstance(top.container, list):
        path = (*top.path, len(top.container))
        marks[path] = mark
        return path
    return (*top.path, top.key) if top.key is not None else top.path


def _attach(frame: _Frame, value: Any) -> None:
    if isinstance(frame.container, list):
        frame.container.append(value)
    else:
        assert frame.key is not None
        frame.container[frame.key] = value
        frame.key = None
