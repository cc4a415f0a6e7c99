"""Each check of the staffing standard at its edges (hand-computed), full-day and half-day, and the
SQL of the indicators agreeing with the Python of the page."""

import datetime

import pytest
from django.utils import timezone

from kindergartens.models import Kindergarten
from staff.choices import DayType, StaffRole
from staff.compliance import StaffFigures, evaluate, evaluate_kindergarten
from staff.models import StaffingStandard
from staff.selectors import CHECKS, with_staffing_checks
from tests.factories import KindergartenFactory

from .conftest import add_classes, add_staff, staff_to_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard():
    return StaffingStandard.objects.for_day(datetime.date(2025, 10, 1))


def met(standard, day_type=DayType.FULL_DAY, **figures) -> dict[str, bool]:
    return {r.code: r.met for r in evaluate(StaffFigures(**figures), standard=standard, day_type=day_type)}


# All staff : children — full-day 1:5–1:7 (at most 7 children per staff member), half-day 1:8–1:10.
@pytest.mark.parametrize(
    ("day_type", "staff", "children", "expected"),
    [
        (DayType.FULL_DAY, 10, 70, True),  # 1:7 exactly
        (DayType.FULL_DAY, 10, 71, False),
        (DayType.FULL_DAY, 10, 50, True),  # 1:5, richer than the band: met
        (DayType.HALF_DAY, 10, 100, True),  # 1:10 exactly
        (DayType.HALF_DAY, 10, 101, False),
        (DayType.FULL_DAY, 0, 0, True),  # no children, no staff needed
        (DayType.FULL_DAY, 0, 1, False),
    ],
)
def test_all_staff_to_children(standard, day_type, staff, children, expected):
    assert met(standard, day_type, staff_total=staff, children=children)["all_staff_ratio"] is expected


# Care-and-teaching staff : children — full-day at most 9, half-day at most 13 children each.
@pytest.mark.parametrize(
    ("day_type", "carers", "children", "expected"),
    [
        (DayType.FULL_DAY, 10, 90, True),
        (DayType.FULL_DAY, 10, 91, False),
        (DayType.HALF_DAY, 10, 130, True),
        (DayType.HALF_DAY, 10, 131, False),
    ],
)
def test_care_and_teaching_staff_to_children(standard, day_type, carers, children, expected):
    assert met(standard, day_type, carers=carers, children=children)["carer_ratio"] is expected


# Per class: full-day 2 teachers + 1 caregiver (or 3 teachers); half-day 2 teachers.
@pytest.mark.parametrize(
    ("day_type", "classes", "teachers", "caregivers", "expected"),
    [
        (DayType.FULL_DAY, 4, 8, 4, True),
        (DayType.FULL_DAY, 4, 12, 0, True),  # 3 teachers a class
        (DayType.FULL_DAY, 4, 8, 3, False),  # a caregiver short
        (DayType.FULL_DAY, 4, 7, 5, False),  # 12 carers, but a teacher short
        (DayType.HALF_DAY, 4, 8, 0, True),
        (DayType.HALF_DAY, 4, 7, 1, False),
    ],
)
def test_teachers_and_caregivers_per_class(standard, day_type, classes, teachers, caregivers, expected):
    figures = {"classes": classes, "teachers": teachers, "caregivers": caregivers, "carers": teachers + caregivers}
    assert met(standard, day_type, **figures)["per_class"] is expected


# Principals: 1 below 6 classes, up to 2 for 6–9, up to 3 for 10 or more; at least 1.
@pytest.mark.parametrize(
    ("classes", "principals", "expected"),
    [
        (5, 1, True),
        (5, 2, False),
        (6, 2, True),
        (6, 3, False),
        (9, 2, True),
        (9, 3, False),
        (10, 3, True),
        (10, 4, False),
        (10, 0, False),
    ],
)
def test_principals_for_the_number_of_classes(standard, classes, principals, expected):
    assert met(standard, classes=classes, principals=principals)["principals"] is expected


# Health staff: one full-time per 150 children (150 → 1, 151 → 2).
@pytest.mark.parametrize(
    ("children", "health", "expected"), [(150, 1, True), (151, 1, False), (151, 2, True), (0, 0, True), (1, 0, False)]
)
def test_health_staff_per_150_children(standard, children, health, expected):
    assert met(standard, children=children, health_staff=health)["health_staff"] is expected


@pytest.mark.parametrize(("teachers", "children", "expected"), [(10, 150, True), (10, 151, False), (0, 0, True)])
def test_children_per_full_time_teacher_at_most_15(standard, teachers, children, expected):
    assert met(standard, fulltime_teachers=teachers, children=children)["fulltime_teacher_ratio"] is expected


@pytest.mark.parametrize(
    ("teachers", "certified", "expected"), [(12, 12, True), (12, 11, False), (0, 0, True), (1, 0, False)]
)
def test_every_teacher_and_principal_certified(standard, teachers, certified, expected):
    result = met(
        standard, teachers=teachers, teachers_certified=certified, principals=teachers, principals_certified=certified
    )
    assert result["teacher_certificates"] is expected
    assert result["principal_certificates"] is expected


def test_a_reason_says_what_is_required(standard):
    results = evaluate(StaffFigures(children=151, health_staff=1, staff_total=20), standard=standard)
    health = next(r for r in results if r.code == "health_staff")
    assert health.reason == "幼儿 151 人，专职卫生保健人员 1 人；标准每 150 名幼儿 1 人，至少需 2 人"
    ratio = results[0]
    assert ratio.reason == "教职工 20 人，幼儿 151 人，比例 1:7.5；标准 1:5 – 1:7，至少需 22 人"


def test_a_kindergarten_is_counted_from_its_current_staff_and_this_years_classes(kg_a):
    today = timezone.localdate()
    add_classes(kg_a, 30, 31)
    add_staff(kg_a, StaffRole.TEACHER, 3)
    add_staff(kg_a, StaffRole.TEACHER, 1, full_time=False)
    add_staff(kg_a, StaffRole.TEACHER, 1, certified=False)
    add_staff(kg_a, StaffRole.TEACHER, 1, left_on=today - datetime.timedelta(days=1))  # left: not counted
    add_staff(kg_a, StaffRole.TEACHER, 1, hired_on=today + datetime.timedelta(days=5))  # not yet hired
    add_staff(kg_a, StaffRole.CAREGIVER, 2)
    add_staff(kg_a, StaffRole.DEPUTY_PRINCIPAL, 1)
    add_staff(kg_a, StaffRole.HEALTH, 1, full_time=False)
    _standard, figures, _results = evaluate_kindergarten(kg_a, today)
    assert figures == StaffFigures(
        classes=2,
        children=61,
        staff_total=9,
        carers=7,
        teachers=5,
        caregivers=2,
        fulltime_teachers=4,
        principals=1,
        health_staff=0,
        teachers_certified=4,
        principals_certified=1,
    )


def test_the_sql_checks_agree_with_the_page(kg_a, kg_b, kg_c):
    today = timezone.localdate()
    staff_to_standard(kg_a)
    add_classes(kg_b, 25, 30, 35, 30, 30, 30)
    add_staff(kg_b, StaffRole.PRINCIPAL, 2)
    add_staff(kg_b, StaffRole.TEACHER, 11)
    add_staff(kg_b, StaffRole.TEACHER, 1, certified=False)
    add_staff(kg_b, StaffRole.CAREGIVER, 5)
    add_staff(kg_b, StaffRole.HEALTH, 2)
    other = KindergartenFactory()
    add_classes(other, 151)
    add_staff(other, StaffRole.HEALTH, 1)
    standard = StaffingStandard.objects.for_day(today)
    rows = with_staffing_checks(Kindergarten.objects.all(), today, standard)
    seen = set()
    for row in rows:
        _standard, _figures, results = evaluate_kindergarten(row, today)
        expected = {r.code: r.met for r in results}
        assert {code: getattr(row, f"meets_{code}") for code in CHECKS} == expected, row
        assert row.meets_staffing == all(expected[c] for c in CHECKS[:6])
        seen.add(tuple(expected.values()))
    assert len(seen) >= 3  # the cases differ


def test_a_half_day_kindergarten_is_judged_against_the_half_day_standard(kg_a):
    """4 classes of 25: a principal, 8 teachers, a health worker, no caregiver. Half-day: 100 ≤ 10 × 10
    staff, 100 ≤ 8 × 13 carers, 2 teachers and 2 carers a class, all met; full-day: none of the three."""
    today = timezone.localdate()
    add_classes(kg_a, 25, 25, 25, 25)
    add_staff(kg_a, StaffRole.PRINCIPAL)
    add_staff(kg_a, StaffRole.TEACHER, 8)
    add_staff(kg_a, StaffRole.HEALTH)
    standard = StaffingStandard.objects.for_day(today)
    ratio_checks = ("all_staff_ratio", "carer_ratio", "per_class")
    for day_type, expected in ((DayType.HALF_DAY, True), (DayType.FULL_DAY, False)):
        Kindergarten.objects.filter(pk=kg_a.pk).update(day_type=day_type)
        kg_a.refresh_from_db()
        _standard, _figures, results = evaluate_kindergarten(kg_a, today)
        page = {r.code: r.met for r in results}
        assert {code: page[code] for code in ratio_checks} == dict.fromkeys(ratio_checks, expected), day_type
        row = with_staffing_checks(Kindergarten.objects.filter(pk=kg_a.pk), today, standard).get()
        assert {code: getattr(row, f"meets_{code}") for code in CHECKS} == page
        assert row.meets_staffing is expected


def test_the_day_type_is_full_day_unless_the_registry_says_otherwise(kg_a):
    assert kg_a.day_type == DayType.FULL_DAY == "full_day"
