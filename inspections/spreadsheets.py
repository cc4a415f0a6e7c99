"""The handbook workbook: the columns of the assessment points of one framework version.

Import (`services.import_assessment_points`), export and the empty template share these
columns, so an exported handbook re-imports unchanged into a new draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from common.spreadsheets import Column, ForeignKeyColumn, Sheet, instructions_sheet, model_column

from .models import AssessmentPoint, FrameworkVersion, KeyIndicator

SHEET_TITLE = "考查要点"
CHANGE_REASON = "Excel 导入"


@dataclass(frozen=True, kw_only=True)
class KeyIndicatorColumn(ForeignKeyColumn):
    """A key indicator of one version, read from its name (师幼互动), number (8) or both (8. 师幼互动)."""

    version_id: int | None = None

    def lookup(self, keys: Iterable[str]) -> dict[str, KeyIndicator]:
        indicators = list(KeyIndicator._base_manager.filter(area__framework_version_id=self.version_id))
        found: dict[str, KeyIndicator] = {}
        for key in set(keys):
            text = key.strip().replace("．", ".").replace("、", ".")
            for indicator in indicators:
                if text in (indicator.name, str(indicator.order), f"{indicator.order}.{indicator.name}") or (
                    text.replace(" ", "") == f"{indicator.order}.{indicator.name}"
                ):
                    found[key] = indicator
        return found

    def not_found(self, key: str) -> str:
        return _("本版本中没有关键指标“%(key)s”，请填写 15 项关键指标之一的名称或序号。") % {"key": key}

    def format(self, value: Any) -> Any:
        return None if value is None else value.name

    def allowed_values(self) -> list[str]:
        return list(
            KeyIndicator._base_manager.filter(area__framework_version_id=self.version_id)
            .order_by("order")
            .values_list("name", flat=True)
        )

    def describe(self) -> str:
        return _("关键指标的名称（如“师幼互动”）或序号（1–15）。同一关键指标下的要点按行的先后排序。")


@dataclass(frozen=True, kw_only=True)
class AreaColumn(Column):
    """The point's area, exported for reading; the key indicator already determines it."""

    def value_of(self, row: Any) -> Any:
        return row.key_indicator.area.name if isinstance(row, AssessmentPoint) else None


def point_columns(version: FrameworkVersion) -> list[Column]:
    return [
        AreaColumn(header=_("评估方面"), field="area", read_only=True),
        KeyIndicatorColumn(
            header=_("关键指标"), field="key_indicator", model=KeyIndicator, required=True, version_id=version.pk
        ),
        model_column(AssessmentPoint, "text", required=True, width=60, help=_("考查要点的表述。")),
        model_column(AssessmentPoint, "guidance", width=50),
        model_column(AssessmentPoint, "evidence_expected", width=40),
        model_column(
            AssessmentPoint,
            "origin",
            required=False,
            help=_(
                "“《指南》原文”须在“出处”中注明文件和条目；演示数据的要点须以“【演示】”开头。留空视为“区评估手册”。"
            ),
        ),
        model_column(AssessmentPoint, "source", width=30),
        model_column(
            AssessmentPoint,
            "rating_scale",
            required=False,
            list_values=True,
            help=_("评分等级表名称，留空则使用本版本的默认评分等级表。"),
        ),
    ]


def points_sheets(version: FrameworkVersion, *, with_rows: bool = True) -> list[Sheet]:
    """The workbook of a version's points (or the empty template) with its instructions."""
    columns = point_columns(version)
    rows = version.points().select_related("key_indicator__area", "rating_scale") if with_rows else []
    notes = [
        _("每行一个考查要点。导入只能导入到草稿版本；可选择追加到现有要点之后，或替换草稿中的全部要点。"),
        _("不要填写未经核实的《指南》原文：原文须注明出处，否则请标为“区评估手册”。"),
    ]
    return [Sheet(title=SHEET_TITLE, columns=columns, rows=rows), instructions_sheet(columns, notes=notes)]
