"""The kindergarten registry workbook: its columns, the empty template and the export.

Import (`services.import_kindergartens`), export and template all use `kindergarten_columns()`,
so an exported file re-imports unchanged. The format is documented in docs/data-formats.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import Column, ForeignKeyColumn, Sheet, instructions_sheet, model_column

from .models import Kindergarten
from .naming import violations_of

SHEET_TITLE = "幼儿园名录"
INSTRUCTIONS_TITLE = "说明"
TEMPLATE_FILENAME = "幼儿园名录导入模板.xlsx"
TEMPLATE_FALLBACK = "kindergarten-import-template.xlsx"
CHANGE_REASON = "Excel 导入"


@dataclass(frozen=True, kw_only=True)
class ViolationsColumn(Column):
    """The stored name-compliance findings, exported for information; the import recomputes them."""

    def value_of(self, row: Any) -> Any:
        if not isinstance(row, Kindergarten):
            return None
        return "；".join(f"{v.label}：{v.word}" for v in violations_of(row)) or None


def _field(name: str, **overrides: Any) -> Column:
    return model_column(Kindergarten, name, **overrides)


def kindergarten_columns() -> list[Column]:
    """The registry workbook's columns, in file order. Headers are the model's verbose names."""
    return [
        _field("code", required=True, help=_("4–20 位字母、数字或连字符。按编码匹配：已有编码更新该园，新编码新增。")),
        _field("name", required=True, help=_("登记名称；导入时自动核查名称规范。")),
        _field(
            "subdistrict",
            to_fields=("name", "code"),
            list_values=True,
            help=_("填写街道/地区名称（如“望京”）或统计代码。"),
        ),
        _field("address"),
        _field("phone", help=_("5–20 位数字、空格或 + - ( )。")),
        _field("principal"),
        _field("latitude", help=_("十进制度数，最多 6 位小数；与经度同时填写或同时留空。")),
        _field("longitude", help=_("十进制度数，最多 6 位小数；与纬度同时填写或同时留空。")),
        _field(
            "sponsor_type", help=_("教育部门、其他机关/事业单位、国有企业、部队、街道/乡镇、农村集体举办的为公办园。")
        ),
        _field("sponsor_name", help=_("举办单位或个人的登记名称（民办园的信用档案随之更新）。")),
        _field(
            "inclusive_status",
            help=_("公办举办者须填“公办园”；民办园填普惠性或非普惠性民办园；营利性民办园不能认定为普惠性。"),
        ),
        _field("recognition_date", help=_("普惠性民办园必填；其他幼儿园留空。")),
        _field("recognition_expiry", help=_("仅普惠性民办园填写，须晚于认定日期；留空表示长期有效。")),
        _field("licence_status", required=True),
        _field("is_village_centre"),
        _field(
            "branch_of",
            to_fields=("code",),
            help=_("分园填写总园的幼儿园编码（总园可在本文件中一并新增）；总园本身不能是分园。"),
        ),
        _field("approved_capacity", help=_("非负整数，留空视为 0。")),
        _field("international_seats", help=_("非负整数，不超过核定学位数，留空视为 0。")),
        _field("has_toddler_classes"),
        _field("day_type", help=_("全日制或半日制（教职工配备标准不同）；留空视为全日制。")),
        _field("is_estate_kindergarten", help=_("是/否；填“是”时须填写配套园阶段。")),
        _field("estate_name", help=_("仅居住区配套园填写。")),
        _field("estate_stage", help=_("居住区配套园必填。")),
        _field("estate_planning_gap"),
        _field("estate_construction_gap"),
        _field("estate_handover_gap"),
        _field("estate_use_gap"),
        _field("entrusted_management_expiry"),
        ViolationsColumn(
            header=_header("name_violations"),
            field="name_violations",
            read_only=True,
            help=_("系统核查结果，仅在导出时提供。"),
        ),
    ]


def _header(name: str) -> str:
    return model_column(Kindergarten, name).header


def foreign_key_column(name: str) -> ForeignKeyColumn:
    column = next(c for c in kindergarten_columns() if c.field == name)
    assert isinstance(column, ForeignKeyColumn)
    return column


def instructions(columns: Sequence[Column]) -> Sheet:
    notes = [
        _("导入规则："),
        _("1. 数据放在第一个工作表（或名为“幼儿园名录”的工作表），第一行为表头，列的顺序不限。"),
        _("2. 按“幼儿园编码”匹配：已有编码更新该园的全部信息，新编码新增幼儿园；同一文件中编码不能重复。"),
        _("3. 全部行校验通过才会导入；任何一行有错，整个文件都不会导入，并列出每处错误的行、列和原因。"),
        _("4. 同一文件重复导入不会产生任何变化；每次导入都记入各幼儿园的变更记录。"),
        _("5. 文件须为 .xlsx 格式。"),
    ]
    return instructions_sheet(columns, title=INSTRUCTIONS_TITLE, notes=notes)


def template_sheets() -> list[Sheet]:
    columns = [c for c in kindergarten_columns() if not c.read_only]
    return [Sheet(title=SHEET_TITLE, columns=columns), instructions(columns)]


def export_sheets(kindergartens: Iterable[Kindergarten]) -> list[Sheet]:
    columns = kindergarten_columns()
    return [Sheet(title=SHEET_TITLE, columns=columns, rows=kindergartens), instructions(columns)]


def export_filename() -> tuple[str, str]:
    """The Chinese download name and its ASCII fallback, dated in the district's time zone."""
    day = timezone.localdate().strftime("%Y%m%d")
    return f"幼儿园名录_{day}.xlsx", f"kindergartens_{day}.xlsx"
