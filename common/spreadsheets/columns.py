"""Columns: how one cell of a workbook is read into a model field and written back.

An app describes its workbook as a list of `Column`s; `model_column` builds one from a model
field (header from its verbose name, type, required and default from the field).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from .errors import CellError

YES, NO = "是", "否"
_TRUE_WORDS = {YES, "y", "yes", "true", "1", "√", "✓", "✔"}
_FALSE_WORDS = {NO, "n", "no", "false", "0", "×", "✗", "✘"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


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
