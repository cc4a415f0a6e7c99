"""Reads of principals' development, in SQL: the stage on a day, credits earned in a year against
the stage's requirement, and the dual-certificate check. The pages, the API and the indicators
(`staff.indicators_development`) share these annotations, so a rule changes in one place.

Terms
-----
- A *principal* is a post (`StaffMember`) whose role is 园长 or 副园长 (`PRINCIPAL_ROLES`), held
  on the day in question.
- The *stage* on a day is the person's latest `CareerStageRecord` starting on or before it.
- *Credits* of a year are the credits of the person's training records attended that calendar
  year; the *requirement* is the `CreditRequirement` of the stage in force on the day. Someone
  without a recorded stage has no requirement and counts as not completing.
- *Dual certificate* (双证上岗): a principal whose post began within the plan period (the
  `PlanPeriod` the day falls in) holds, on the day, both a valid principal certificate and a
  valid teacher qualification. The post's `hired_on` is the appointment date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from common.sql import Statement
from inspections.choices import ResultGrade
from inspections.results import with_latest_result
from kindergartens.models import Kindergarten

from .choices import PRINCIPAL_ROLES, CertificateKind
from .models import CareerStageRecord, Certificate, CreditRequirement, Pairing, PlanPeriod, StaffMember, TrainingRecord

CREDITS = DecimalField(max_digits=7, decimal_places=1)


def stage_on(day: datetime.date, person_ref: str = "person") -> Subquery:
    latest = CareerStageRecord.objects.filter(person=OuterRef(person_ref), since__lte=day)
    return Subquery(latest.order_by("-since", "-pk").values("stage")[:1])


def credits_in(year: int, person_ref: str = "person") -> Subquery:
    earned = (
        TrainingRecord.objects.filter(person=OuterRef(person_ref), attended_on__year=year)
        .values("person")
        .annotate(total=Sum("credits"))
        .values("total")
    )
    return Subquery(earned, output_field=CREDITS)


def principal_posts(day: datetime.date) -> QuerySet[StaffMember]:
    return StaffMember.objects.on(day).filter(role__in=PRINCIPAL_ROLES)


def with_credits(posts: QuerySet[StaffMember], year: int, day: datetime.date) -> QuerySet[StaffMember]:
    """Annotates ``stage``, ``credits`` (0 when none), ``required`` (None without a stage) and ``completed``."""
    required = CreditRequirement.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day, stage=OuterRef("stage")
    ).order_by("-valid_from")
    return (
        posts.annotate(
            stage=stage_on(day),
            credits=Coalesce(credits_in(year), Value(Decimal(0)), output_field=CREDITS),
        )
        .annotate(required=Subquery(required.values("credits")[:1], output_field=CREDITS))
        # Without a requirement (no stage) the comparison is NULL, so not completed: no separate
        # test, which would write the stage and requirement subqueries into the statement again.
        .annotate(completed=Case(When(credits__gte=F("required"), then=Value(True)), default=Value(False)))
    )


def credit_joins(year: int, day: datetime.date, person: str) -> tuple[Statement, str]:
    """`with_credits`' ``completed`` for many posts at once: LEFT JOINs giving each row its person's
    (the column `person`) stage on `day`, that stage's requirement and the credits of `year`, each
    worked out once per person, and the condition that reads them ((SQL, parameters), condition).

    The same rules as `with_credits`: the latest stage record on or before `day` (by date, then by
    id), the latest requirement of that stage in force on `day`, no requirement (no stage) never
    completed. Per post, its correlated subqueries ran 380,000 times at national scale (4.4 s; joined,
    2.8 s; with the principals' posts read from their own index, 2.0 s: docs/benchmarks.md).
    """
    latest_stage = Window(RowNumber(), partition_by=F("person"), order_by=(F("since").desc(), F("pk").desc()))
    stages = CareerStageRecord.objects.filter(since__lte=day).order_by().annotate(n=latest_stage)
    stage_sql, stage_params = stages.values("person_id", "stage", "n").query.sql_with_params()
    latest_version = Window(RowNumber(), partition_by=F("stage"), order_by=F("valid_from").desc())
    in_force = CreditRequirement.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
    required_sql, required_params = (
        in_force.order_by().annotate(n=latest_version).values("stage", "credits", "n").query.sql_with_params()
    )
    # Only the principals' training: a district's teachers attend many times more.
    earned = TrainingRecord.objects.filter(attended_on__year=year, person__in=principal_posts(day).values("person_id"))
    earned_sql, earned_params = (
        earned.order_by().values("person_id").annotate(total=Sum("credits")).query.sql_with_params()
    )
    joins = (
        f" LEFT JOIN (SELECT person_id, stage FROM ({stage_sql}) s WHERE n = 1) stage_now"
        f" ON stage_now.person_id = {person}"
        f" LEFT JOIN (SELECT stage, credits FROM ({required_sql}) r WHERE n = 1) required_now"
        " ON required_now.stage = stage_now.stage"
        f" LEFT JOIN ({earned_sql}) earned ON earned.person_id = {person}"
    )
    completed = "COALESCE(earned.total, 0) >= required_now.credits"
    return (joins, (*stage_params, *required_params, *earned_params)), completed


def credit_year_end(year: int, today: datetime.date) -> datetime.date:
    """The day a year's credits are judged on: its last day, or today while the year runs."""
    return min(datetime.date(year, 12, 31), today)


def _holds(kind: str, day: datetime.date) -> Exists:
    return Exists(Certificate.objects.valid_on(day).filter(person=OuterRef("person"), kind=kind))


def appointed_in_period(day: datetime.date) -> tuple[PlanPeriod | None, QuerySet[StaffMember]]:
    """The plan period and the principals on `day` appointed within it (up to `day`)."""
    period = PlanPeriod.for_day(day)
    if period is None:
        return None, StaffMember.objects.none()
    return period, principal_posts(day).filter(appointed_condition(period, day))


def appointed_condition(period: PlanPeriod | None, day: datetime.date) -> Q:
    """Principal posts that began within `period` (up to `day`); none without a period."""
    if period is None:
        return Q(pk__isnull=True)  # no post
    return Q(role__in=PRINCIPAL_ROLES, hired_on__gte=period.starts_on, hired_on__lte=min(period.ends_on, day))


# 双证: the certificates a principal appointed within the plan period must both hold.
DUAL_KINDS = (CertificateKind.PRINCIPAL, CertificateKind.TEACHER)


def dual_condition(day: datetime.date, holds: Callable[[str], Q] | None = None) -> Q:
    """Posts whose person holds, valid on `day`, every certificate of `DUAL_KINDS` (`holds` gives
    the test of one kind, as in `staff.selectors.certified_condition`)."""
    holds = holds or (lambda kind: Q(_holds(kind, day)))
    condition = Q()
    for kind in DUAL_KINDS:
        condition &= holds(kind)
    return condition


def with_certificates(posts: QuerySet[StaffMember], day: datetime.date) -> QuerySet[StaffMember]:
    """Annotates ``has_principal_certificate``, ``has_teacher_certificate`` and ``dual``."""
    held = {f"has_{kind}_certificate": _holds(kind, day) for kind in DUAL_KINDS}
    dual = dual_condition(day, holds=lambda kind: Q(**{f"has_{kind}_certificate": True}))  # read, not tested again
    return posts.annotate(**held).annotate(dual=Case(When(dual, then=Value(True)), default=Value(False)))


# --- pairing: strong and weaker kindergartens from the published quality-evaluation results -----

# A suggestion, not a rule: "weaker" reads the latest published grade 合格 or 不合格, "strong" 优秀.
WEAKER_GRADES = (ResultGrade.QUALIFIED, ResultGrade.UNQUALIFIED)
STRONG_GRADES = (ResultGrade.EXCELLENT,)


def pairing_candidates(kindergartens: QuerySet[Kindergarten], grades: tuple[str, ...]) -> QuerySet[Kindergarten]:
    """Operating kindergartens whose latest published result has one of `grades` and that are not
    already in an active pairing on that side (annotated ``latest_grade``, ``latest_cycle_name``)."""
    side = "weak" if grades == WEAKER_GRADES else "strong"
    taken = Pairing.objects.active().values(side)
    return (
        with_latest_result(kindergartens.operating())
        .filter(latest_grade__in=grades)
        .exclude(pk__in=taken)
        .select_related("subdistrict")
        .order_by("subdistrict__code", "code")
    )
