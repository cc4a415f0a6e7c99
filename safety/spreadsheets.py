"""The safety workbooks: the profiles (import, template, export) and the hazards (export).

Import (`services.import_safety_profiles`), template and export share `profile_columns()`, so an
exported file re-imports unchanged; the export adds read-only columns (the kindergarten's name,
each rule met / not met and why), which the import ignores. The format is in docs/data-formats.md.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import NO, YES, CellError, Column, ForeignKeyColumn, Sheet, instructions_sheet, model_column
from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten

from .choices import EVACUATION_DRILLS, CoveredArea, RuleCode
from .compliance import RuleResult, evaluate, quarter_start, staff_counts
from .models import Drill, Hazard, SafetyProfile, SafetyRuleSet

PROFILE_SHEET = "安全工作档案"
HAZARD_SHEET = "安全隐患"
INSTRUCTIONS_TITLE = "说明"
TEMPLATE_FILENAME = "安全工作档案导入模板.xlsx"
TEMPLATE_FALLBACK = "safety-profiles-template.xlsx"
CHANGE_REASON = "安全档案 Excel 导入"
MET, NOT_MET = "达标", "未达标"
# Every profile field, in the order of the edit form (人防, 一键式报警, 视频监控, 入侵报警与门禁).
PROFILE_FIELDS = (
    "staff_count",
    "safety_manager",
    "safety_manager_phone",
    "full_time_safety_managers",
    "guards_full_time",
    "guards_part_time",
    "guard_company",
    "guard_company_licensed",
    "guard_certificates",
    "guard_certificates_expiry",
    "carers_per_class",
    "alarm_installed",
    "alarm_linked",
    "alarm_last_tested",
    "cameras",
    "video_areas",
    "video_blind_spots",
    "video_retention_days",
    "video_linked",
    "intrusion_alarm_installed",
    "intrusion_log_days",
    "access_control_installed",
    "access_log_days",
    "closed_campus",
)
_AREA_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True, kw_only=True)
class AreasColumn(Column):
    """The areas the cameras cover: labels (or codes) separated by 、 or a comma; written with 、."""

    number_format: str = "@"

    def read(self, value: Any) -> list[str]:
        # A fresh list per row (never a shared default).
        return [] if value is None or not str(value).strip() else self.parse(value)

    def parse(self, value: Any) -> list[str]:
        by_text = {str(label): code for code, label in CoveredArea.choices} | {c: c for c in CoveredArea.values}
        areas: list[str] = []
        unknown: list[str] = []
        for part in _AREA_SEPARATORS.split(str(value).strip()):
            if not part:
                continue
            code = by_text.get(part) or by_text.get(part.lower())
            if code is None:
                unknown.append(part)
            elif code not in areas:
                areas.append(code)
        if unknown:
            raise CellError(
                _("未知的区域“%(areas)s”；可填：%(allowed)s（用“、”或逗号分隔）。")
                % {"areas": "、".join(unknown), "allowed": "、".join(self.labels())}
            )
        # Stored in the order of the choices, so the same areas typed in another order are no change.
        return [code for code in CoveredArea.values if code in areas]

    def format(self, value: Any) -> str | None:
        labels = dict(CoveredArea.choices)
        value = value or []
        ordered = [code for code in CoveredArea.values if code in value]
        return "、".join(str(labels[code]) for code in ordered) or None

    def labels(self) -> list[str]:
        return [str(label) for label in CoveredArea.labels]

    def describe(self) -> str:
        return _("用“、”或逗号分隔的区域名称，可填：%(allowed)s；没有摄像头请留空。") % {
            "allowed": "、".join(self.labels())
        }


@dataclass(frozen=True, kw_only=True)
class KindergartenNameColumn(Column):
    """The kindergarten's name beside its code, for the reader; the import ignores it."""

    number_format: str = "@"

    def value_of(self, row: Any) -> Any:
        return row.kindergarten.name if isinstance(row, SafetyProfile) else None


@dataclass(frozen=True, kw_only=True)
class RuleColumn(Column):
    """One rule of the rule set in force, met or not, read from the profile's `rule_results`."""

    code: str = ""

    def value_of(self, row: Any) -> Any:
        for result in getattr(row, "rule_results", ()):
            if result.code == self.code:
                return MET if result.met else NOT_MET
        return None


@dataclass(frozen=True, kw_only=True)
class UnmetReasonsColumn(Column):
    def value_of(self, row: Any) -> Any:
        reasons = [f"{r.label}：{r.reason}" for r in getattr(row, "rule_results", ()) if not r.met]
        return "；".join(reasons) or None


def _field(name: str, **overrides: Any) -> Column:
    return model_column(SafetyProfile, name, **overrides)


def kindergarten_column() -> ForeignKeyColumn:
    header = model_column(Kindergarten, "code").header
    return ForeignKeyColumn(
        header=header,
        field="kindergarten",
        model=Kindergarten,
        to_fields=("code",),
        required=True,
        number_format="@",  # a numeric code typed in stays text, with its leading zeros
        help=_("幼儿园名录中的编码；每所幼儿园一行，已有档案的更新，没有的新建。"),
    )


def profile_columns() -> list[Column]:
    """The columns the import reads (and the template and export write), in file order."""
    columns: list[Column] = [kindergarten_column()]
    for name in PROFILE_FIELDS:
        if name == "video_areas":
            columns.append(AreasColumn(header=_field(name).header, field=name, width=40))
        elif name == "alarm_linked":
            columns.append(_field(name, help=_("是/否；填“是”时须已安装一键式报警。")))
        else:
            columns.append(_field(name))
    return columns


def export_columns() -> list[Column]:
    """`profile_columns()` with the read-only columns of the export: the name, every rule and why."""
    columns = profile_columns()
    columns.insert(
        1,
        KindergartenNameColumn(
            header=model_column(Kindergarten, "name").header, field="name", read_only=True, help=_("仅供查看。")
        ),
    )
    columns += [
        RuleColumn(
            header=_("%(rule)s是否达标") % {"rule": label},
            field=f"rule_{code}",
            code=code,
            read_only=True,
            help=_("按导出当天生效的安全规则评估：达标 / 未达标。"),
        )
        for code, label in RuleCode.choices
    ]
    columns.append(UnmetReasonsColumn(header=_("未达标原因"), field="unmet", read_only=True, width=60))
    return columns


def _instructions(columns: Sequence[Column], extra: Sequence[str] = ()) -> Sheet:
    notes = [
        *extra,
        _("导入规则："),
        _("1. 数据放在名为“安全工作档案”的工作表（或第一个工作表），第一行为表头，列的顺序不限。"),
        _("2. 每所幼儿园一行，按“幼儿园编码”匹配：已有档案的更新全部各列，没有的新建；同一文件中编码不能重复。"),
        _("3. 只能导入在办幼儿园（已取得办园许可或社区办园点）的档案。"),
        _("4. 全部行校验通过才会导入；任何一处有错，整个文件都不导入，并列出每处错误的行、列和原因。"),
        _("5. 同一文件重复导入不会产生任何变化；每次导入都记入各园档案的变更记录。"),
        _("6. 导出文件中的幼儿园名称和各项“是否达标”仅供查看，导入时忽略。"),
    ]
    return instructions_sheet(columns, title=INSTRUCTIONS_TITLE, notes=notes)


def template_sheets() -> list[Sheet]:
    columns = profile_columns()
    return [Sheet(title=PROFILE_SHEET, columns=columns), _instructions(columns)]


def with_rule_results(profiles: Iterable[SafetyProfile], day: datetime.date) -> list[SafetyProfile]:
    """The profiles, each with `rule_results` (`compliance.evaluate` on `day`).

    Four queries whatever the number of profiles: the rule set, the children and the staff per
    kindergarten (a GROUP BY each) and the quarter's evacuation drills.
    """
    profiles = list(profiles)
    rules = SafetyRuleSet.objects.for_day(day)
    ids = [p.kindergarten_id for p in profiles]
    if rules is None or not ids:
        for profile in profiles:
            profile.rule_results = []
        return profiles
    children = dict(
        SchoolClass.objects.filter(kindergarten_id__in=ids, school_year__start_year=SchoolYear.start_year_for(day))
        .values("kindergarten_id")
        .annotate(n=Sum("enrolled"))
        .values_list("kindergarten_id", "n")
        .order_by()
    )
    staff = staff_counts(ids, day)
    drills: dict[int, list[datetime.date]] = defaultdict(list)
    for kindergarten_id, held_on in Drill.objects.filter(
        kindergarten_id__in=ids, kind__in=EVACUATION_DRILLS, held_on__gte=quarter_start(day), held_on__lte=day
    ).values_list("kindergarten_id", "held_on"):
        drills[kindergarten_id].append(held_on)
    for profile in profiles:
        results: list[RuleResult] = evaluate(
            profile,
            rules=rules,
            children=children.get(profile.kindergarten_id) or 0,
            drill_dates=drills[profile.kindergarten_id],
            day=day,
            staff=staff.get(profile.kindergarten_id),
        )
        profile.rule_results = results
    return profiles


def profile_export_sheets(profiles: Iterable[SafetyProfile], day: datetime.date | None = None) -> list[Sheet]:
    day = day or timezone.localdate()
    columns = export_columns()
    rows = with_rule_results(profiles, day)
    # Notes go to the 说明 sheet: a line under the table would read as a row on re-import.
    notes = [_("各项“是否达标”按 %(day)s 生效的安全规则评估。") % {"day": day.isoformat()}]
    return [Sheet(title=PROFILE_SHEET, columns=columns, rows=rows), _instructions(columns, notes)]


@dataclass(frozen=True, kw_only=True)
class AttributeColumn(Column):
    """A value reached through relations (`field` is a dotted path), or computed by `get`."""

    get: Any = None

    def value_of(self, row: Any) -> Any:
        if self.get is not None:
            return self.get(row)
        value = row
        for part in self.field.split("."):
            value = getattr(value, part)
        return value


def hazard_columns() -> list[Column]:
    """The hazard export's columns (export only: hazards are written through their loop)."""

    def field(name: str) -> Column:
        return model_column(Hazard, name, read_only=True)

    today = timezone.localdate()
    code = kindergarten_column()
    return [
        AttributeColumn(header=code.header, field="kindergarten.code", number_format="@"),
        AttributeColumn(header=model_column(Kindergarten, "name").header, field="kindergarten.name", number_format="@"),
        AttributeColumn(header=model_column(Kindergarten, "subdistrict").header, field="kindergarten.subdistrict.name"),
        field("category"),
        field("severity"),
        field("description"),
        field("location"),
        field("found_on"),
        field("deadline"),
        field("owner"),
        field("status"),
        field("closed_on"),
        AttributeColumn(
            header=_("是否逾期"),
            field="overdue",
            get=lambda hazard: YES if hazard.is_overdue(today) else NO,
        ),
    ]


def hazard_export_sheets(hazards: Iterable[Hazard]) -> list[Sheet]:
    return [Sheet(title=HAZARD_SHEET, columns=hazard_columns(), rows=hazards, dropdowns=False)]


def export_filename(stem: str, fallback_stem: str) -> tuple[str, str]:
    """The Chinese download name and its ASCII fallback, dated in the district's time zone."""
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{stem}_{day}.xlsx", f"{fallback_stem}_{day}.xlsx"
