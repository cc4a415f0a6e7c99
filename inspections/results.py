"""Use of results: the read side of supervisory evaluations, as database aggregates.

Only a *published* external evaluation is a result: drafts and evaluations waiting for the
bureau's approval never count here. Everything a signed-in user sees is first narrowed by
`restrict(user)` (the caller passes the user); the public pages use `public_kindergartens()`
and `published_results()` instead, which hold only what may be shown to anybody.

- `overview(user, cycle)`: grade distribution per sub-district, per ownership (公办/民办) and per
  sponsor type, with the evaluation coverage (`inspections.coverage`, the one definition) and the
  cycle's open and overdue issues: three GROUP BY queries per breakdown, whatever the size.
- `result_rows(user, cycle)`: one row per kindergarten with a published result in the cycle,
  with its open and overdue issue counts (subqueries), for the xlsx export and the API.
- `kindergarten_quality(user, kindergarten)`: the "质量评估" section of a kindergarten's page.
- `latest_result_subquery(field)`: the latest published result per kindergarten, as a
  subquery to annotate kindergarten lists with.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindergartens.choices import PUBLIC_SPONSORS, LicenceStatus, Ownership, SponsorType
from kindergartens.models import Kindergarten

from .choices import EvaluationStatus, IssueStatus, ResultGrade
from .coverage import Coverage, coverage_annotations
from .models import CycleAssignment, EvaluationCycle, ExternalEvaluation, QualityIssue, SelfAssessment

if TYPE_CHECKING:
    from accounts.models import User

GRADES: tuple[str, ...] = tuple(ResultGrade.values)  # best first: 优秀, 良好, 合格, 不合格

# Kindergartens the public pages show: those that operate or are suspended. Closed ones (已撤销)
# and unlicensed ones (无证园, enforcement cases rather than registered kindergartens) are not
# published; their public page is a 404.
PUBLIC_LICENCE_STATUSES = (LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT, LicenceStatus.SUSPENDED)

BY_SUBDISTRICT, BY_OWNERSHIP, BY_SPONSOR = "subdistrict", "ownership", "sponsor_type"
BREAKDOWNS = (BY_SUBDISTRICT, BY_OWNERSHIP, BY_SPONSOR)


def ownership_expression(kindergarten_path: str = "kindergarten") -> Case:
    """公办/民办 computed by the database from the sponsor type (the model's `ownership` is a property)."""
    return Case(
        When(**{f"{kindergarten_path}__sponsor_type__in": list(PUBLIC_SPONSORS)}, then=Value(Ownership.PUBLIC)),
        default=Value(Ownership.PRIVATE),
        output_field=models.CharField(),
    )


# --- the district overview ---------------------------------------------------------------------


@dataclass
class ResultRow:
    """One line of the overview: a sub-district, an ownership or a sponsor type (or the total)."""

    key: str
    label: str
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    evaluated: int = 0
    planned: int = 0
    covered: int = 0  # planned kindergartens evaluated, by the coverage's one definition
    open_issues: int = 0
    overdue_issues: int = 0

    @property
    def grade_counts(self) -> list[int]:
        return [self.grades[g] for g in GRADES]

    @property
    def grade_items(self) -> list[tuple[str, str, int]]:
        """(grade, label, count) for each grade, best first."""
        return [(g, str(ResultGrade(g).label), self.grades[g]) for g in GRADES]

    @property
    def coverage(self) -> Coverage:
        """The cycle's evaluation coverage (`inspections.coverage`: the one definition every page shows).

        Not ``evaluated / planned``: `evaluated` counts published results (the grades), while a
        kindergarten is covered by an accepted self-assessment too.
        """
        return Coverage(evaluated=self.covered, planned=self.planned)

    @property
    def good_or_better(self) -> int | None:
        """Per cent of the results graded 优秀 or 良好, cut, not rounded."""
        if not self.evaluated:
            return None
        return (self.grades[ResultGrade.EXCELLENT] + self.grades[ResultGrade.GOOD]) * 100 // self.evaluated

    def add(self, other: ResultRow) -> None:
        for grade in GRADES:
            self.grades[grade] += other.grades[grade]
        self.evaluated += other.evaluated
        self.planned += other.planned
        self.covered += other.covered
        self.open_issues += other.open_issues
        self.overdue_issues += other.overdue_issues


def _grouped(queryset: models.QuerySet, by: str, path: str) -> tuple[models.QuerySet, list[str]]:
    """`queryset` grouped by the breakdown; `path` leads from its model to the kindergarten."""
    if by == BY_SUBDISTRICT:
        keys = [f"{path}__subdistrict_id", f"{path}__subdistrict__name", f"{path}__subdistrict__code"]
        return queryset.values(*keys), keys
    if by == BY_OWNERSHIP:
        return queryset.annotate(result_ownership=ownership_expression(path)).values("result_ownership"), [
            "result_ownership"
        ]
    if by == BY_SPONSOR:
        return queryset.values(f"{path}__sponsor_type"), [f"{path}__sponsor_type"]
    raise ValueError(by)


def grade_distribution(evaluations: models.QuerySet, by: str) -> list[dict]:
    """Published results counted per grade, one row per group (GROUP BY in the database)."""
    grouped, keys = _grouped(evaluations.published(), by, "kindergarten")
    counts = {grade: Count("id", filter=Q(grade=grade)) for grade in GRADES}
    return list(grouped.annotate(evaluated=Count("id"), **counts).order_by(*keys))


def planned_counts(assignments: models.QuerySet, by: str) -> list[dict]:
    grouped, keys = _grouped(assignments, by, "kindergarten")
    return list(grouped.annotate(**coverage_annotations()).order_by(*keys))


def issue_counts(issues: models.QuerySet, by: str, today: datetime.date) -> list[dict]:
    grouped, keys = _grouped(issues.unresolved(), by, "kindergarten")
    return list(
        grouped.annotate(open_issues=Count("id"), overdue_issues=Count("id", filter=Q(deadline__lt=today))).order_by(
            *keys
        )
    )


def _key_and_label(row: dict, by: str) -> tuple[str, str, str]:
    """(key, label, sort key) of a grouped row."""
    if by == BY_SUBDISTRICT:
        return (
            str(row["kindergarten__subdistrict_id"]),
            row["kindergarten__subdistrict__name"],
            row["kindergarten__subdistrict__code"],
        )
    if by == BY_OWNERSHIP:
        value = row["result_ownership"]
        return value, str(Ownership(value).label), str(Ownership.values.index(value))
    value = row["kindergarten__sponsor_type"]
    return value, str(SponsorType(value).label), f"{SponsorType.values.index(value):02d}"


@dataclass
class Overview:
    cycle: EvaluationCycle | None
    breakdowns: dict[str, list[ResultRow]]
    total: ResultRow

    @property
    def by_subdistrict(self) -> list[ResultRow]:
        return self.breakdowns[BY_SUBDISTRICT]

    @property
    def by_ownership(self) -> list[ResultRow]:
        return self.breakdowns[BY_OWNERSHIP]

    @property
    def by_sponsor_type(self) -> list[ResultRow]:
        return self.breakdowns[BY_SPONSOR]


def breakdown(
    *, evaluations: models.QuerySet, assignments: models.QuerySet, issues: models.QuerySet, by: str, today
) -> list[ResultRow]:
    """Grades, planned kindergartens and open/overdue issues per group, merged into rows."""
    rows: dict[str, ResultRow] = {}
    order: dict[str, str] = {}

    def row_for(data: dict) -> ResultRow:
        key, label, sort_key = _key_and_label(data, by)
        order[key] = sort_key
        return rows.setdefault(key, ResultRow(key=key, label=label))

    for data in grade_distribution(evaluations, by):
        row = row_for(data)
        row.evaluated = data["evaluated"]
        row.grades = {grade: data[grade] for grade in GRADES}
    for data in planned_counts(assignments, by):
        row = row_for(data)
        row.planned, row.covered = data["coverage_planned"], data["coverage_evaluated"]
    for data in issue_counts(issues, by, today):
        row = row_for(data)
        row.open_issues, row.overdue_issues = data["open_issues"], data["overdue_issues"]
    return [rows[key] for key in sorted(rows, key=order.__getitem__)]


def overview(
    user: User, cycle: EvaluationCycle | None, *, subdistrict=None, today: datetime.date | None = None
) -> Overview:
    """The district overview of one cycle within the user's scope (optionally one sub-district).

    Nine GROUP BY queries (three measures × three breakdowns), whatever the number of rows.
    """
    today = today or timezone.localdate()
    evaluations = ExternalEvaluation.objects.restrict(user).filter(cycle=cycle)
    assignments = CycleAssignment.objects.restrict(user).filter(cycle=cycle)
    issues = QualityIssue.objects.restrict(user).filter(cycle=cycle)
    if subdistrict is not None:
        evaluations = evaluations.filter(kindergarten__subdistrict=subdistrict)
        assignments = assignments.filter(kindergarten__subdistrict=subdistrict)
        issues = issues.filter(kindergarten__subdistrict=subdistrict)
    breakdowns = {
        by: breakdown(evaluations=evaluations, assignments=assignments, issues=issues, by=by, today=today)
        if cycle is not None
        else []
        for by in BREAKDOWNS
    }
    total = ResultRow(key="total", label=str(_("合计")))
    for row in breakdowns[BY_OWNERSHIP]:
        total.add(row)
    return Overview(cycle=cycle, breakdowns=breakdowns, total=total)


# --- one row per evaluated kindergarten (export, API) ---------------------------------------------


def _issue_count(*, overdue: bool, today: datetime.date) -> Coalesce:
    """Unresolved issues of the evaluation's kindergarten in the evaluation's cycle (a subquery)."""
    issues = QualityIssue._base_manager.filter(
        kindergarten=OuterRef("kindergarten"),
        cycle=OuterRef("cycle"),
        status__in=[IssueStatus.OPEN, IssueStatus.REPORTED],
    )
    if overdue:
        issues = issues.filter(deadline__lt=today)
    count = issues.order_by().values("kindergarten").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def with_issue_counts(evaluations: models.QuerySet, today: datetime.date | None = None) -> models.QuerySet:
    today = today or timezone.localdate()
    return evaluations.annotate(
        open_issues=_issue_count(overdue=False, today=today),
        overdue_issues=_issue_count(overdue=True, today=today),
    )


def result_rows(user: User, cycle: EvaluationCycle | None = None, *, subdistrict=None) -> models.QuerySet:
    """Published results in the user's scope (of one cycle, if given), one per kindergarten and
    cycle, with the kindergarten, sub-district and cycle joined and the issue counts annotated."""
    evaluations = ExternalEvaluation.objects.restrict(user).published()
    if cycle is not None:
        evaluations = evaluations.filter(cycle=cycle)
    if subdistrict is not None:
        evaluations = evaluations.filter(kindergarten__subdistrict=subdistrict)
    return with_issue_counts(
        evaluations.select_related("kindergarten__subdistrict", "cycle").annotate(
            result_ownership=ownership_expression()
        )
    ).order_by("-cycle__start_year", "kindergarten__subdistrict__code", "kindergarten__code")


# --- the latest published result per kindergarten --------------------------------------------------


def latest_result_subquery(field_name: str, kindergarten_ref: str = "pk") -> Subquery:
    """A field of the kindergarten's latest published result (newest cycle), for annotations."""
    latest = ExternalEvaluation._base_manager.filter(
        kindergarten=OuterRef(kindergarten_ref), status=EvaluationStatus.PUBLISHED
    ).order_by("-cycle__start_year", "-published_at")
    return Subquery(latest.values(field_name)[:1])


def with_latest_result(kindergartens: models.QuerySet) -> models.QuerySet:
    """Annotates latest_grade, latest_cycle_name and latest_published_at (None when never published)."""
    return kindergartens.annotate(
        latest_grade=latest_result_subquery("grade"),
        latest_cycle_name=latest_result_subquery("cycle__name"),
        latest_published_at=latest_result_subquery("published_at"),
    )


def public_kindergartens() -> models.QuerySet:
    """Kindergartens that have a public page, with their latest published result annotated."""
    return with_latest_result(
        Kindergarten.objects.filter(licence_status__in=PUBLIC_LICENCE_STATUSES).select_related("subdistrict")
    )


def published_results(kindergarten: Kindergarten) -> models.QuerySet:
    """A kindergarten's published results, newest cycle first: what the public page may show."""
    return (
        ExternalEvaluation._base_manager.filter(kindergarten=kindergarten, status=EvaluationStatus.PUBLISHED)
        .select_related("cycle")
        .only("id", "grade", "visit_date", "published_at", "summary", "cycle__name", "cycle__start_year")
        .order_by("-cycle__start_year")
    )


# --- a kindergarten's page -----------------------------------------------------------------------

ISSUES_SHOWN = 5


@dataclass
class KindergartenQuality:
    latest: ExternalEvaluation | None
    cycle: EvaluationCycle | None
    assignment: CycleAssignment | None
    self_assessment: SelfAssessment | None
    open_issues: int
    overdue_issues: int
    issues: list[QualityIssue]


def kindergarten_quality(
    user: User, kindergarten: Kindergarten, today: datetime.date | None = None
) -> KindergartenQuality:
    """The latest published result, the current cycle's self-assessment and the open issues of
    one kindergarten, as far as the user may see them: about six queries, whatever the data."""
    today = today or timezone.localdate()
    latest = (
        ExternalEvaluation.objects.restrict(user)
        .published()
        .filter(kindergarten=kindergarten)
        .select_related("cycle")
        .order_by("-cycle__start_year", "-published_at")
        .first()
    )
    cycle = EvaluationCycle.objects.current(today)
    assignment = self_assessment = None
    if cycle is not None:
        assignment = CycleAssignment.objects.restrict(user).filter(cycle=cycle, kindergarten=kindergarten).first()
        self_assessment = (
            SelfAssessment.objects.restrict(user)
            .filter(cycle=cycle, kindergarten=kindergarten)
            .latest_versions()
            .order_by("-version")
            .first()
        )
    issues = QualityIssue.objects.restrict(user).filter(kindergarten=kindergarten).unresolved()
    counts = issues.aggregate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    shown = list(issues.select_related("point__key_indicator").order_by("deadline", "pk")[:ISSUES_SHOWN])
    return KindergartenQuality(
        latest=latest,
        cycle=cycle,
        assignment=assignment,
        self_assessment=self_assessment,
        open_issues=counts["open"],
        overdue_issues=counts["overdue"],
        issues=shown,
    )
