"""People on campus read the staff from the staff registry (posts held on the day); a kindergarten
without staff records falls back on the safety profile's `staff_count`. The rule, the SQL of the
lists and the indicators' GROUP BY agree, the latter also reading the staff app's day figures
(as in the indicator engine)."""

from __future__ import annotations

import datetime

import pytest

from common.temp_tables import temp_tables
from safety.choices import RuleCode
from safety.compliance import evaluate_kindergarten
from safety.models import SafetyProfile, SafetyRuleSet
from safety.selectors import annotated_safety, guards_met
from staff.day_figures import day_figures
from tests.enrollment.factories import SchoolClassFactory, SchoolYearFactory
from tests.staff.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 11, 15)


@pytest.fixture
def campus(kg_a):
    """990 children and a profile declaring 10 staff with 3 guards (1,000 people: 3 guards suffice)."""
    SafetyProfile.objects.create(kindergarten=kg_a, staff_count=10, guards_full_time=3)
    SchoolClassFactory(kindergarten=kg_a, school_year=SchoolYearFactory(start_year=2025), enrolled=990)
    return kg_a


def guard_rule(kindergarten):
    _, results = evaluate_kindergarten(kindergarten, D)
    return next(r for r in results if r.code == RuleCode.GUARDS)


def sql_figures(kindergarten):
    row = annotated_safety(type(kindergarten).objects.filter(pk=kindergarten.pk), D).get()
    kindergartens = type(kindergarten).objects.all()
    met = guards_met(kindergartens, D).filter(pk=kindergarten.pk).exists()
    with temp_tables() as tables:  # as in the indicator engine: posts and children from staff.day_figures
        shared = guards_met(kindergartens, D, day_figures(tables, kindergartens, D))
        assert shared.filter(pk=kindergarten.pk).exists() is met
    return row.people_on_campus, met


def test_it_falls_back_on_the_profile_without_staff_records(campus):
    rule = guard_rule(campus)
    assert rule.met and "教职工 10 +" in rule.reason
    assert sql_figures(campus) == (1000, True)


def test_it_counts_the_registrys_posts_held_on_the_day(campus):
    StaffMemberFactory.create_batch(11, kindergarten=campus, hired_on=datetime.date(2024, 9, 1))
    StaffMemberFactory(kindergarten=campus, hired_on=datetime.date(2020, 9, 1), left_on=datetime.date(2025, 6, 30))
    StaffMemberFactory(kindergarten=campus, hired_on=datetime.date(2025, 12, 1))  # not yet hired on D
    required = SafetyRuleSet.objects.for_day(D).required_guards(1001)
    assert required > 3

    rule = guard_rule(campus)
    assert not rule.met and "教职工 11 +" in rule.reason
    assert sql_figures(campus) == (1001, False)
