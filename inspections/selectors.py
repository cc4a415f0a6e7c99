"""Reads that pages need beyond a model's own queryset methods: rows put side by side, counts
per status, overview aggregates. A function given a user starts from `restrict`/`visible_to`,
so it never shows more than that user may see; one given rows or a record builds on what the
page already found in the user's scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery

from kindergartens.models import Subdistrict

from .choices import OPEN_UNLICENSED_STATUSES, AssessmentStatus, CaseStatus, ConductCaseKind
from .models import (
    ConductCase,
    CycleAssignment,
    EvaluationTeam,
    ExternalEvaluation,
    ExternalRating,
    FrameworkVersion,
    SelfAssessment,
    SelfAssessmentRating,
    UnlicensedCase,
)
from .services.evaluations import assignable_assignments

# --- a self-assessment's versions side by side ------------------------------------------------------


def versions_of(assessment: SelfAssessment, user) -> list[SelfAssessment]:
    """Every version of the kindergarten's self-assessment in the assessment's cycle that `user`
    may see, newest first."""
    return list(
        SelfAssessment.objects.visible_to(user)
        .filter(kindergarten_id=assessment.kindergarten_id, cycle_id=assessment.cycle_id)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-version")
    )


def version_rows(version: FrameworkVersion, versions: list[SelfAssessment]) -> list[dict]:
    """One row per point of the handbook version: its rating in each of `versions` (None where
    unrated) and whether level or note changed between them: one query for the ratings."""
    ratings = {
        (r.assessment_id, r.point_id): r
        for r in SelfAssessmentRating.objects.filter(assessment__in=versions).select_related("level")
    }
    rows = []
    for area in version.structure():
        for indicator in area.indicator_list:
            for point in indicator.point_list:
                cells = [ratings.get((v.pk, point.pk)) for v in versions]
                levels = {c.level_id if c else None for c in cells}
                notes = {c.evidence_note if c else "" for c in cells}
                rows.append(
                    {
                        "point": point,
                        "indicator": indicator,
                        "cells": cells,
                        "changed": len(levels) > 1 or len(notes) > 1,
                    }
                )
    return rows


# --- assigning kindergartens to a team --------------------------------------------------------------


def team_candidates(
    team: EvaluationTeam,
    *,
    subdistrict: Subdistrict | None = None,
    planned_year: int | None = None,
    q: str | None = None,
) -> models.QuerySet[CycleAssignment]:
    """The plan rows of the team's cycle it may be given, each with `current_team` (the team that
    has the kindergarten now, if any), narrowed by sub-district, planned year and name or code."""
    current_team = ExternalEvaluation._base_manager.filter(
        kindergarten=OuterRef("kindergarten"), cycle=team.cycle
    ).values("team__name")[:1]
    rows = (
        assignable_assignments(team.cycle, team)
        .select_related("kindergarten__subdistrict")
        .annotate(current_team=Subquery(current_team))
        .order_by("planned_year", "kindergarten__subdistrict__code", "kindergarten__code")
    )
    if subdistrict:
        rows = rows.filter(kindergarten__subdistrict=subdistrict)
    if planned_year:
        rows = rows.filter(planned_year=planned_year)
    if q and q.strip():
        q = q.strip()
        rows = rows.filter(Q(kindergarten__name__icontains=q) | Q(kindergarten__code__icontains=q))
    return rows


# --- self-rating beside external rating (the comparison page) -------------------------------------------------------------------


@dataclass
class ComparisonRow:
    point: object
    indicator: object
    own: SelfAssessmentRating | None
    external: ExternalRating | None

    @property
    def own_value(self) -> int | None:
        return self.own.level.value if self.own and self.own.level_id else None

    @property
    def external_value(self) -> int | None:
        return self.external.level.value if self.external and self.external.level_id else None

    @property
    def difference(self) -> int | None:
        """External minus self: positive when the evaluators rated higher than the kindergarten."""
        if self.own_value is None or self.external_value is None:
            return None
        return self.external_value - self.own_value

    @property
    def differs(self) -> bool:
        return self.difference is not None and abs(self.difference) >= 1

    @property
    def big(self) -> bool:
        return self.difference is not None and abs(self.difference) >= 2

    @property
    def direction(self) -> str:
        """ "higher" when the evaluators rated above the self-rating, "lower" below, "" otherwise."""
        return _direction(self.difference)


def _direction(difference: float | None) -> str:
    if not difference:
        return ""
    return "higher" if difference > 0 else "lower"


def average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class ComparisonArea:
    area: object
    rows: list[ComparisonRow] = field(default_factory=list)

    @property
    def own_average(self) -> float | None:
        return average([r.own_value for r in self.rows if r.own_value is not None])

    @property
    def external_average(self) -> float | None:
        return average([r.external_value for r in self.rows if r.external_value is not None])

    @property
    def difference(self) -> float | None:
        if self.own_average is None or self.external_average is None:
            return None
        return round(self.external_average - self.own_average, 2)

    @property
    def direction(self) -> str:
        return _direction(self.difference)

    @property
    def differing(self) -> int:
        return sum(1 for r in self.rows if r.differs)


def compared_self_assessment(evaluation: ExternalEvaluation, user) -> SelfAssessment | None:
    """The kindergarten's latest submitted or accepted self-assessment of the evaluation's cycle."""
    return (
        SelfAssessment.objects.visible_to(user)
        .filter(
            kindergarten_id=evaluation.kindergarten_id,
            cycle_id=evaluation.cycle_id,
            status__in=[AssessmentStatus.ACCEPTED, AssessmentStatus.SUBMITTED],
        )
        .order_by("-version")
        .first()
    )


def comparison_summary(areas: list[ComparisonArea]) -> dict:
    """The page's headline figures over every compared point: how many differ (and which way),
    and both averages."""
    rows = [r for a in areas for r in a.rows]
    return {
        "differing": sum(1 for r in rows if r.differs),
        "higher": sum(1 for r in rows if r.differs and r.difference > 0),
        "lower": sum(1 for r in rows if r.differs and r.difference < 0),
        "total": len(rows),
        "own_average": average([r.own_value for r in rows if r.own_value is not None]),
        "external_average": average([r.external_value for r in rows if r.external_value is not None]),
    }


def comparison(evaluation: ExternalEvaluation, self_assessment: SelfAssessment | None) -> list[ComparisonArea]:
    """Per area, every point with both ratings. Five queries, however many points."""
    external = {r.point_id: r for r in ExternalRating.objects.filter(evaluation=evaluation).select_related("level")}
    own = {}
    if self_assessment is not None:
        own = {
            r.point_id: r
            for r in SelfAssessmentRating.objects.filter(assessment=self_assessment).select_related("level")
        }
    areas = []
    for area in evaluation.framework_version.structure():
        block = ComparisonArea(area=area)
        for indicator in area.indicator_list:
            for point in indicator.point_list:
                block.rows.append(ComparisonRow(point, indicator, own.get(point.pk), external.get(point.pk)))
        areas.append(block)
    return areas


# --- enforcement: the tables above the case lists ---------------------------------------------------


def open_cases_by_subdistrict(user) -> list[dict]:
    """The "dynamic zero" table: open unlicensed cases per sub-district the user may see (target 0).

    Two queries whatever the number of cases: one GROUP BY over the cases, one for the sub-districts.
    """
    counts = dict(
        UnlicensedCase.objects.visible_to(user)
        .filter(status__in=OPEN_UNLICENSED_STATUSES)
        .values("subdistrict")
        .annotate(n=Count("pk"))
        .values_list("subdistrict", "n")
        .order_by()
    )
    return [
        {"pk": pk, "name": name, "open": counts.get(pk, 0)}
        for pk, name in Subdistrict.objects.visible_to(user).order_by("code").values_list("pk", "name")
    ]


def conduct_counts(user) -> tuple[list[dict], dict]:
    """Cases per sub-district and kind (open / all), one GROUP BY over what the user may see."""
    kinds = [code for code, _label in ConductCaseKind.choices]
    rows: dict[int, dict] = {}
    totals = {code: {"open": 0, "total": 0} for code in kinds}
    grouped = (
        ConductCase.objects.visible_to(user)
        .values("subdistrict", "subdistrict__name", "subdistrict__code", "kind")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status=CaseStatus.OPEN)))
        .order_by("subdistrict__code", "kind")
    )
    for row in grouped:
        entry = rows.setdefault(
            row["subdistrict"],
            {"pk": row["subdistrict"], "name": row["subdistrict__name"], "cells": defaultdict(dict)},
        )
        entry["cells"][row["kind"]] = {"open": row["open"], "total": row["total"]}
        totals[row["kind"]]["open"] += row["open"]
        totals[row["kind"]]["total"] += row["total"]
    table = [
        {**entry, "cells": [entry["cells"].get(code, {"open": 0, "total": 0}) for code in kinds]}
        for entry in rows.values()
    ]
    return table, {"cells": [totals[code] for code in kinds]}
