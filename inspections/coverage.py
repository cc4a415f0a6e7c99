"""The ONE definition of the evaluation coverage of the three-year cycle.

**Evaluation coverage** of a cycle, for a set of kindergartens (the district, a sub-district, a
sponsor type, what a user may see) = kindergartens planned in the cycle (`CycleAssignment`) that
count as evaluated (`CycleAssignmentQuerySet.evaluated_condition()`: an accepted self-assessment
or a published supervisory evaluation) ÷ kindergartens planned in the cycle. Counted by the
database (``COUNT(*) FILTER (WHERE …)``, one GROUP BY per breakdown); shown as a percentage with
one decimal, **cut, not rounded**, like every indicator (89.96 % prints 89.9 %); no plan, no
figure ("—").

Every page that shows the measure reads it from here: the dashboard's quality panel
(`inspections.dashboard`), the cycle page (`views.cycles`), the results overview
(`inspections.results`) and the registered indicator ``evaluation_coverage``
(`inspections.indicators`), so they cannot disagree. The results overview also shows how many
*published results* there are (the grades); that count is not the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

EVALUATION_COVERAGE = "evaluation_coverage"

LABEL = _("三年周期评估覆盖率")
DEFINITION = _(
    "本评估周期计划评估的幼儿园中已完成评估的比例：分子为已完成评估（自评已通过或督导评估结果已公布）的计划内幼儿园数，"
    "分母为本周期计划评估的幼儿园数。百分数保留一位小数，截断而非四舍五入；没有评估计划时不计算。"
)

_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Coverage:
    """Evaluated ÷ planned kindergartens of one cycle for one set of kindergartens."""

    evaluated: int
    planned: int

    @property
    def share(self) -> Decimal | None:
        """The exact fraction (as a Decimal quotient); None without a plan."""
        return Decimal(self.evaluated) / Decimal(self.planned) if self.planned else None

    @property
    def percent(self) -> Decimal | None:
        """Per cent with one decimal, cut (24.69 → 24.6), from the integers, never from a float."""
        if not self.planned:
            return None
        return (Decimal(self.evaluated * 100) / Decimal(self.planned)).quantize(_ONE_DECIMAL, rounding=ROUND_DOWN)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"


def coverage_annotations() -> dict[str, models.Aggregate]:
    """The two aggregates of the definition, over a CycleAssignment queryset (one cycle)."""
    from .models.cycles import CycleAssignmentQuerySet

    return {
        "coverage_planned": Count("id"),
        "coverage_evaluated": Count("id", filter=CycleAssignmentQuerySet.evaluated_condition()),
    }


def coverage_of(row: dict) -> Coverage:
    """The Coverage of an aggregate or grouped row carrying `coverage_annotations()`."""
    return Coverage(evaluated=row.get("coverage_evaluated") or 0, planned=row.get("coverage_planned") or 0)


def coverage_total(assignments: models.QuerySet) -> Coverage:
    """The coverage of a (scoped, one-cycle) CycleAssignment queryset: one aggregate query."""
    return coverage_of(assignments.aggregate(**coverage_annotations()))


def coverage_grouped(assignments: models.QuerySet, *keys: str) -> dict[tuple, Coverage]:
    """The coverage per group of `keys` (paths from CycleAssignment): one GROUP BY query."""
    rows = assignments.values(*keys).annotate(**coverage_annotations()).order_by()
    return {tuple(row[k] for k in keys): coverage_of(row) for row in rows}
