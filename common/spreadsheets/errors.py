"""What can go wrong with a spreadsheet: the whole file, one row, or one cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


class SpreadsheetError(Exception):
    """The file as a whole cannot be used (wrong type, too large, unreadable, no data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, order=True)
class RowError:
    """One reason a row cannot be imported. `column` is the header ("" for the whole row);
    `sheet` names the worksheet in workbooks that hold several ("" when there is one)."""

    row: int
    column: str
    message: str
    sheet: str = ""


class ImportRejected(Exception):
    """At least one row is bad: the whole file is rejected and nothing is written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        # Sheets in the order their first error was found (the file's order), rows ascending.
        sheets: dict[str, int] = {}
        for error in errors:
            sheets.setdefault(error.sheet, len(sheets))
        self.errors = sorted(errors, key=lambda e: (sheets[e.sheet], e.row))
        super().__init__(_("导入未执行：文件中有 %(count)d 处错误。") % {"count": len(self.errors)})


class CellError(ValueError):
    """Raised by `Column.parse` with the message shown to the user."""
