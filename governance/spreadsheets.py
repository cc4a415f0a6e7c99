"""The xlsx exports of fee filings and subsidies (written by `common.spreadsheets`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.spreadsheets import Sheet
from common.spreadsheets.columns import ChoiceColumn, DecimalColumn, IntegerColumn, TextColumn

from .choices import FeeItemKind, KindergartenGrade
from .subsidies import Entitlement


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


def fee_filing_sheet(filings) -> Sheet:
    """One row per filing, one column per item (items not charged are empty)."""
    columns = [
        TextColumn(header=_("幼儿园编码"), field="code"),
        TextColumn(header=_("幼儿园名称"), field="name", width=30),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        TextColumn(header=_("学年"), field="school_year"),
        ChoiceColumn(header=_("办园等级"), field="grade", choices=_choices(KindergartenGrade)),
        *[
            DecimalColumn(header=str(label) + _("（元/月）"), field=value, number_format="0.00")
            for value, label in FeeItemKind.choices
        ],
        TextColumn(header=_("其他收费内容"), field="other_description"),
    ]
    rows = []
    for filing in filings:
        items = {item.item: item for item in filing.items.all()}
        row = {
            "code": filing.kindergarten.code,
            "name": filing.kindergarten.name,
            "subdistrict": filing.kindergarten.subdistrict.name,
            "school_year": filing.school_year_label,
            "grade": filing.grade,
            "other_description": items[FeeItemKind.OTHER].description if FeeItemKind.OTHER in items else "",
        }
        row.update({kind: items[kind].monthly_amount if kind in items else None for kind in FeeItemKind.values})
        rows.append(row)
    return Sheet(title=_("收费备案"), columns=columns, rows=rows, dropdowns=False)


def subsidy_sheet(rows: list[Entitlement], paid: dict) -> Sheet:
    columns = [
        TextColumn(header=_("幼儿园编码"), field="code"),
        TextColumn(header=_("幼儿园名称"), field="name", width=30),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        TextColumn(header=_("月份"), field="month"),
        ChoiceColumn(header=_("办园等级"), field="grade", choices=_choices(KindergartenGrade)),
        IntegerColumn(header=_("在园幼儿（不含托班）"), field="children"),
        IntegerColumn(header=_("大班幼儿"), field="seniors"),
        DecimalColumn(header=_("生均补助（元/月）"), field="rate", number_format="0.00"),
        IntegerColumn(header=_("认定覆盖天数"), field="days"),
        IntegerColumn(header=_("当月天数"), field="days_in_month"),
        DecimalColumn(header=_("生均补助额（元）"), field="base", number_format="0.00"),
        DecimalColumn(header=_("大班减免补助（元）"), field="waiver", number_format="0.00"),
        IntegerColumn(header=_("当月批准新增学位"), field="new_places"),
        DecimalColumn(header=_("新增学位补助（元）"), field="new_place_amount", number_format="0.00"),
        DecimalColumn(header=_("租赁面积×天数（平方米·天）"), field="rent_area_days", number_format="0.00"),
        DecimalColumn(header=_("租金补助（元）"), field="rent", number_format="0.00"),
        DecimalColumn(header=_("应拨合计（元）"), field="total", number_format="0.00"),
        DecimalColumn(header=_("已拨付（元）"), field="paid", number_format="0.00"),
    ]
    data = [
        {
            "code": r.kindergarten.code,
            "name": r.kindergarten.name,
            "subdistrict": r.kindergarten.subdistrict.name,
            "month": f"{r.month:%Y-%m}",
            "grade": r.recognition.grade,
            "children": r.children,
            "seniors": r.senior_children,
            "rate": r.rate,
            "days": r.days,
            "days_in_month": r.days_in_month,
            "base": r.base,
            "waiver": r.waiver,
            "new_places": r.new_places,
            "new_place_amount": r.new_place_amount,
            "rent_area_days": r.rent_area_days,
            "rent": r.rent,
            "total": r.total,
            "paid": paid.get(r.kindergarten.pk),
        }
        for r in rows
    ]
    notes = [
        _("生均补助额 = 在园幼儿 × 生均补助 × 认定覆盖天数 ÷ 当月天数；大班减免补助按同等级公办园保育教育费限价计算。")
    ]
    return Sheet(title=_("补助测算"), columns=columns, rows=data, notes=notes, dropdowns=False)
