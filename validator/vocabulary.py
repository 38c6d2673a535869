"""What a policy knows of the values in a firm file: region ids, credential names with their levels, tiers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .firm_schema import FirmSchema, bundled_firm_schema, firm_schema_for

if TYPE_CHECKING:
    from .language.model import Policy


@dataclass(frozen=True)
class Vocabulary:
    """The values a firm file may use, each in the order the policy lists it; no regions: any region."""

    regions: tuple[str, ...]
    credentials: Mapping[str, tuple[str, ...]]  # credential name -> its levels
    tiers: tuple[str, ...]
    schema: FirmSchema = field(default_factory=bundled_firm_schema)  # with the fields the policy declares
    links: Mapping[str, str] = field(default_factory=dict)  # a field holding an id -> the list it points into
    ladders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # several designations: their tiers


def vocabulary(versions: Iterable[Policy]) -> Vocabulary:
    """Everything any of the versions knows: a value one version lists is a known value."""
    versions = list(versions)
    regions: dict[str, None] = {}
    credentials: dict[str, dict[str, None]] = {}
    tiers: dict[str, None] = {}
    ladders: dict[str, dict[str, None]] = {}
    for policy in versions:
        regions.update(dict.fromkeys(policy.regions))
        for accepted in policy.accepted:
            credentials.setdefault(accepted.name, {})[accepted.level] = None
        tiers.update(dict.fromkeys(tier.id for tier in policy.tiers))
        for d in policy.designations:
            ladders.setdefault(d.id, {}).update(dict.fromkeys(t.id for t in d.tiers))
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
