"""Writing workbooks: sheets from columns (bold frozen header, widths, dropdowns) and downloads.

Workbooks are write-only (streamed): `build_workbook` returns one that `workbook_bytes` saves once."""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import openpyxl
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

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


# openpyxl types a string starting with "=" as a formula and "#N/A" and its kind as errors.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(worksheet: WriteOnlyWorksheet, value: Any, number_format: str = "General") -> Any:
    """The value to append: the value itself when openpyxl writes it as it is, else a cell.

    Every string the portal writes is stored as text, never as a formula: openpyxl would store
    "=HYPERLINK(…)" typed by a director as a live formula in the bureau's export (and "#N/A" as
    an error). A string starting with = + - @, a tab or a carriage return (OWASP's
    formula-injection prefixes), or one openpyxl would read as an error code, becomes a cell typed
    as text ("s"), which keeps the exact string, so an export re-imports unchanged.

    Write-only worksheets stream: a cell is styled when it is appended, never afterwards."""
    if value is None:
        return None
    text = isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES)
    if not text and number_format == "General":
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    if text:
        cell.data_type = "s"
        # Excel's quote prefix keeps it text when someone edits the cell in Excel.
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
    if number_format != "General":
        cell.number_format = number_format
    return cell


def _write_sheet(worksheet: WriteOnlyWorksheet, sheet: Sheet) -> None:
    """Streams `sheet` into a write-only worksheet (openpyxl writes each row as it is appended,
    so 12,000 rows take seconds and little memory). Widths, the frozen header, the filter and the
    dropdowns must be set before the first row or are written when the sheet closes; the widths
    are sampled from the first 1,000 rows, held back until the widths are known."""
    columns = list(sheet.columns)
    widths = [_display_width(c.header) for c in columns]
    rows = iter(sheet.rows)
    head: list[list[Any]] = []
    for item in rows:
        values = [c.format(c.value_of(item)) for c in columns]
        head.append(values)
        for index, value in enumerate(values):
            if value is not None:
                widths[index] = max(widths[index], _display_width(value))
        if len(head) >= 1000:  # sampling the first rows is enough for widths
            break

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = column.width or min(max(widths[index - 1] + 2, 8), 60)
    worksheet.freeze_panes = "A2"

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF6")
    middle = Alignment(vertical="center")
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = bold, fill, middle
        header.append(cell)
    worksheet.append(header)

    formats = [c.number_format for c in columns]

    def write(values: list[Any]) -> None:
        worksheet.append([_cell(worksheet, v, f) for v, f in zip(values, formats, strict=True)])

    count = 0
    for values in head:
        write(values)
        count += 1
    for item in rows:
        write([c.format(c.value_of(item)) for c in columns])
        count += 1

    last_row = max(count + 1, 2)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        allowed = column.allowed_values()
        formula = '"' + ",".join(allowed) + '"'
        # An in-cell list must fit Excel's 255-character limit; it guides, it does not forbid
        # (showErrorMessage off), because codes are accepted as well as labels.
        if sheet.dropdowns and allowed and len(formula) <= 255 and not column.read_only:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{max(last_row, 1000)}")
            worksheet.data_validations.append(validation)
    if columns:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    if sheet.notes:
        worksheet.append([])
        for note in sheet.notes:
            worksheet.append([_cell(worksheet, note)])


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    """A write-only workbook (it streams; it can be saved once and not read back)."""
    workbook = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(title=sheet.title), sheet)
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


def xlsx_stream_response(filename: str, sheets: Sequence[Sheet], *, fallback: str = "download.xlsx") -> FileResponse:
    """As `xlsx_response`, for the large exports: the write-only workbook is saved to a temporary
    file (its rows drawn from the sheets' iterators as it goes) and sent from there in chunks, so
    the file is never held in memory whole. The temporary file goes when the response closes."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        build_workbook(sheets).save(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["Cache-Control"] = "no-store"  # exports hold scoped data; never cache them
    return response
