"""What a file says: its text checked for what the parser cannot see, then one parser decides.

YAML is decided by yaml-rs (YAML 1.2), JSON by Python's json module held to RFC 8259. Neither sees
everything a firm file must refuse, so the text is checked first (characters outside YAML's
printable set, tags, a second document, YAML 1.1 numbers yaml-rs reads as numbers) and the data
after (keys that are not text, a lone surrogate from a JSON escape). Every refusal is a LoadError
with a `kind`, located at a line and column counted as YAML 1.2 and JSON count lines.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import yaml_rs

from .loader import MAX_DEPTH, MAX_NODES, LoadError, Located, Path_, Source, plain_scalar

# The characters outside YAML 1.2's printable set (c-printable: tab, line feed, carriage return,
# x20-x7E, x85, xA0-xD7FF, xE000-xFFFD, x10000-x10FFFF); a JSON file is held to the same set. Written as
# the set itself, not as "not printable": re compiles that in ~0.5 ms, the negated class in ~20 ms,
# on every start.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAK = re.compile(r"\r\n?|\n")
# A tag starts a node: at the start of the text, or after white space, ':', ',' or a flow opener.
# Every pattern scanned over the whole text starts with a literal or a small set, which re finds fast.
_TAG = re.compile(r"!(?<=[\s,\[{:]!)")
_DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.M)
_NUMBER_HINTS = (re.compile(r"_(?<=[0-9._]_)"), re.compile(r"\.[iInN]"), re.compile(r"0[XOBbxo]"))
# Bytes of UTF-8 text that are printable, or part of a character beyond ASCII (checked apart).
_PRINTABLE_BYTES = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F), *range(0x80, 0x100)])
# A plain scalar yaml-rs may read as a number where YAML 1.2's core schema reads text: digits with
# '_', a 0x/0o/0b prefix with a sign or in capitals, .inf/.nan in mixed case. Each candidate is then
# compared exactly (yaml-rs's reading against the core schema's).
_NUMBERISH = re.compile(
    r"(?:^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)"
    r"([-+]?(?:[0-9.][0-9A-Za-z.+-]*_[0-9A-Za-z_.+-]*|0[xXoObB][0-9A-Za-z_]*|\.[iInN][A-Za-z]{2}))"
    r"(?=[ \t]*(?:$|#|[,\]}]))",
    re.M,
)
_MAX_BITS = 14_000  # about 4,200 digits: Python will not print a longer int
# A value that opens a block collection: an entry ('- '), an explicit key ('? '), or an implicit key.
_BLOCK_COLLECTION = re.compile(r"[-?](?:[ \t]|$)|[^\"'\[{#][^#]*?:(?:[ \t]|$)")
_CONTENT = re.compile(r"^(?!%)(?:(?:---|\.\.\.)(?=\s|$))?[ \t]*[^\s#]", re.M)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=MAX_NODES, max_replay_stack_depth=MAX_DEPTH)
_YAML_RS_WHERE = re.compile(r"at line (\d+), column (\d+)")


class Lines:
    """Line and column of a character offset: breaks are LF, CRLF and CR, as in YAML 1.2 and JSON."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]
        if len(self.starts) > 1 and self.starts[-1] == len(text):
            self.starts.pop()  # a final line break ends the last line; it does not start another

    def at(self, index: int) -> tuple[int, int]:
        """The 1-based (line, column) of text[index]; an index past the end is the end of the last line."""
        index = max(0, min(index, len(self.text)))
        line = bisect_right(self.starts, index)
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        col = min(index, len(self.text[start:end].rstrip("\r\n")) + start) - start + 1
        return line, col

    def clamp(self, line: int, col: int) -> tuple[int, int]:
        """A parser's (line, column) kept inside the text: never a line after the last."""
        if line > len(self.starts):
            return self.at(len(self.text))
        return line, col


def decide(source: Source) -> Any:
    """The data a firm file holds, or the LoadError that refuses it."""
    text = source.text
    refusal = text_refusal(source)
    if refusal is not None:
        raise refusal
    return _decide_json(text) if source.is_json else _decide_yaml(text)


def text_refusal(source: Source) -> LoadError | None:
    """What must be refused before parsing, because the parser would not see it."""
    text = source.text
    bad = _unprintable(text)
    if bad is not None:
        what = "a NUL byte" if bad.group() == "\0" else f"control character U+{ord(bad.group()):04X}"
        return LoadError(
            f"{what} is not allowed in a YAML or JSON file", *Lines(text).at(bad.start()), "character"
        )
    if not text.strip(" \t\r\n"):
        return LoadError("the file is empty", kind="empty")
    if source.is_json:
        return None
    hinted = any(hint.search(text) for hint in _NUMBER_HINTS)
    for match in _NUMBERISH.finditer(text) if hinted else ():
        if _read_as_number(match.group(1)):
            token = match.group(1)
            return LoadError(
                f"{token} is a number in YAML 1.1 and text in YAML 1.2: quote it ('{token}') if it is text, "
                "or write the number in decimal",
                *Lines(text).at(match.start(1)),
                "number",
            )
    return None


def _unprintable(text: str) -> re.Match[str] | None:
    """The first character outside YAML's printable set; a byte-level pass rules most files out."""
    raw = text.encode("utf-8", "surrogatepass")
    beyond_ascii_suspects = b"\xc2" in raw or b"\xed" in raw or b"\xef\xbf" in raw  # C1, surrogates, U+FFFx
    if not raw.translate(None, _PRINTABLE_BYTES) and not beyond_ascii_suspects:
        return None
    return _NOT_PRINTABLE.search(text)


def _read_as_number(token: str) -> bool:
    """Whether yaml-rs reads a plain scalar otherwise than YAML 1.2's core schema does."""
    try:
        loaded: Any = yaml_rs.loads(f"[{token}]", parse_datetime=False)
        fast = loaded[0]
    except yaml_rs.YAMLDecodeError:
        return False
    core = plain_scalar(token)
    return type(fast) is not type(core) or (fast == fast and fast != core)


def _decide_yaml(text: str) -> Any:
    data = _yaml_rs(text)
    marked = ("---" in text or "..." in text) and _DOCUMENT_MARKER.search(text)
    second = _second_document(text) if marked else None
    if second is not None:
        raise LoadError(
            "a second YAML document: a file holds exactly one", *Lines(text).at(second), "documents"
        )
    tag = _TAG.search(text)
    if tag is not None or text.startswith("!"):
        _confirm_tag(text, tag.start() if tag is not None else 0)
    if _ANCHOR.search(text) and _ALIAS.search(text):  # yaml-rs reads an alias inside its node as null
        refusal = _libyaml_refusal(text)
        if refusal is not None and refusal.kind == "cycle":
            raise refusal
    if data is None and not _CONTENT.search(text):
        raise LoadError("the file is empty", kind="empty")
    return data


def _yaml_rs(text: str) -> Any:
    """yaml-rs's reading; a tab separating ':' from its value (YAML 1.2 allows it, yaml-rs does
    not) is read as the space it stands for, one at a time where yaml-rs stops at it."""
    parsed = text
    for _ in range(len(text)):
        try:
            return yaml_rs.loads(
                parsed,
                parse_datetime=False,
                alias_limits=_ALIAS_LIMITS,
                duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
            )
        except yaml_rs.YAMLDecodeError as exc:
            tab = _tab_after_colon(parsed, str(exc))
            if tab is None:
                raise _yaml_rs_error(text, str(exc)) from None
            parsed = f"{parsed[: tab[0]]}{' ' * (tab[1] - tab[0])}{parsed[tab[1] :]}"
    raise AssertionError("unreachable: each retry replaces a tab")


def _tab_after_colon(text: str, message: str) -> tuple[int, int] | None:
    """The tabs yaml-rs stopped at, just after a ':' and before a value on the same line (a tab may
    not indent a block collection: `:<TAB>- a` and `:<TAB>key: b` stay refused), as (start, end)."""
    where = _YAML_RS_WHERE.search(message)
    if where is None or not message.rstrip().endswith("must be followed by a valid YAML whitespace"):
        return None
    lines = Lines(text)
    line = int(where.group(1))
    if line > len(lines.starts):
        return None
    end = lines.starts[line - 1] + int(where.group(2)) - 1
    start = end
    while start > 0 and text[start - 1] == "\t":
        start -= 1
    rest = text[end:].split("\n", 1)[0].strip()
    if start == end or text[start - 1 : start] != ":" or _BLOCK_COLLECTION.match(rest):
        return None
    return start, end


def _yaml_rs_error(text: str, message: str) -> LoadError:
    what = message.strip().splitlines()[-1].strip()
    match = _YAML_RS_WHERE.search(message)
    line, col = Lines(text).clamp(int(match.group(1)), int(match.group(2))) if match else (1, 1)
    if what.startswith("duplicate mapping key: "):
        located = _libyaml_refusal(text)
        if located is not None and located.kind == "duplicate":
            return located
        key = what.removeprefix("duplicate mapping key: ")
        return LoadError(f"duplicate key {key}", *_second_key(text, key), "duplicate")
    if what.startswith("Invalid tag"):
        tag = _TAG.search(text)
        _confirm_tag(text, tag.start() if tag is not None else 0)
    if what.startswith("alias replay limit"):
        return LoadError(f"aliases expand to more than {MAX_NODES} nodes", line, col, "aliases")
    if what.startswith("recursion limit"):
        return LoadError(f"nesting deeper than {MAX_DEPTH} levels", line, col, "depth")
    tab = _TAB_INDENT.search(text)
    if tab is not None and Lines(text).at(tab.end())[0] <= line + 1:
        return LoadError(
            "a tab indents this line; indent with spaces", *Lines(text).at(tab.end() - 1), "syntax"
        )
    if "quoted scalar" in what:
        opened = _unclosed_quote(text, line)
        if opened is not None:
            return LoadError("the quote opened here is never closed", *opened, "syntax")
    return LoadError(f"YAML syntax: {what}", line, col, "syntax")


_TAB_INDENT = re.compile(r"^ *\t", re.M)
# An anchor or an alias starts a node: after white space, ',', or a flow opener ('R&D' is neither).
# the literal first, then what precedes it: re then scans for the literal (~50x faster on a firm file)
_ANCHOR = re.compile(r"&(?<![^\s\[{,]&)[^\s\[\]{},]")
_ALIAS = re.compile(r"\*(?<![^\s\[{,]\*)[^\s\[\]{},]")
# A quoted scalar opens at a line's start, after '- ' or '? ', or after ': '; it closes at an
# unescaped '"' or a lone "'" (two are one quote written in a single-quoted scalar).
_OPENS_QUOTE = re.compile(r"""(?:^[ \t]*(?:[-?][ \t]+)*|:[ \t]+)(["'])""")
_CLOSES = {'"': re.compile(r'(?:[^"\\]|\\.)*"'), "'": re.compile(r"(?:[^']|'')*'(?!')")}


def _unclosed_quote(text: str, before: int) -> tuple[int, int] | None:
    """The (line, column) of the nearest quote at or before line `before` that its line never closes."""
    lines = _BREAK.split(text)[:before]
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        for match in _OPENS_QUOTE.finditer(line):
            quote = match.group(1)
            if not _CLOSES[quote].match(line, match.end()):
                return number, match.start(1) + 1
    return None


def _second_key(text: str, key: str) -> tuple[int, int]:
    """Where a duplicated key is written the second time, as best the text shows it."""
    name = key.strip("'\"")
    pattern = re.compile(
        rf"(?:^[ \t-]*|[{{,][ \t]*)['\"]?({re.escape(name)})['\"]?[ \t]*:(?=[ \t\r\n]|$)", re.M
    )
    found = [m.start(1) for m in pattern.finditer(text)]
    return Lines(text).at(found[1]) if len(found) > 1 else (1, 1)


def _second_document(text: str) -> int | None:
    """The offset where a second document starts, or None when the text holds one.

    yaml-rs returns several documents as a list, which one document may also be; a document appended
    to the text tells them apart (one document more than the text holds).
    """
    try:
        docs = yaml_rs.loads(text + "\n--- ~\n", parse_datetime=False)
    except yaml_rs.YAMLDecodeError:
        return None
    # yaml-rs lets a top-level block scalar swallow the added document; then the last is that scalar
    count = (len(docs) - (docs[-1] is None)) if isinstance(docs, list) and docs else 1
    if count <= 1:
        return None
    seen_content = False
    for line in re.finditer(r"^.*$", text, re.M):
        body = line.group().strip()
        is_marker = _DOCUMENT_MARKER.match(line.group()) is not None
        if is_marker and seen_content:
            rest = body[3:].strip()
            return line.start() if body.startswith("---") or rest else _next_content(text, line.end())
        if body and not body.startswith(("#", "%")) and not (is_marker and not body[3:].strip()):
            seen_content = True
    return 0


def _next_content(text: str, start: int) -> int:
    match = re.compile(r"^[ \t]*[^\s#]", re.M).search(text, start)
    return match.start() if match else start


def _confirm_tag(text: str, index: int) -> None:
    """A '!' that may start a tag: libyaml, which reports tags, says whether it does and where."""
    refusal = _libyaml_refusal(text)
    if refusal is None:
        return
    if refusal.kind in ("tag", "aliases", "depth"):
        raise refusal
    raise LoadError("YAML tags are not allowed; write plain data", *Lines(text).at(index), "tag")


def _libyaml_refusal(text: str) -> LoadError | None:
    """What libyaml (the locator) refuses in the text, if anything."""
    from .loader import parse_located

    try:
        parse_located(Source("f.yaml", locator_text(text), ""))
    except LoadError as exc:
        return exc
    return None


def locator_text(text: str) -> str:
    """The text for libyaml to locate in: it counts U+0085, U+2028 and U+2029 as line breaks, which
    YAML 1.2 does not, so each is replaced by one ordinary character (positions stay)."""
    return text.translate(_NOT_BREAKS)


_NOT_BREAKS = {0x85: "_", 0x2028: "_", 0x2029: "_"}


def _decide_json(text: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _json_syntax(text, exc) from None
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", kind="depth") from None
    except ValueError as exc:  # a duplicate key, NaN or Infinity, a number too long: the scanner locates it
        from .locate import json_marks

        try:
            json.loads(text)  # a syntax error later in the text comes first
        except json.JSONDecodeError as syntax:
            raise _json_syntax(text, syntax) from None
        except ValueError:
            pass
        json_marks(text)
        raise LoadError(f"JSON: {exc}", kind="syntax") from None
    if _SURROGATE_ESCAPE.search(text):
        for path, value in _strings(data, ()):
            if _lone_surrogate(value):
                from .locate import json_marks

                located = Located(data)
                located.marks = json_marks(text)
                line, col = located.where(path)
                raise LoadError(
                    "a lone surrogate escape (\\ud800-\\udfff) is not a character", line, col, "character"
                )
    return data


_JSON_OPENERS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _json_syntax(text: str, exc: json.JSONDecodeError) -> LoadError:
    """Why the JSON does not parse, in plain words, where the mistake is: a file cut short, a
    comment, a trailing comma; anything else as the parser says it."""
    at, rest = exc.pos, text[exc.pos :]
    if exc.msg.startswith("Unterminated string"):
        message = "the file ends inside a string (opened here): is it cut short?"
    elif not rest.strip():
        message = f"the file ends inside {_innermost(text)}: is it cut short?"
    elif rest.startswith(("//", "/*")):
        message = "JSON has no comments: delete this one"
    elif rest[0] in "]}" and text[:at].rstrip().endswith(","):
        at = len(text[:at].rstrip()) - 1
        message = f"a trailing comma before '{rest[0]}': JSON allows none; delete it"
    else:
        message = f"JSON syntax: {exc.msg}"
    return LoadError(message, *Lines(text).at(at), "syntax")


def _innermost(text: str) -> str:
    """What the last unclosed bracket of the text opened: an object or a list."""
    stack: list[str] = []
    for match in _JSON_OPENERS.finditer(text):
        token = match.group()
        if token in "[{":
            stack.append(token)
        elif token in "]}" and stack:
            stack.pop()
    return {"[": "a list", "{": "an object"}.get(stack[-1] if stack else "", "the data")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield (*path, key), key
            yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*path, i))


def data_refusal(data: Any) -> tuple[Path_, str] | None:
    """A key that is not text, or nesting past MAX_DEPTH: where, and what to say."""
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path, f"nesting deeper than {MAX_DEPTH} levels"
        if isinstance(value, int) and value.bit_length() > _MAX_BITS:
            return path, "a number of more than 4300 digits is too long"
        if isinstance(value, dict):
            for key, child in value.items():
                if not isinstance(key, str):
                    return path, f"a mapping key must be text, not {_kind(key)}: quote it"
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(value))
    return None


def _kind(key: Any) -> str:
    if isinstance(key, (tuple, frozenset)):
        return "a list or mapping"
    if key is None or isinstance(key, bool):
        return repr(key).lower().replace("none", "null")
    return f"the number {key!r}"
