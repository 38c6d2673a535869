"""What a policy knows of the values in a firm file: region ids, credential names with their levels, tiers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .firm_schema import FirmSchema, firm_schema_for
from .language import lint

if TYPE_CHECKING:
    from .language.model import Policy


class Vocabulary(NamedTuple):
    """The values a firm file may use, each in the order the policy lists it; no regions: any region."""

    regions: tuple[str, ...]
    credentials: Mapping[str, tuple[str, ...]]  # credential name -> its levels
    tiers: tuple[str, ...]
    schema: FirmSchema  # with the fields the policy declares
    links: Mapping[str, str] = {}  # a field holding an id -> the list it points into
    ladders: Mapping[str, tuple[str, ...]] = {}  # several designations: their tiers


class Declared(NamedTuple):
    """What one policy version declares of the values in a firm file."""

    regions: tuple[str, ...]
    credentials: tuple[tuple[str, str], ...]  # (name, level), in the order the policy accepts them
    ladders: tuple[tuple[str, tuple[str, ...]], ...]  # each designation's id and tier ids, in order
    links: Mapping[str, str]
    data: Mapping[str, Any]  # the fields and record kinds it declares


def declared(policy: Policy) -> Declared:
    """What a compiled version declares."""
    return Declared(
        tuple(policy.regions),
        tuple((c.name, c.level) for c in policy.accepted),
        tuple((d.id, tuple(t.id for t in d.tiers)) for d in policy.designations),
        policy.links,
        policy.data,
    )


def declared_in(doc: Mapping[str, Any]) -> Declared:
    """What a checked policy document declares, read without compiling it (the rule language costs more
    to import than `validate` takes to check a file); the same as `declared` of it compiled."""
    return Declared(
        tuple(doc.get("regions", {})),
        tuple((c["name"], c["level"]) for c in doc.get("credentials", {}).get("accepted", ())),
        tuple((d["id"], tuple(t["id"] for t in d["tiers"])) for _, d in lint.ladders(doc)),
        dict(doc.get("links", {})),
        doc.get("data", {}),
    )


def vocabulary(versions: Iterable[Policy]) -> Vocabulary:
    """Everything any of the compiled versions knows."""
    return vocabulary_of(declared(p) for p in versions)


def vocabulary_of(versions: Iterable[Declared]) -> Vocabulary:
    """Everything any of the versions declares: a value one version lists is a known value."""
    versions = list(versions)
    regions: dict[str, None] = {}
    credentials: dict[str, dict[str, None]] = {}
    tiers: dict[str, None] = {}
    ladders: dict[str, dict[str, None]] = {}
    for policy in versions:
        regions.update(dict.fromkeys(policy.regions))
        for name, level in policy.credentials:
            credentials.setdefault(name, {})[level] = None
        tiers.update(dict.fromkeys(policy.ladders[0][1]))
        for d, ids in policy.ladders:
            ladders.setdefault(d, {}).update(dict.fromkeys(ids))
    if len(ladders) < 2:
        ladders = {}
    return Vocabulary(
        tuple(regions),
        {n: tuple(levels) for n, levels in credentials.items()},
        tuple(tiers),
        firm_schema_for((p.data for p in versions), tuple(ladders)),
        {name: target for p in versions for name, target in p.links.items()},
        {d: tuple(ids) for d, ids in ladders.items()},
    )
