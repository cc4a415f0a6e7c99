"""A kindergarten's trajectory (轨迹): its issues and their outcomes across cycles, and its
ratings per area over time. Read-only; everything is counted and averaged by the database
(`values().annotate()`), within the viewer's scope.

Areas are matched by name across cycles: every handbook version copies the framework's five
areas, so "保育与安全" in one cycle is the same area in the next even if its points changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from kindergartens.models import Kindergarten

from .choices import AssessmentStatus, EvaluationStatus, IssueEventKind, IssueSource, IssueStatus
from .models import AssessmentPoint, EvaluationCycle, ExternalRating, QualityIssue, RatingLevel, SelfAssessmentRating
from .services.issues import days_between

SELF_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
AREA_NAME = "point__key_indicator__area__name"
AREA_ORDER = "point__key_indicator__area__order"


def self_assessment_averages(kindergarten: Kindergarten, user) -> list[dict]:
    """Average self-rating per cycle and area, from the latest submitted or accepted version
    (at most one per cycle: a returned version is superseded by its revision)."""
    return list(
        SelfAssessmentRating.objects.visible_to(user)
        .filter(
            assessment__kindergarten=kindergarten,
            assessment__status__in=SELF_STATUSES,
            assessment__revision__isnull=True,
            level__isnull=False,
        )
        .values("assessment__cycle_id", AREA_NAME, AREA_ORDER)
        .annotate(average=Avg("level__value"), points=Count("id"))
        .order_by("assessment__cycle_id", AREA_ORDER)
    )


def external_averages(kindergarten: Kindergarten, user) -> list[dict]:
    """Average external rating per cycle and area, from published evaluations only."""
    return list(
        ExternalRating.objects.visible_to(user)
        .filter(
            evaluation__kindergarten=kindergarten, evaluation__status=EvaluationStatus.PUBLISHED, level__isnull=False
        )
        .values("evaluation__cycle_id", AREA_NAME, AREA_ORDER)
        .annotate(average=Avg("level__value"), points=Count("id"))
        .order_by("evaluation__cycle_id", AREA_ORDER)
    )


@dataclass
class CycleOutcome:
    cycle: EvaluationCycle
    opened: int = 0
    open: int = 0
    reported: int = 0
    verified: int = 0
    overdue: int = 0
    days_to_resolve: list[int] = field(default_factory=list)

    @property
    def average_days(self) -> float | None:
        if not self.days_to_resolve:
            return None
        return round(sum(self.days_to_resolve) / len(self.days_to_resolve), 1)


@dataclass
class Trajectory:
    cycles: list[EvaluationCycle]
    issues: list[QualityIssue]
    outcomes: list[CycleOutcome]
    areas: list[str]
    # (cycle id, source, area name) → average rating
    averages: dict[tuple[int, str, str], float]
    counts: dict[tuple[int, str, str], int]
    max_value: int

    def rows(self) -> list[dict]:
        """One row per area, one cell per cycle and source, for the table."""
        return [
            {
                "area": area,
                "cells": [
                    {
                        "cycle": cycle,
                        "source": source,
                        "average": self.averages.get((cycle.pk, source, area)),
                        "points": self.counts.get((cycle.pk, source, area), 0),
                    }
                    for cycle in self.cycles
                    for source in (IssueSource.SELF_ASSESSMENT, IssueSource.EXTERNAL_EVALUATION)
                ],
            }
            for area in self.areas
        ]

    def chart_data(self, labels: dict[str, str]) -> dict:
        """For the ECharts bar chart: areas on the x axis, one series per cycle and source."""
        series = []
        for cycle in self.cycles:
            for source in (IssueSource.SELF_ASSESSMENT, IssueSource.EXTERNAL_EVALUATION):
                values = [self.averages.get((cycle.pk, source, area)) for area in self.areas]
                if any(v is not None for v in values):
                    series.append(
                        {
                            "name": f"{cycle.display_name} · {labels[source]}",
                            "source": source,
                            "data": [round(v, 2) if v is not None else None for v in values],
                        }
                    )
        return {"areas": self.areas, "series": series, "max": self.max_value}


def trajectory(kindergarten: Kindergarten, user) -> Trajectory:
    today = timezone.localdate()
    issues = list(
        QualityIssue.objects.visible_to(user)
        .filter(kindergarten=kindergarten)
        .select_related("cycle", "point__key_indicator__area", "verified_by")
        .annotate(
            first_reported=Min("events__created_at", filter=Q(events__kind=IssueEventKind.REPORT)),
            reports=Count("events", filter=Q(events__kind=IssueEventKind.REPORT)),
        )
        .order_by("-cycle__start_year", "point__key_indicator__area__order", "deadline", "pk")
    )
    self_rows = self_assessment_averages(kindergarten, user)
    external_rows = external_averages(kindergarten, user)

    averages: dict[tuple[int, str, str], float] = {}
    counts: dict[tuple[int, str, str], int] = {}
    areas: dict[str, int] = {}
    cycle_ids: set[int] = {issue.cycle_id for issue in issues}
    for rows, source, cycle_key in (
        (self_rows, IssueSource.SELF_ASSESSMENT, "assessment__cycle_id"),
        (external_rows, IssueSource.EXTERNAL_EVALUATION, "evaluation__cycle_id"),
    ):
        for row in rows:
            key = (row[cycle_key], source, row[AREA_NAME])
            averages[key] = float(row["average"])
            counts[key] = row["points"]
            areas.setdefault(row[AREA_NAME], row[AREA_ORDER])
            cycle_ids.add(row[cycle_key])
    cycles = list(EvaluationCycle.objects.filter(pk__in=cycle_ids).order_by("start_year"))
    by_cycle = {cycle.pk: CycleOutcome(cycle) for cycle in cycles}
    for issue in issues:
        outcome = by_cycle[issue.cycle_id]
        outcome.opened += 1
        if issue.status == IssueStatus.OPEN:
            outcome.open += 1
        elif issue.status == IssueStatus.REPORTED:
            outcome.reported += 1
        else:
            outcome.verified += 1
        if issue.status != IssueStatus.VERIFIED and issue.deadline < today:
            outcome.overdue += 1
        issue.days_to_resolve = days_between(issue.created_at, issue.verified_at)
        issue.days_overdue = (today - issue.deadline).days if issue.is_overdue else None
        if issue.days_to_resolve is not None:
            outcome.days_to_resolve.append(issue.days_to_resolve)
    scales = AssessmentPoint.objects.filter(key_indicator__area__framework_version__cycles__in=cycles).values(
        "rating_scale"
    )
    max_value = RatingLevel.objects.filter(scale__in=scales).aggregate(top=Max("value"))["top"] or 4
    return Trajectory(
        cycles=cycles,
        issues=issues,
        outcomes=[by_cycle[c.pk] for c in reversed(cycles) if by_cycle[c.pk].opened],
        areas=[name for name, _order in sorted(areas.items(), key=lambda item: item[1])],
        averages=averages,
        counts=counts,
        max_value=max_value,
    )
