"""Writing workbooks: sheets from columns (bold frozen header, widths, dropdowns) and downloads."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .columns import NO, YES, Column, TextColumn
from .upload import XLSX_CONTENT_TYPE


@dataclass
class Sheet:
    """One worksheet to write: a header row from `columns`, then one row per item of `rows`
    (model instances or dicts), then optional `notes` lines under the table."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any] = ()
    notes: Sequence[str] = ()
    dropdowns: bool = True  # offer the allowed values of choice columns as an in-cell list


def _display_width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    # CJK characters take two character widths in Excel's default fonts.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# OWASP's CSV-injection rule: a cell that begins with one of these is read as a formula by a
# spreadsheet program (tab and carriage return precede one in some of them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _as_text(worksheet: Worksheet, row: int, values: Sequence[Any]) -> None:
    """Every string the portal writes is stored as text, never as a formula: openpyxl would store
    "=HYPERLINK(…)" typed by a director as a live formula in the bureau's export (and "#N/A" as
    an error). A text cell keeps the exact string, so an export re-imports unchanged. A string that
    begins like a formula (`FORMULA_PREFIXES`) is also marked with Excel's quote prefix, so that
    editing the cell in Excel keeps it text instead of turning it into a live formula.

    The cells are reached by their coordinates: `worksheet[worksheet.max_row]` would scan every
    cell written so far for each row, which makes a 12,000-row export take minutes."""
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = worksheet.cell(row=row, column=column)
            cell.data_type = "s"
            if value.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True


def _write_sheet(worksheet: Worksheet, sheet: Sheet) -> None:
    worksheet.title = sheet.title
    columns = list(sheet.columns)
    worksheet.append([c.header for c in columns])
    _as_text(worksheet, 1, [c.header for c in columns])
    widths = [_display_width(c.header) for c in columns]
    count = 0
    for item in sheet.rows:
        values = [c.format(c.value_of(item)) for c in columns]
        worksheet.append(values)
        count += 1
        _as_text(worksheet, count + 1, values)  # the header is row 1
        for index, value in enumerate(values):
            if value is not None and count <= 1000:  # sampling the first rows is enough for widths
                widths[index] = max(widths[index], _display_width(value))

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF6")
    for cell in worksheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    last_row = max(count + 1, 2)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = column.width or min(max(widths[index - 1] + 2, 8), 60)
        if column.number_format != "General":
            for (cell,) in worksheet.iter_rows(min_row=2, max_row=count + 1, min_col=index, max_col=index):
                cell.number_format = column.number_format
        allowed = column.allowed_values()
        formula = '"' + ",".join(allowed) + '"'
        # An in-cell list must fit Excel's 255-character limit; it guides, it does not forbid
        # (showErrorMessage off), because codes are accepted as well as labels.
        if sheet.dropdowns and allowed and len(formula) <= 255 and not column.read_only:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{max(last_row, 1000)}")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    if columns:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    if sheet.notes:
        worksheet.append([])
        for number, note in enumerate(sheet.notes, start=count + 3):  # after the rows and a blank one
            worksheet.append([note])
            _as_text(worksheet, number, [note])


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    workbook = openpyxl.Workbook()
    for index, sheet in enumerate(sheets):
        worksheet = workbook.active if index == 0 else workbook.create_sheet()
        _write_sheet(worksheet, sheet)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def instructions_sheet(columns: Sequence[Column], *, title: str = "说明", notes: Sequence[str] = ()) -> Sheet:
    """A sheet that lists each column: required or not, what to fill in, the allowed values."""
    rows = [
        {
            "header": c.header,
            "required": _("仅导出，导入时忽略") if c.read_only else (YES if c.required else NO),
            "describe": c.describe(),
            "allowed": "、".join(c.allowed_values()),
        }
        for c in columns
    ]
    spec = [
        TextColumn(header=_("列名"), field="header"),
        TextColumn(header=_("必填"), field="required"),
        TextColumn(header=_("填写说明"), field="describe", width=60),
        TextColumn(header=_("可选值"), field="allowed", width=80),
    ]
    return Sheet(title=title, columns=spec, rows=rows, notes=notes, dropdowns=False)


def content_disposition(filename: str, fallback: str = "download.xlsx") -> str:
    """`attachment` with an ASCII name for old clients and the real (Chinese) name per RFC 5987."""
    ascii_name = fallback.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(filename: str, sheets: Sequence[Sheet], *, fallback: str = "download.xlsx") -> HttpResponse:
    response = HttpResponse(workbook_bytes(build_workbook(sheets)), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["Cache-Control"] = "no-store"  # exports hold scoped data; never cache them
    return response
