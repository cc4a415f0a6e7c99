"""Excel (.xlsx) in and out, for any model: the generic half of every import and export.

An app describes its workbook as a list of `Column`s (Chinese header, model field, how to read
and write a cell) and gets from here:

- `opened_workbook(file)`: checks an upload (extension, size, really an xlsx) and opens it
  read-only, with a clear Chinese `SpreadsheetError` for whatever is wrong with the file;
- `read_rows(sheet, columns)`: rows keyed by header, in any column order, fully empty rows
  skipped, missing or repeated headers reported;
- `parse_rows(rows, columns)`: typed values per field, or a `RowError(row, column, message)`
  for every cell that cannot be read — the app validates its models the same way and raises
  `ImportRejected(errors)` so that nothing is written unless every row is good;
- `xlsx_response(filename, sheets)`: a workbook (bold frozen header, sensible widths) as a
  download with a Chinese file name.

The same columns serve import, export and the empty template, so an exported file re-imports
unchanged. Row numbers in errors are the row numbers Excel shows (the header is usually row 1).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import openpyxl
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An xlsx is a zip archive; unpacked it is typically 5-10x its size. A much larger ratio means a
# zip bomb, which read-only openpyxl would still have to inflate.
MAX_UNPACKED_RATIO = 40
YES, NO = "是", "否"
_TRUE_WORDS = {YES, "y", "yes", "true", "1", "√", "✓", "✔"}
_FALSE_WORDS = {NO, "n", "no", "false", "0", "×", "✗", "✘"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_HEADER_MARKS = re.compile(r"[\s*＊]+")


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


# --- checking and opening an upload -------------------------------------------------------


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def check_upload(file) -> None:
    """Raises `SpreadsheetError` unless `file` looks like an .xlsx within the size limit."""
    name = str(getattr(file, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise SpreadsheetError(
            _("只能导入 .xlsx 格式的 Excel 文件（“%(name)s”不是）。旧版 .xls 或 .csv 文件请在 Excel 中另存为 .xlsx。")
            % {"name": name.rsplit("/", 1)[-1] or _("未命名文件")}
        )
    size = _size_of(file)
    if size == 0:
        raise SpreadsheetError(_("文件是空的。"))
    if size > settings.MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("文件过大（%(size)s），上限为 %(limit)s。请拆分后分批导入。")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        )
    file.seek(0)
    if not zipfile.is_zipfile(file):
        raise SpreadsheetError(
            _("文件内容不是有效的 .xlsx 表格（可能是改了扩展名的其他文件）。请在 Excel 中另存为 .xlsx 后再导入。")
        )
    file.seek(0)


@contextmanager
def opened_workbook(file) -> Iterator[Workbook]:
    """The checked upload, opened read-only (fast, low memory); closed when the block ends."""
    check_upload(file)
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > settings.MAX_UPLOAD_BYTES * MAX_UNPACKED_RATIO:
            raise SpreadsheetError(_("文件解压后过大，不像是正常的 Excel 表格。"))
        file.seek(0)
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
        raise SpreadsheetError(_("无法读取该文件：它不是有效的 .xlsx 表格，或文件已损坏。")) from error
    try:
        yield workbook
    finally:
        workbook.close()


def get_sheet(workbook: Workbook, title: str | None = None):
    """The sheet called `title`, or the first sheet when no title is asked for."""
    if title is None:
        return workbook.worksheets[0]
    if title not in workbook.sheetnames:
        raise SpreadsheetError(_("文件中缺少工作表“%(title)s”。") % {"title": title})
    return workbook[title]


# --- columns ------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    # Excel stores typed-in codes and phone numbers as numbers: 110105001 comes back as an int
    # (or a float such as 110105001.0), and should read as the text the user typed.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True, kw_only=True)
class Column:
    """One column: its header, the model field it fills, and how a cell is read and written.

    `required` columns reject an empty cell; an empty optional cell becomes `default`.
    `read_only` columns are written on export (for information) and ignored on import.
    """

    header: str
    field: str
    required: bool = False
    default: Any = None
    help: str = ""
    width: int | None = None
    read_only: bool = False
    number_format: str = "General"

    def parse(self, value: Any) -> Any:
        """The typed value of a non-empty cell; raises `CellError` with a message for the user."""
        return _as_text(value)

    def format(self, value: Any) -> Any:
        """The cell value to write for a field value."""
        return None if value in (None, "") else value

    def allowed_values(self) -> list[str]:
        """The finite list of values the column accepts, if there is one (for dropdowns and 说明)."""
        return []

    def describe(self) -> str:
        """What to fill in, for the instructions sheet and the import page."""
        return self.help

    def value_of(self, row: Any) -> Any:
        if isinstance(row, Mapping):
            return row.get(self.field)
        return getattr(row, self.field)

    def read(self, value: Any) -> Any:
        """`parse` with the empty-cell rule applied."""
        if is_empty(value):
            if self.required:
                raise CellError(_("不能为空。"))
            return self.default
        return self.parse(value)


@dataclass(frozen=True, kw_only=True)
class TextColumn(Column):
    number_format: str = "@"  # keeps codes and phone numbers as typed (no 1.1E+08, no lost zeros)
    default: Any = ""

    def describe(self) -> str:
        return self.help or _("文本")


@dataclass(frozen=True, kw_only=True)
class IntegerColumn(Column):
    def parse(self, value: Any) -> int:
        if isinstance(value, bool):
            raise CellError(_("应为整数。"))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _as_text(value).replace(",", "").replace("，", "")
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        raise CellError(_("“%(value)s”不是整数。") % {"value": _as_text(value)})

    def describe(self) -> str:
        return self.help or _("整数")


@dataclass(frozen=True, kw_only=True)
class DecimalColumn(Column):
    def parse(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellError(_("应为数字。"))
        # str() of a float is its shortest exact form, so 39.9 reads back as Decimal("39.9").
        try:
            return Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("“%(value)s”不是数字。") % {"value": _as_text(value)}) from None

    def format(self, value: Any) -> Any:
        return None if value is None else value

    def describe(self) -> str:
        return self.help or _("数字")


@dataclass(frozen=True, kw_only=True)
class DateColumn(Column):
    number_format: str = "yyyy-mm-dd"

    def parse(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
            # A date typed into a cell formatted as a number: Excel's day serial.
            return from_excel(value).date()
        text = _as_text(value)
        for fmt in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(_("“%(value)s”不是有效日期，请按 2024-09-01 的格式填写。") % {"value": text})

    def describe(self) -> str:
        return self.help or _("日期，如 2024-09-01")


@dataclass(frozen=True, kw_only=True)
class BooleanColumn(Column):
    default: Any = False

    def parse(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _as_text(value).lower()
        if text in _TRUE_WORDS:
            return True
        if text in _FALSE_WORDS:
            return False
        raise CellError(_("应填写“是”或“否”，而不是“%(value)s”。") % {"value": _as_text(value)})

    def format(self, value: Any) -> str | None:
        if value is None:
            return None
        return YES if value else NO

    def allowed_values(self) -> list[str]:
        return [YES, NO]

    def describe(self) -> str:
        return self.help or _("是/否，留空视为“否”")


@dataclass(frozen=True, kw_only=True)
class ChoiceColumn(Column):
    """A choice field: written as its Chinese label, read from the label or the stored code."""

    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    default: Any = ""

    def parse(self, value: Any) -> str:
        text = _as_text(value)
        for code, label in self.choices:
            if text == label or text.lower() == str(code).lower():
                return code
        raise CellError(
            _("“%(value)s”不是可选值；可填：%(allowed)s。")
            % {"value": text, "allowed": "、".join(self.allowed_values())}
        )

    def format(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        return dict(self.choices).get(value, value)

    def allowed_values(self) -> list[str]:
        return [label for _code, label in self.choices]

    def describe(self) -> str:
        return self.help or _("从可选值中选择")


@dataclass(frozen=True, kw_only=True)
class ForeignKeyColumn(Column):
    """A foreign key, read from any of `to_fields` (e.g. name or code) and written as the first.

    `parse` only normalises the key; `parse_rows` then resolves all keys of the column with
    one query (`lookup`), so a thousand rows cost one query, not a thousand.
    """

    model: type[models.Model]
    to_fields: tuple[str, ...] = ("name",)
    list_values: bool = False  # list every candidate in the instructions (short lists only)

    def format(self, value: Any) -> Any:
        if value is None:
            return None
        return getattr(value, self.to_fields[0])

    def lookup(self, keys: Iterable[str]) -> dict[str, models.Model]:
        keys = set(keys)
        if not keys:
            return {}
        query = models.Q()
        for to_field in self.to_fields:
            query |= models.Q(**{f"{to_field}__in": keys})
        candidates = list(self.model._default_manager.filter(query))
        found: dict[str, models.Model] = {}
        # Earlier to_fields win when one object's code equals another's name.
        for to_field in reversed(self.to_fields):
            for obj in candidates:
                key = str(getattr(obj, to_field))
                if key in keys:
                    found[key] = obj
        return found

    def not_found(self, key: str) -> str:
        return _("找不到%(model)s“%(key)s”。") % {"model": self.model._meta.verbose_name, "key": key}

    def allowed_values(self) -> list[str]:
        if not self.list_values:
            return []
        return [str(v) for v in self.model._default_manager.values_list(self.to_fields[0], flat=True)]

    def describe(self) -> str:
        if self.help:
            return self.help
        labels = [str(self.model._meta.get_field(f).verbose_name) for f in self.to_fields]
        return _("填写%(model)s的%(fields)s") % {"model": self.model._meta.verbose_name, "fields": "或".join(labels)}


def model_column(model: type[models.Model], name: str, **overrides: Any) -> Column:
    """A column for a model field: header from its verbose name, type, required and default from
    the field itself. Overrides win (e.g. `to_fields` for a foreign key, or `required=True`)."""
    model_field = model._meta.get_field(name)
    with translation.override(settings.LANGUAGE_CODE):
        # Headers are the file format: always the Chinese names, whatever the user's language.
        spec: dict[str, Any] = {
            "header": str(model_field.verbose_name),
            "field": name,
            "help": str(model_field.help_text or ""),
        }
        if model_field.choices:
            spec["choices"] = tuple((code, str(label)) for code, label in model_field.flatchoices)
    if model_field.has_default():
        spec["default"] = model_field.get_default()
    elif model_field.null:
        spec["default"] = None
    spec["required"] = not model_field.blank and not model_field.has_default()
    if isinstance(model_field, models.ForeignKey):
        spec["model"] = model_field.related_model
        spec["default"] = None
        kind: type[Column] = ForeignKeyColumn
    elif model_field.choices:
        kind = ChoiceColumn
    elif isinstance(model_field, models.BooleanField):
        kind = BooleanColumn
    elif isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kind = DateColumn
    elif isinstance(model_field, models.DecimalField):
        kind = DecimalColumn
    elif isinstance(model_field, models.IntegerField):
        kind = IntegerColumn
    else:
        kind = TextColumn
    spec.update(overrides)
    return kind(**spec)


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


# --- reading ------------------------------------------------------------------------------


def normalize_header(value: Any) -> str:
    """Headers match without spaces, line breaks or required-field stars (*)."""
    return "" if value is None else _HEADER_MARKS.sub("", str(value))


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    cells: dict[str, Any]  # header -> raw cell value


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]  # field -> typed value
    failed: set[str] = field(default_factory=set)  # fields whose cells could not be read


def read_rows(sheet, columns: Sequence[Column]) -> list[SheetRow]:
    """The data rows under the header row (the first non-empty row), keyed by header.

    Columns may come in any order and extra columns are ignored; a missing or repeated header
    raises `ImportRejected`, an empty sheet `SpreadsheetError`.
    """
    # Some writers store a wrong sheet size, which would cut rows short in read-only mode.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
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


# --- writing ------------------------------------------------------------------------------


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


def _write_sheet(worksheet, sheet: Sheet) -> None:
    worksheet.title = sheet.title
    columns = list(sheet.columns)
    worksheet.append([c.header for c in columns])
    widths = [_display_width(c.header) for c in columns]
    count = 0
    for item in sheet.rows:
        values = [c.format(c.value_of(item)) for c in columns]
        worksheet.append(values)
        count += 1
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
        for note in sheet.notes:
            worksheet.append([note])


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


class SpreadsheetUploadForm(forms.Form):
    """The upload form of every import page; the import service checks the file itself."""

    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
        help_text=gettext_lazy(".xlsx 格式"),
    )
