"""`tiercheck schema`: the firm-file JSON Schema under a policy, with the data it declares, for editors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from ..firm_fields import table
from ..policies import CheckedPolicy
from ..vocabulary import declared_in, vocabulary_of


def print_schema(policies: Sequence[CheckedPolicy], fmt: str, out: TextIO) -> int:
    """Print the composed schema (the bundled one with every field and record kind any version declares),
    as JSON for editors or, with markdown, as the table of fields docs/firm-file.md shows."""
    composed = vocabulary_of(declared_in(p.doc) for p in policies).schema.doc
    if fmt == "markdown":
        out.write(table(composed))
        return 0
    json.dump(composed, out, indent=2)
    out.write("\n")
    return 0
