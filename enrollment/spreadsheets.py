"""The annual statistics workbook (学前教育统计报表): classes, children by age, child population.

Three sheets, one per kind of row; a workbook may hold any of them (a sheet without data rows is
skipped). The columns below serve the import, the export and the empty template, so an
exported file re-imports unchanged. Reading and validating happens here, with one query per
lookup table and none per row; writing is `services.statistics_import`. The format is
documented in docs/data-formats.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import (
    CellError,
    ChoiceColumn,
    Column,
    ForeignKeyColumn,
    ImportRejected,
    IntegerColumn,
    ParsedRow,
    RowError,
    Sheet,
    SpreadsheetError,
    TextColumn,
    is_empty,
    opened_workbook,
    parse_rows,
    read_rows,
)
from kindergartens.models import Kindergarten, Subdistrict

from .choices import ClassType, PopulationBasis
from .models import SchoolClass, SchoolYear

CLASSES_SHEET = "班级"
AGES_SHEET = "分年龄在园幼儿"
POPULATION_SHEET = "常住儿童人口"
INSTRUCTIONS_SHEET = "说明"
TEMPLATE_FILENAME = "学前教育统计报表模板.xlsx"
TEMPLATE_FALLBACK = "statistics-template.xlsx"
CHANGE_REASON = "统计报表导入"

ENROLLED_AGES = (2, 3, 4, 5, 6)
POPULATION_AGES = (0, 1, 2, 3, 4, 5, 6)
NAME_MAX_LENGTH = SchoolClass._meta.get_field("name").max_length
_SCHOOL_YEAR = re.compile(r"^(\d{4})(?:\s*[-–—~至/]\s*(\d{2}|\d{4}))?\s*(?:学年)?$")


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SchoolYearColumn(Column):
    """A school year, read as "2025-2026", "2025–26", "2025学年" or just 2025; written "2025-2026"."""

    number_format: str = "@"

    def parse(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        match = _SCHOOL_YEAR.match(text)
        if not match:
            raise CellError(_("“%(value)s”不是学年，请按 2025-2026 的格式填写。") % {"value": text})
        start, end = int(match[1]), match[2]
        if end is not None and int(end) not in (start + 1, (start + 1) % 100):
            raise CellError(_("“%(value)s”不是相邻两年，请按 2025-2026 的格式填写。") % {"value": text})
        if not 2000 <= start <= 2100:
            raise CellError(_("学年须在 2000 至 2100 年之间。"))
        return start

    def format(self, value: Any) -> Any:
        if value is None:
            return None
        start = value.start_year if isinstance(value, SchoolYear) else int(value)
        return f"{start}-{start + 1}"

    def describe(self) -> str:
        return _("如 2025-2026（也可只填起始年份 2025）；学年不存在时自动创建，已锁定的学年不能导入。")


@dataclass(frozen=True, kw_only=True)
class CountColumn(IntegerColumn):
    """A head count: a whole number, zero or more. Empty cells are errors: write 0 for none."""

    required: bool = True
    maximum: int = 2_000_000_000

    def parse(self, value: Any) -> int:
        number = super().parse(value)
        if number < 0:
            raise CellError(_("不能为负数。"))
        if number > self.maximum:
            raise CellError(_("不能超过 %(max)s。") % {"max": self.maximum})
        return number

    def read(self, value: Any) -> Any:
        if is_empty(value):
            raise CellError(_("不能为空，没有请填 0。"))
        return self.parse(value)

    def describe(self) -> str:
        return self.help or _("非负整数，没有请填 0")


@dataclass(frozen=True, kw_only=True)
class CodeColumn(ForeignKeyColumn):
    """A foreign key by code or name that exports from a plain value as well as from an object."""

    def format(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return super().format(value)


@dataclass(frozen=True, kw_only=True)
class BasisColumn(ChoiceColumn):
    """Population basis; "常住"/"户籍" are read as the full labels, an empty cell as resident."""

    def parse(self, value: Any) -> str:
        text = str(value).strip()
        for code, label in self.choices:
            if text and label.startswith(text):
                return code
        return super().parse(value)


def kindergarten_column() -> CodeColumn:
    return CodeColumn(
        header="幼儿园编码",
        field="kindergarten",
        model=Kindergarten,
        to_fields=("code",),
        required=True,
        help=_("幼儿园名录中的编码"),
    )


def school_year_column() -> SchoolYearColumn:
    return SchoolYearColumn(header="学年", field="school_year", required=True)


def class_columns() -> list[Column]:
    return [
        kindergarten_column(),
        school_year_column(),
        ChoiceColumn(
            header="班级类型",
            field="class_type",
            required=True,
            choices=tuple((code, str(label)) for code, label in ClassType.choices),
        ),
        TextColumn(header="班级名称", field="name", required=True, help=_("同一幼儿园同一学年内不能重复，最多 30 字")),
        CountColumn(header="核定班额", field="approved_size", maximum=32767),
        CountColumn(header="在班幼儿数", field="enrolled", maximum=32767),
    ]


def age_columns() -> list[Column]:
    return [
        kindergarten_column(),
        school_year_column(),
        *(CountColumn(header=f"{age}岁", field=f"age_{age}") for age in ENROLLED_AGES),
    ]


def population_columns() -> list[Column]:
    return [
        CodeColumn(
            header="街道/地区",
            field="subdistrict",
            model=Subdistrict,
            to_fields=("name", "code"),
            required=True,
            list_values=True,
            help=_("街道/地区名称（如“望京”）或统计代码"),
        ),
        IntegerColumn(header="年份", field="year", required=True, help=_("统计年份（自然年），如 2025")),
        *(CountColumn(header=f"{age}岁", field=f"age_{age}") for age in POPULATION_AGES),
        BasisColumn(
            header="口径",
            field="basis",
            default=PopulationBasis.RESIDENT,
            choices=tuple((code, str(label)) for code, label in PopulationBasis.choices),
            help=_("常住人口或户籍人口，留空视为常住人口"),
        ),
    ]


SHEETS: tuple[tuple[str, Any], ...] = (
    (CLASSES_SHEET, class_columns),
    (AGES_SHEET, age_columns),
    (POPULATION_SHEET, population_columns),
)


# --- reading ---------------------------------------------------------------------------------------


@dataclass
class StatisticsData:
    """A workbook that passed every check: plain values, ready to be written."""

    school_years: dict[int, SchoolYear | None]  # start year -> existing year, or None to create
    # (kindergarten id, start year) -> [(class_type, name, approved_size, enrolled), ...]
    classes: dict[tuple[int, int], list[tuple[str, str, int, int]]] = field(default_factory=dict)
    # (kindergarten id, start year) -> {age: children}
    children_by_age: dict[tuple[int, int], dict[int, int]] = field(default_factory=dict)
    # (subdistrict id, year, basis) -> {age: children}
    population: dict[tuple[int, int, str], dict[int, int]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # sheet -> data rows read


def _tagged(errors: Iterable[RowError], sheet: str) -> list[RowError]:
    return [dataclasses.replace(e, sheet=sheet) for e in errors]


def _sheet_rows(workbook, title: str, columns: Sequence[Column]) -> tuple[list[ParsedRow], list[RowError]]:
    if title not in workbook.sheetnames:
        return [], []
    try:
        rows = read_rows(workbook[title], columns)
    except ImportRejected as rejected:
        return [], _tagged(rejected.errors, title)
    except SpreadsheetError:
        return [], []  # an empty sheet: the workbook may carry only some of the three
    parsed, errors = parse_rows(rows, columns)
    return parsed, _tagged(errors, title)


def _school_years(starts: set[int]) -> dict[int, SchoolYear | None]:
    existing = {y.start_year: y for y in SchoolYear.objects.filter(start_year__in=starts)}
    return {start: existing.get(start) for start in starts}


def read_statistics(file) -> StatisticsData:
    """Reads and checks the whole workbook; raises `ImportRejected` listing every bad cell, or
    `SpreadsheetError` when the file itself is unusable. Touches no row in the database."""
    with opened_workbook(file) as workbook:
        if not any(title in workbook.sheetnames for title, _columns in SHEETS):
            raise SpreadsheetError(
                _("文件中没有“%(a)s”“%(b)s”或“%(c)s”工作表，请使用统计报表模板。")
                % {"a": CLASSES_SHEET, "b": AGES_SHEET, "c": POPULATION_SHEET}
            )
        class_rows, class_errors = _sheet_rows(workbook, CLASSES_SHEET, class_columns())
        age_rows, age_errors = _sheet_rows(workbook, AGES_SHEET, age_columns())
        population_rows, population_errors = _sheet_rows(workbook, POPULATION_SHEET, population_columns())
    if not (class_rows or age_rows or population_rows or class_errors or age_errors or population_errors):
        raise SpreadsheetError(_("文件中没有数据行。"))

    starts = {r.values["school_year"] for r in (*class_rows, *age_rows) if r.values.get("school_year")}
    data = StatisticsData(school_years=_school_years(starts))
    data.rows = {CLASSES_SHEET: len(class_rows), AGES_SHEET: len(age_rows), POPULATION_SHEET: len(population_rows)}
    errors = [
        *class_errors,
        *_check_classes(class_rows, data),
        *age_errors,
        *_check_ages(age_rows, data),
        *population_errors,
        *_check_population(population_rows, data),
    ]
    if not errors:
        # Only on otherwise clean files: a bad class row would make every total look wrong.
        errors = _check_totals(age_rows, data)
    if errors:
        raise ImportRejected(errors)
    return data


def _year_error(row: ParsedRow, data: StatisticsData, sheet: str) -> RowError | None:
    school_year = data.school_years.get(row.values.get("school_year"))
    if school_year is not None and school_year.locked:
        return RowError(row.number, "学年", _("%(year)s已锁定，不能导入；请先解锁。") % {"year": school_year}, sheet)
    return None


def _check_classes(rows: list[ParsedRow], data: StatisticsData) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        if row.failed:
            continue
        values = row.values
        if error := _year_error(row, data, CLASSES_SHEET):
            errors.append(error)
            continue
        kindergarten, start, name = values["kindergarten"], values["school_year"], values["name"]
        # The columns have already checked type, range and choices of every cell; what the model
        # adds is the name's length. Checked here rather than by full_clean() per row, which
        # costs a model instance and a dozen validators for each of tens of thousands of rows.
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                RowError(
                    row.number,
                    "班级名称",
                    _("最多 %(max)s 个字（现有 %(n)s 个）。") % {"max": NAME_MAX_LENGTH, "n": len(name)},
                    CLASSES_SHEET,
                )
            )
            continue
        key = (kindergarten.pk, start, name)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "班级名称",
                    _("与第 %(row)s 行重复：同一幼儿园同一学年的班级名称不能重复。") % {"row": seen[key]},
                    CLASSES_SHEET,
                )
            )
            continue
        seen[key] = row.number
        data.classes.setdefault((kindergarten.pk, start), []).append(
            (values["class_type"], name, values["approved_size"], values["enrolled"])
        )
    return errors


def _check_ages(rows: list[ParsedRow], data: StatisticsData) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        if row.failed:
            continue
        if error := _year_error(row, data, AGES_SHEET):
            errors.append(error)
            continue
        key = (row.values["kindergarten"].pk, row.values["school_year"])
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "幼儿园编码",
                    _("与第 %(row)s 行重复：每所幼儿园每学年只能有一行。") % {"row": seen[key]},
                    AGES_SHEET,
                )
            )
            continue
        seen[key] = row.number
        data.children_by_age[key] = {age: row.values[f"age_{age}"] for age in ENROLLED_AGES}
    return errors


def _check_totals(age_rows: list[ParsedRow], data: StatisticsData) -> list[RowError]:
    """Children by age must add up to the children in the classes, where the file has both."""
    errors: list[RowError] = []
    for row in age_rows:
        if row.failed or not row.values.get("kindergarten"):
            continue
        key = (row.values["kindergarten"].pk, row.values["school_year"])
        if key not in data.classes or key not in data.children_by_age:
            continue
        in_classes = sum(c[3] for c in data.classes[key])
        by_age = sum(data.children_by_age[key].values())
        if in_classes != by_age:
            errors.append(
                RowError(
                    row.number,
                    "",
                    _(
                        "分年龄合计 %(by_age)s 人，与“%(sheet)s”工作表中该园该学年在班幼儿数合计 %(in_classes)s 人不一致。"
                    )
                    % {"by_age": by_age, "in_classes": in_classes, "sheet": CLASSES_SHEET},
                    AGES_SHEET,
                )
            )
    return errors


def _check_population(rows: list[ParsedRow], data: StatisticsData) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        if row.failed:
            continue
        year = row.values["year"]
        if not 2000 <= year <= 2100:
            errors.append(RowError(row.number, "年份", _("年份须在 2000 至 2100 年之间。"), POPULATION_SHEET))
            continue
        key = (row.values["subdistrict"].pk, year, row.values["basis"])
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "街道/地区",
                    _("与第 %(row)s 行重复：每个街道/地区每年每种口径只能有一行。") % {"row": seen[key]},
                    POPULATION_SHEET,
                )
            )
            continue
        seen[key] = row.number
        data.population[key] = {age: row.values[f"age_{age}"] for age in POPULATION_AGES}
    return errors


# --- writing: template and exports ------------------------------------------------------------------


def _instructions() -> Sheet:
    rows = []
    for title, columns in SHEETS:
        for column in columns():
            rows.append(
                {
                    "sheet": title,
                    "header": column.header,
                    "required": "是" if column.required else "否",
                    "describe": column.describe(),
                    "allowed": "、".join(column.allowed_values()),
                }
            )
    spec = [
        TextColumn(header="工作表", field="sheet"),
        TextColumn(header="列名", field="header"),
        TextColumn(header="必填", field="required"),
        TextColumn(header="填写说明", field="describe", width=60),
        TextColumn(header="可选值", field="allowed", width=80),
    ]
    notes = [
        _("导入规则："),
        _("1. 文件可包含“班级”“分年龄在园幼儿”“常住儿童人口”三个工作表中的任意几个，第一行为表头，列的顺序不限。"),
        _(
            "2. 班级：文件中出现的每所幼儿园每个学年，以文件为准整体替换该园该学年的班级"
            "（按班级名称匹配，文件中没有的班级将被删除）。"
        ),
        _("3. 分年龄在园幼儿：每所幼儿园每学年一行；若同一文件也有该园该学年的班级，分年龄合计须等于在班幼儿数合计。"),
        _("4. 常住儿童人口：每个街道/地区每年每种口径一行，0 岁为当年出生人数。"),
        _("5. 全部行校验通过才会导入；任何一处错误都会拒绝整个文件，并列出工作表、行、列和原因。"),
        _("6. 同一文件重复导入不会产生任何变化；已锁定学年的数据不能导入。"),
    ]
    return Sheet(title=INSTRUCTIONS_SHEET, columns=spec, rows=rows, notes=notes, dropdowns=False)


def template_sheets() -> list[Sheet]:
    return [*(Sheet(title=title, columns=columns()) for title, columns in SHEETS), _instructions()]


def class_rows_for_export(classes: Iterable[Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
    """`classes` are `values()` dicts with kindergarten__code and school_year__start_year."""
    for c in classes:
        yield {
            "kindergarten": c["kindergarten__code"],
            "school_year": c["school_year__start_year"],
            "class_type": c["class_type"],
            "name": c["name"],
            "approved_size": c["approved_size"],
            "enrolled": c["enrolled"],
        }


def pivot_ages(rows: Iterable[tuple], key_fields: Sequence[str], ages: Sequence[int]) -> list[dict[str, Any]]:
    """Long rows (key..., age, children) as one wide row per key, ages as `age_<n>` (0 where absent)."""
    wide: dict[tuple, dict[str, Any]] = {}
    for *key, age, children in rows:
        row = wide.get(tuple(key))
        if row is None:
            row = wide[tuple(key)] = {**dict(zip(key_fields, key, strict=True)), **{f"age_{a}": 0 for a in ages}}
        row[f"age_{age}"] = children
    return list(wide.values())


def export_sheets(*, classes=None, children_by_age=None, population=None) -> list[Sheet]:
    """Sheets for whichever parts are given, in the import format."""
    sheets = []
    if classes is not None:
        sheets.append(Sheet(title=CLASSES_SHEET, columns=class_columns(), rows=class_rows_for_export(classes)))
    if children_by_age is not None:
        rows = pivot_ages(children_by_age, ("kindergarten", "school_year"), ENROLLED_AGES)
        sheets.append(Sheet(title=AGES_SHEET, columns=age_columns(), rows=rows))
    if population is not None:
        rows = pivot_ages(population, ("subdistrict", "year", "basis"), POPULATION_AGES)
        sheets.append(Sheet(title=POPULATION_SHEET, columns=population_columns(), rows=rows))
    return sheets


def export_filename(part: str) -> tuple[str, str]:
    day = timezone.localdate().strftime("%Y%m%d")
    names = {"classes": "班级", "enrollment": "分年龄在园幼儿", "population": "儿童人口", "all": "学前教育统计报表"}
    return f"{names[part]}_{day}.xlsx", f"statistics_{part}_{day}.xlsx"
