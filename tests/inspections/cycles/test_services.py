"""The three-year cycle plan: every licensed kindergarten once, balanced per sub-district, with
coverage, overdue and due-this-year counted by the database."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.models import CycleAssignment, EvaluationCycle
from kindergartens.choices import LicenceStatus
from tests.factories import KindergartenFactory, subdistrict

from ..factories import cycle, handbook, submitted

pytestmark = pytest.mark.django_db


def test_it_spans_three_years_and_refuses_overlapping_cycles(bureau_official):
    version = handbook(by=bureau_official)
    first = cycle(version=version, start_year=2024, by=bureau_official)
    assert (first.start_year, first.end_year, first.years) == (2024, 2026, [2024, 2025, 2026])
    with pytest.raises(ValidationError):
        cycle(version=version, start_year=2026, by=bureau_official)
    assert cycle(version=version, start_year=2027, by=bureau_official).end_year == 2029


def test_it_refuses_a_framework_version_without_points(bureau_official):
    from ..factories import national_framework

    with pytest.raises(ValidationError):
        services.evaluation_cycle_create(
            name="周期", start_year=2024, framework_version=national_framework(), user=bureau_official
        )


def test_it_assigns_every_licensed_kindergarten_exactly_once_balanced_per_subdistrict(bureau_official):
    wangjing, shuangjing = subdistrict("望京"), subdistrict("双井")
    licensed = KindergartenFactory.create_batch(7, subdistrict=wangjing) + KindergartenFactory.create_batch(
        4, subdistrict=shuangjing
    )
    points = KindergartenFactory.create_batch(2, subdistrict=shuangjing, licence_status=LicenceStatus.COMMUNITY_POINT)
    unlicensed = KindergartenFactory(subdistrict=wangjing, licence_status=LicenceStatus.UNLICENSED)
    closed = KindergartenFactory(subdistrict=wangjing, licence_status=LicenceStatus.CLOSED)
    evaluation_cycle = cycle(start_year=2024, by=bureau_official)

    added = services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=bureau_official)

    assigned = list(CycleAssignment.objects.filter(cycle=evaluation_cycle).values_list("kindergarten_id", flat=True))
    assert added == len(assigned) == 13
    assert sorted(assigned) == sorted(k.pk for k in licensed + points)
    assert unlicensed.pk not in assigned and closed.pk not in assigned
    per_year = lambda area: Counter(  # noqa: E731
        CycleAssignment.objects.filter(cycle=evaluation_cycle, kindergarten__subdistrict=area).values_list(
            "planned_year", flat=True
        )
    )
    assert sorted(per_year(wangjing).values()) == [2, 2, 3]
    assert sorted(per_year(shuangjing).values()) == [2, 2, 2]
    # Running it again adds nobody and moves nobody.
    before = dict(CycleAssignment.objects.values_list("kindergarten_id", "planned_year"))
    assert services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=bureau_official) == 0
    assert dict(CycleAssignment.objects.values_list("kindergarten_id", "planned_year")) == before


def test_it_lets_only_the_bureau_plan_the_cycle(bureau_official, director_a, wangjing_official):
    evaluation_cycle = cycle(by=bureau_official)
    for user in (director_a, wangjing_official):
        with pytest.raises(PermissionDenied):
            services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=user)


def test_it_moves_a_kindergarten_to_another_year_with_the_rules_due_date(bureau_official, kg_a):
    evaluation_cycle = cycle(start_year=2024, by=bureau_official)
    services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=bureau_official)
    assignment = CycleAssignment.objects.get(kindergarten=kg_a)
    services.cycle_assignment_update(assignment=assignment, user=bureau_official, planned_year=2026, note="园所改扩建")
    assignment.refresh_from_db()
    assert (assignment.planned_year, assignment.self_assessment_due) == (2026, datetime.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.cycle_assignment_update(assignment=assignment, user=bureau_official, planned_year=2027)


def test_it_counts_coverage_overdue_and_due_this_year_per_subdistrict(
    bureau_official, kg_a, kg_b, kg_c, director_a, director_b
):
    evaluation_cycle = cycle(start_year=2024, by=bureau_official)
    for kindergarten, year in ((kg_a, 2024), (kg_b, 2024), (kg_c, 2025)):
        CycleAssignment.objects.create(
            cycle=evaluation_cycle,
            kindergarten=kindergarten,
            planned_year=year,
            self_assessment_due=evaluation_cycle.due_date_for(year),
        )
    accepted = submitted(evaluation_cycle, kg_a, director_a)
    services.self_assessment_accept(assessment=accepted, user=bureau_official)
    submitted(evaluation_cycle, kg_b, director_b)  # submitted, not yet accepted

    today = datetime.date(2025, 8, 1)
    rows = {
        r["kindergarten__subdistrict__name"]: r
        for r in CycleAssignment.objects.filter(cycle=evaluation_cycle).coverage_by_subdistrict(today)
    }
    assert rows["望京"]["assigned"] == 2
    assert rows["望京"]["evaluated"] == 1
    assert rows["望京"]["overdue"] == 1  # B: planned 2024, not accepted
    assert rows["望京"]["due_this_year"] == 0
    assert rows["望京"]["self_assessment_submitted"] == 2
    assert rows["双井"]["due_this_year"] == 1
    assert rows["双井"]["self_assessment_overdue"] == 1  # C: due 2025-06-30, nothing submitted
    totals = CycleAssignment.objects.filter(cycle=evaluation_cycle).coverage_totals(today)
    assert (totals["assigned"], totals["evaluated"], totals["overdue"]) == (3, 1, 1)
    overdue = CycleAssignment.objects.overdue(today).values_list("kindergarten__code", flat=True)
    assert list(overdue) == [kg_b.code]
    assert list(CycleAssignment.objects.self_assessment_overdue(today).values_list("kindergarten", flat=True)) == [
        kg_c.pk
    ]


def test_it_finds_the_current_cycle(bureau_official):
    version = handbook(by=bureau_official)
    cycle(version=version, start_year=2021, by=bureau_official)
    later = cycle(version=version, start_year=2024, by=bureau_official)
    assert EvaluationCycle.objects.current(datetime.date(2025, 3, 1)) == later
    assert EvaluationCycle.objects.current(datetime.date(2030, 3, 1)) == later
