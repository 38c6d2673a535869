"""One firm, one file: in a run, a second file with a firm id already taken is invalid, at its firm id."""

from __future__ import annotations

from .loader import LoadError, read_source
from .locate import read_located
from .problem import Problem, shown
from .validate import Checked


class FirmIds:
    """Which file first gave each firm id in this run (about 100 bytes an id)."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}

    def claim(self, firm_id: str, file: str) -> Problem | None:
        """None when the id is free (it is now `file`'s); else what is wrong with `file`, at its firm id."""
        first = self.owners.get(firm_id)
        if first is None:
            self.owners[firm_id] = file
            return None
        try:
            line, col = read_located(read_source(file)).where(("firm", "id"))
        except (LoadError, OSError):  # changed since it was read: the file, at its start
            line, col = 1, 1
        message = f"firm id {firm_id!r} is already the id of {shown(first)}; each firm needs its own"
        return Problem(file, line, col, message, "$.firm.id", "duplicate-firm-id")

    def unique(self, checked: Checked) -> Checked:
        """`checked` as it is, unless it is valid and its firm id is taken: then invalid at its id."""
        if not checked.valid:
            return checked
        clash = self.claim(checked.data["firm"]["id"], checked.file)
        return checked if clash is None else checked._replace(problems=[clash], data=None)
