"""What an import could not carry over, pointing at the sheet and row the author sees in the spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportProblem:
    """One listed problem. ``fatal`` problems stop the import: nothing is written.

    ``row`` is the spreadsheet's own row number (the header is row 1), so the author finds it at once.
    """

    sheet: str
    row: int | None
    message: str
    fatal: bool = False

    def line(self, source: str) -> str:
        """``FILE: survey row 12: message`` (or ``FILE: survey: message`` for a whole sheet)."""
        where = self.sheet if self.row is None else f"{self.sheet} row {self.row}"
        return f"{source}: {where}: {self.message}"
