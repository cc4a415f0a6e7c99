"""Reading a sheet: rows keyed by header, typed values per field, model errors per row."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from .columns import Column, ForeignKeyColumn, is_empty
from .errors import CellError, ImportRejected, RowError, SpreadsheetError
from .upload import limit

_HEADER_MARKS = re.compile(r"[\s*＊]+")


def validation_errors(
    error: ValidationError, row: int, columns: Sequence[Column], *, skip: Iterable[str] = ()
) -> list[RowError]:
    """A model's `full_clean` errors as `RowError`s under the headers of the fields' columns.

    `skip` names fields whose cells already failed to parse: their follow-on errors are noise.
    """
    headers = {c.field: c.header for c in columns}
    skip = set(skip)
    found: list[RowError] = []
    for field_name, messages in error.message_dict.items():
        if field_name in skip:
            continue
        header = "" if field_name == NON_FIELD_ERRORS else headers.get(field_name, field_name)
        found.extend(RowError(row, header, message) for message in messages)
    return found


def normalize_header(value: Any) -> str:
    """Headers match without spaces, line breaks or required-field stars (*)."""
    return "" if value is None else _HEADER_MARKS.sub("", str(value))


def _bounded(sheet: Worksheet | ReadOnlyWorksheet, rows: Iterable[tuple]) -> Iterable[tuple]:
    """The sheet's rows, stopped with a clear error past the row, column or time bounds (see
    `upload.LIMITS`): a workbook that passed the archive checks can still hold a million rows."""
    max_rows, max_columns = limit("MAX_ROWS"), limit("MAX_COLUMNS")
    deadline = getattr(getattr(sheet, "parent", None), "read_deadline", None)
    for number, values in enumerate(rows, start=1):
        if number > max_rows:
            raise SpreadsheetError(
                _("工作表“%(title)s”的行数超过 %(limit)d 行，请拆分后分批导入。")
                % {"title": sheet.title, "limit": max_rows}
            )
        if len(values) > max_columns and any(not is_empty(v) for v in values[max_columns:]):
            raise SpreadsheetError(
                _("工作表“%(title)s”的列数超过 %(limit)d 列，不像是导入模板。")
                % {"title": sheet.title, "limit": max_columns}
            )
        if deadline is not None and number % 256 == 1 and time.monotonic() > deadline:
            raise SpreadsheetError(_("读取文件超时：文件过大或过于复杂，请拆分后分批导入。"))
        yield values


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    cells: dict[str, Any]  # header -> raw cell value


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]  # field -> typed value
    failed: set[str] = field(default_factory=set)  # fields whose cells could not be read


def read_rows(sheet: Worksheet | ReadOnlyWorksheet, columns: Sequence[Column]) -> list[SheetRow]:
    """The data rows under the header row (the first non-empty row), keyed by header.

    Columns may come in any order and extra columns are ignored; a missing or repeated header
    raises `ImportRejected`, an empty sheet `SpreadsheetError`.
    """
    # Some writers store a wrong sheet size, which would cut rows short in read-only mode.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = _bounded(sheet, sheet.iter_rows(values_only=True))
    header_number = 0
    header: tuple = ()
    for number, values in enumerate(rows, start=1):
        if any(not is_empty(v) for v in values):
            header_number, header = number, values
            break
    if not header_number:
        raise SpreadsheetError(_("工作表“%(title)s”是空的。") % {"title": sheet.title})

    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(header):
        name = normalize_header(value)
        if not name:
            continue
        if name in positions:
            errors.append(RowError(header_number, name, _("列名重复。")))
        positions.setdefault(name, index)
    wanted = [c for c in columns if not c.read_only]
    for column in wanted:
        if normalize_header(column.header) not in positions:
            errors.append(RowError(header_number, column.header, _("缺少这一列，请使用导入模板的表头。")))
    if errors:
        raise ImportRejected(errors)

    indexes = {c.header: positions[normalize_header(c.header)] for c in wanted}
    found: list[SheetRow] = []
    for number, values in enumerate(rows, start=header_number + 1):
        cells = {h: values[i] if i < len(values) else None for h, i in indexes.items()}
        if all(is_empty(v) for v in cells.values()):
            continue
        found.append(SheetRow(number, cells))
    if not found:
        raise SpreadsheetError(_("工作表“%(title)s”中没有数据行。") % {"title": sheet.title})
    return found


def parse_rows(
    rows: Sequence[SheetRow], columns: Sequence[Column], *, defer: Iterable[str] = ()
) -> tuple[list[ParsedRow], list[RowError]]:
    """Typed values for every row, and an error for every cell that cannot be read.

    Foreign keys are resolved to objects, except for the fields in `defer`, which keep their
    key text for the caller to resolve (e.g. a reference to a row elsewhere in the same file).
    """
    defer = set(defer)
    wanted = [c for c in columns if not c.read_only]
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for row in rows:
        result = ParsedRow(row.number, {})
        for column in wanted:
            try:
                result.values[column.field] = column.read(row.cells[column.header])
            except CellError as error:
                errors.append(RowError(row.number, column.header, str(error)))
                result.failed.add(column.field)
        parsed.append(result)

    for column in wanted:
        if not isinstance(column, ForeignKeyColumn) or column.field in defer:
            continue
        keys = {r.values[column.field] for r in parsed if r.values.get(column.field) is not None}
        objects = column.lookup(keys)
        for result in parsed:
            key = result.values.get(column.field)
            if key is None:
                continue
            if key in objects:
                result.values[column.field] = objects[key]
            else:
                errors.append(RowError(result.number, column.header, column.not_found(key)))
                result.values[column.field] = None
                result.failed.add(column.field)
    return parsed, errors
