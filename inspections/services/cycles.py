"""Writes to the three-year cycle: creating cycles, assigning kindergartens a year, adjusting one."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.permissions import Act
from kindergartens.models import Kindergarten

from ..choices import AssessmentStatus
from ..models import CycleAssignment, EvaluationCycle, FrameworkVersion, SelfAssessment
from .common import ensure_may, validated_save


@transaction.atomic
def evaluation_cycle_create(
    *,
    name: str,
    start_year: int,
    framework_version: FrameworkVersion,
    user: User | None,
    due_month: int = 6,
    due_day: int = 30,
) -> EvaluationCycle:
    ensure_may(user, Act.MANAGE)
    cycle = EvaluationCycle(
        name=name.strip(),
        start_year=start_year,
        framework_version=framework_version,
        due_month=due_month,
        due_day=due_day,
        created_by=user,
    )
    return validated_save(cycle, user)


@transaction.atomic
def evaluation_cycle_update(
    *,
    cycle: EvaluationCycle,
    user: User | None,
    name: str,
    framework_version: FrameworkVersion,
    due_month: int,
    due_day: int,
) -> EvaluationCycle:
    """Renames the cycle or changes its rules; the start year is fixed once the cycle exists."""
    ensure_may(user, Act.MANAGE)
    cycle = EvaluationCycle._base_manager.select_for_update().get(pk=cycle.pk)
    cycle.name = name.strip()
    cycle.framework_version = framework_version
    cycle.due_month = due_month
    cycle.due_day = due_day
    return validated_save(cycle, user)


@transaction.atomic
def cycle_assign_kindergartens(*, cycle: EvaluationCycle, user: User | None) -> int:
    """Puts every licensed kindergarten and community point not yet in the plan into one year.

    Kindergartens already in the plan keep their year (the bureau may have moved them). New
    ones go, sub-district by sub-district, to the year with the fewest kindergartens of their
    sub-district, ties broken by the district-wide count and then the earlier year — so each
    sub-district's load is spread evenly over the three years. Returns how many were added.
    """
    ensure_may(user, Act.MANAGE)
    cycle = EvaluationCycle._base_manager.select_for_update().get(pk=cycle.pk)
    years = cycle.years
    per_subdistrict: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(years, 0))
    district = dict.fromkeys(years, 0)
    counts = (
        CycleAssignment._base_manager.filter(cycle=cycle)
        .values("kindergarten__subdistrict_id", "planned_year")
        .annotate(n=Count("id"))
    )
    for row in counts:
        per_subdistrict[row["kindergarten__subdistrict_id"]][row["planned_year"]] += row["n"]
        district[row["planned_year"]] += row["n"]

    unassigned = (
        Kindergarten.objects.operating()
        .exclude(Exists(CycleAssignment._base_manager.filter(cycle=cycle, kindergarten=OuterRef("pk"))))
        .order_by("subdistrict__code", "code")
        .values_list("pk", "subdistrict_id")
    )
    assignments = []
    for kindergarten_id, subdistrict_id in unassigned:
        load = per_subdistrict[subdistrict_id]
        year = min(years, key=lambda y: (load[y], district[y], y))
        load[year] += 1
        district[year] += 1
        assignment = CycleAssignment(
            cycle=cycle,
            kindergarten_id=kindergarten_id,
            planned_year=year,
            self_assessment_due=cycle.due_date_for(year),
        )
        # Cycle and kindergarten come from the database just now: skip the per-row FK queries.
        assignment.full_clean(exclude=["cycle", "kindergarten"], validate_unique=False)
        assignments.append(assignment)
    if assignments:
        bulk_create_with_history(assignments, CycleAssignment, default_user=user, batch_size=500)
    return len(assignments)


@transaction.atomic
def cycle_assignment_update(
    *,
    assignment: CycleAssignment,
    user: User | None,
    planned_year: int,
    self_assessment_due: datetime.date | None = None,
    note: str = "",
) -> CycleAssignment:
    """Moves a kindergarten to another year of the cycle; without a due date, the cycle's rule
    gives one for the new year. A self-assessment still in draft follows the new due date."""
    ensure_may(user, Act.MANAGE)
    assignment = CycleAssignment._base_manager.select_for_update().select_related("cycle").get(pk=assignment.pk)
    assignment.planned_year = planned_year
    assignment.self_assessment_due = self_assessment_due or assignment.cycle.due_date_for(planned_year)
    assignment.note = note.strip()
    validated_save(assignment, user)
    for draft in SelfAssessment._base_manager.filter(
        kindergarten_id=assignment.kindergarten_id, cycle_id=assignment.cycle_id, status=AssessmentStatus.DRAFT
    ):
        if draft.due_date != assignment.self_assessment_due:
            draft.due_date = assignment.self_assessment_due
            validated_save(draft, user)
    return assignment
