"""Which firms' eligible tier, and awarded tier (standing), a change of policy moves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .evaluate import eligible_tier
from .language.model import Policy
from .policies import PolicySet
from .problem import Problem
from .standing import compute_standing


@dataclass(frozen=True)
class Move:
    """A firm whose eligible tier (or standing) differs under the new policy."""

    file: str
    firm: str
    old: str | None
    new: str | None
    direction: str  # "up" | "down"


@dataclass
class Impact:
    """Which firms a policy change moves, as of one date."""

    as_of: date
    firms: int = 0
    moves: list[Move] = field(default_factory=list)
    standing_moves: list[Move] = field(default_factory=list)  # a calendar change moves these alone
    invalid: list[tuple[str, list[Problem]]] = field(default_factory=list)  # (file, its problems)

    @property
    def counts(self) -> Counter[tuple[str | None, str | None]]:
        return Counter((m.old, m.new) for m in self.moves)


def firm_move(old: Policy, new: Policy, file: str, data: dict[str, Any], as_of: date) -> Move | None:
    """The firm's move between the two policies on the same date and data, or None if it stays."""
    a, b = eligible_tier(old, data, as_of), eligible_tier(new, data, as_of)
    if a == b:
        return None
    return Move(file, data["firm"]["id"], a, b, direction(new, a, b))


def standing_move(old: Policy, new: Policy, file: str, data: dict[str, Any], as_of: date) -> Move | None:
    """The firm's move in standing: walked from the day it joined under each policy, as if that policy
    had always been in effect (so a change of review calendar shows), or None if it stays."""
    a, b = (_standing(p, data, as_of) for p in (old, new))
    if a == b:
        return None
    return Move(file, data["firm"]["id"], a, b, direction(new, a, b))


def _standing(policy: Policy, data: dict[str, Any], as_of: date) -> str | None:
    s = compute_standing(PolicySet([replace(policy, effective_from=date.min)]), data, as_of)
    return s.tier if s else None


def direction(new: Policy, a: str | None, b: str | None) -> str:
    """Up or down, judged on the new ladder (a tier the new policy dropped ranks below all)."""
    return "up" if new.rank(b) > new.rank(a) else "down"
