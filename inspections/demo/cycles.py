"""The demo cycle: the current three-year cycle on the demo handbook (the year before this one
is its first year), every licensed kindergarten and community point assigned to a year,
balanced per sub-district; the demo director's kindergarten planned for this year, due in a
month, with nothing started."""

from __future__ import annotations

import datetime

from accounts.models import User

from .. import services
from ..models import CycleAssignment, EvaluationCycle, FrameworkVersion, SelfAssessment


def seed_cycle(
    handbook: FrameworkVersion, bureau: User, today: datetime.date, demo_director: User | None
) -> tuple[EvaluationCycle, int]:
    """The current cycle (created if missing) and how many kindergartens were newly assigned."""
    cycle = EvaluationCycle.objects.current(today)
    if cycle is None or not cycle.end_year >= today.year:
        start = today.year - 1
        cycle = services.evaluation_cycle_create(
            name=f"{start}—{start + 2} 年督导评估周期", start_year=start, framework_version=handbook, user=bureau
        )
    added = services.cycle_assign_kindergartens(cycle=cycle, user=bureau)

    # The demo director's kindergarten: this year, due in a month, nothing started.
    if demo_director is not None and demo_director.kindergarten_id:
        assignment = CycleAssignment.objects.filter(cycle=cycle, kindergarten_id=demo_director.kindergarten_id).first()
        untouched = not SelfAssessment.objects.filter(
            cycle=cycle, kindergarten_id=demo_director.kindergarten_id
        ).exists()
        if assignment is not None and untouched and assignment.planned_year != today.year:
            services.cycle_assignment_update(
                assignment=assignment,
                user=bureau,
                planned_year=today.year,
                self_assessment_due=today + datetime.timedelta(days=30),
            )
    return cycle, added
