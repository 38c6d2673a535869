"""`tiercheck schema`: the firm-file JSON Schema under a policy, with the data it declares, for editors."""

from __future__ import annotations

import json
from typing import TextIO

from ..policies import PolicySet
from ..vocabulary import vocabulary


def print_schema(policies: PolicySet, out: TextIO) -> int:
    """Print the composed schema: the bundled one with every field and record kind any version declares."""
    json.dump(vocabulary(policies.versions).schema.doc, out, indent=2)
    out.write("\n")
    return 0
