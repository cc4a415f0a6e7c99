"""Indicator snapshots and early warnings as Excel workbooks (scoped: the caller passes rows the
user may see, or the user whose rows to read)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from common.spreadsheets import (
    BooleanColumn,
    ChoiceColumn,
    DateColumn,
    DecimalColumn,
    IntegerColumn,
    Sheet,
    TextColumn,
    xlsx_response,
)
from kindergartens.choices import SponsorType

from . import registry
from .choices import ScopeType, WarningKind
from .glossary import definitions
from .indicators import format_indicator_value
from .models import COMPLETENESS_FIELDS, EarlyWarning, IndicatorSnapshot

if TYPE_CHECKING:
    from accounts.models import User


def _choices(enum) -> tuple[tuple[str, str], ...]:
    # Cells take plain strings, not lazy translations.
    return tuple((code, str(label)) for code, label in enum.choices)


def _indicator_columns() -> list:
    return [
        DateColumn(header=_("统计日期"), field="date"),
        ChoiceColumn(header=_("范围类型"), field="scope_type", choices=_choices(ScopeType)),
        TextColumn(header=_("范围代码"), field="scope_key"),
        TextColumn(header=_("范围"), field="scope_label"),
        TextColumn(header=_("指标"), field="indicator_label"),
        TextColumn(header=_("指标代码"), field="indicator"),
        DecimalColumn(header=_("分子"), field="numerator", number_format="#,##0"),
        DecimalColumn(header=_("分母"), field="denominator", number_format="#,##0"),
        # Every stored place: 0.899999 must not read 0.9000 in the sheet (values are cut, not rounded).
        DecimalColumn(header=_("指标值"), field="value", number_format="0.000000", help=_("比率以小数表示")),
        TextColumn(header=_("指标值（显示）"), field="display"),
        DecimalColumn(header=_("朝阳区目标"), field="target", number_format="0.00"),
        BooleanColumn(header=_("达到朝阳区目标"), field="met", default=None),
        DecimalColumn(header=_("国家标准"), field="national_target", number_format="0.00"),
        BooleanColumn(header=_("达到国家标准"), field="national_met", default=None),
        # The reporting completeness the figure was computed with (empty: not from reports).
        IntegerColumn(header=_("应报园所数"), field="reports_expected", number_format="#,##0"),
        IntegerColumn(header=_("已报园所数"), field="reports_received", number_format="#,##0"),
        IntegerColumn(header=_("应报园所核定学位"), field="seats_expected", number_format="#,##0"),
        IntegerColumn(header=_("已报园所核定学位"), field="seats_reported", number_format="#,##0"),
        BooleanColumn(header=_("暂定"), field="provisional", default=None),
    ]


def _scope_label(row: dict) -> str:
    if row["scope_type"] == ScopeType.DISTRICT:
        return str(ScopeType.DISTRICT.label)
    if row["scope_type"] == ScopeType.SUBDISTRICT:
        return row["subdistrict__name"] or row["scope_key"]
    if row["scope_key"] in SponsorType.values:
        return str(SponsorType(row["scope_key"]).label)
    return row["scope_key"]


def indicator_rows(snapshots: QuerySet[IndicatorSnapshot]) -> Iterable[dict]:
    fields = (
        "date",
        "scope_type",
        "scope_key",
        "subdistrict__name",
        "indicator",
        "numerator",
        "denominator",
        "value",
        "target",
        "met",
        "national_target",
        "national_met",
        *COMPLETENESS_FIELDS,
    )
    for row in snapshots.values(*fields):
        row["scope_label"] = _scope_label(row)
        row["indicator_label"] = registry.label(row["indicator"])
        row["display"] = format_indicator_value(row["indicator"], row["value"])
        yield row


def indicators_response(*, user: User, date: datetime.date | None) -> HttpResponse:
    """Every snapshot the user may see on `date` (the latest snapshot date when None)."""
    visible = IndicatorSnapshot.objects.visible_to(user)
    day = date
    if day is None:
        day = visible.order_by("-date").values_list("date", flat=True).first()
    elif not visible.filter(date=day).exists():
        day = visible.filter(date__lte=day).order_by("-date").values_list("date", flat=True).first()
    snapshots = visible.filter(date=day).order_by("scope_type", "scope_key", "indicator") if day else visible.none()
    # Headers and labels are the file's format: always Chinese, whatever the page language.
    with translation.override(settings.LANGUAGE_CODE):
        notes = [f"{term}：{text}" for term, text in definitions()]
        sheets = [
            Sheet(
                title=_("指标"),
                columns=_indicator_columns(),
                rows=list(indicator_rows(snapshots)),
                notes=notes,
                dropdowns=False,
            )
        ]
        stamp = day.isoformat() if day else "none"
        return xlsx_response(_("指标快照-%(date)s.xlsx") % {"date": stamp}, sheets, fallback=f"indicators-{stamp}.xlsx")


def _warning_columns() -> list:
    return [
        DateColumn(header=_("统计日期"), field="date"),
        ChoiceColumn(header=_("预警类型"), field="kind", choices=_choices(WarningKind)),
        TextColumn(header=_("街道/地区"), field="subdistrict__name"),
        TextColumn(header=_("幼儿园编码"), field="kindergarten__code"),
        TextColumn(header=_("幼儿园"), field="kindergarten__name"),
        IntegerColumn(header=_("年份"), field="year"),
        IntegerColumn(header=_("需求"), field="demand", number_format="#,##0"),
        IntegerColumn(header=_("供给"), field="supply", number_format="#,##0"),
        IntegerColumn(header=_("缺口"), field="shortfall", number_format="#,##0"),
        TextColumn(header=_("说明"), field="message", width=60),
    ]


def warnings_response(warnings: QuerySet[EarlyWarning]) -> HttpResponse:
    """The given (already scoped and filtered) warnings as a workbook."""
    fields = (
        "date",
        "kind",
        "subdistrict__name",
        "kindergarten__code",
        "kindergarten__name",
        "year",
        "demand",
        "supply",
        "shortfall",
        "message",
    )
    with translation.override(settings.LANGUAGE_CODE):
        sheets = [
            Sheet(title=_("资源预警"), columns=_warning_columns(), rows=list(warnings.values(*fields)), dropdowns=False)
        ]
        return xlsx_response(_("资源预警.xlsx"), sheets, fallback="warnings.xlsx")
