"""The safety indicators equal values computed by hand on small data, for every scope at once.

D = 2025-11-15 (school year 2025). Kindergartens and profiles:

| kg | sub-district | sponsor | staff + children | guards | alarm | video | closed | counts? |
|---|---|---|---|---|---|---|---|---|
| A | 望京 | bureau | 20 + 24 = 44 (needs 3) | 3 ✔ | ✔ | ✔ | ✔ | all four |
| B | 望京 | private | 980 + 24 = 1004 (needs 4) | 3 ✘ | ✔ | not linked ✘ | ✔ | alarm, closed |
| C | 双井 | bureau | no profile | ✘ | ✘ | ✘ | ✘ | none |
| U | 望京 | unlicensed, compliant profile | | | | | | not operating: nowhere |

guard 1/3, alarm 2/3, video 1/3, closed 2/3, all four 1/3 (望京 1/2, 2/2, 1/2, 2/2, 1/2; 双井 0/1).

Hazards on D: h1 A general, found 10-01, deadline 10-31, open → overdue; h2 A major, found 11-10,
deadline 11-17, open → major open; h3 C major, found 09-01, deadline 09-08, closed 11-20 (after
D) → overdue and major open; h4 C found 11-16 (after D) → nothing; h5 B closed 10-01 → nothing.
Overdue 2 (望京 1, 双井 1); major open 2 (望京 1, 双井 1).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from reports.choices import Comparison, ScopeType
from reports.indicators import compute_indicators_for
from reports.models import Target
from safety import indicators as codes
from safety.choices import HazardCategory, HazardStatus, Severity
from safety.models import Hazard, SafetyProfile, SafetyRuleSet
from safety.selectors import annotated_safety
from tests.enrollment.factories import SchoolClassFactory, SchoolYearFactory
from tests.factories import KindergartenFactory

from .test_rules import compliant

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 11, 15)
DATE = datetime.date.fromisoformat


@pytest.fixture
def world(kg_a, kg_b, kg_c, wangjing):
    kg_b.sponsor_type, kg_b.inclusive_status = SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.NON_INCLUSIVE_PRIVATE
    kg_b.save()
    unlicensed = KindergartenFactory(code="KGU0001", subdistrict=wangjing, licence_status=LicenceStatus.UNLICENSED)
    year = SchoolYearFactory(start_year=2025)
    for kg in (kg_a, kg_b, kg_c, unlicensed):
        SchoolClassFactory(kindergarten=kg, school_year=year, enrolled=24)
    SchoolClassFactory(kindergarten=kg_b, school_year=SchoolYearFactory(start_year=2024), enrolled=500)  # last year
    for kg, profile in (
        (kg_a, compliant(staff_count=20, guards_full_time=3)),
        (kg_b, compliant(staff_count=980, guards_full_time=3, video_linked=False)),
        (unlicensed, compliant()),
    ):
        profile.kindergarten = kg
        profile.save()

    def hazard(kg, severity, found, status=HazardStatus.OPEN, closed_on=None):
        rules = SafetyRuleSet.objects.for_day(DATE(found))
        Hazard.objects.create(
            kindergarten=kg,
            category=HazardCategory.FIRE,
            severity=severity,
            description="x",
            owner="y",
            found_on=DATE(found),
            deadline=rules.deadline_for(severity, DATE(found)),
            status=status,
            closed_on=closed_on and DATE(closed_on),
        )

    hazard(kg_a, Severity.GENERAL, "2025-10-01")
    hazard(kg_a, Severity.MAJOR, "2025-11-10")
    hazard(kg_c, Severity.MAJOR, "2025-09-01", HazardStatus.CLOSED, "2025-11-20")
    hazard(kg_c, Severity.GENERAL, "2025-11-16")
    hazard(kg_b, Severity.GENERAL, "2025-09-01", HazardStatus.CLOSED, "2025-10-01")


def figures(values, scope_type, key):
    return {v.indicator: v for v in values if v.scope_type == scope_type and v.scope_key == key}


def ratio(value) -> tuple:
    return (int(value.numerator), int(value.denominator))


def test_the_coverages_and_counts_equal_the_hand_computed_values(world, wangjing, shuangjing):
    values = compute_indicators_for(D)
    expected = {
        ("district", "district"): ((1, 3), (2, 3), (1, 3), (2, 3), (1, 3), 2, 2),
        (ScopeType.SUBDISTRICT, wangjing.code): ((1, 2), (2, 2), (1, 2), (2, 2), (1, 2), 1, 1),
        (ScopeType.SUBDISTRICT, shuangjing.code): ((0, 1), (0, 1), (0, 1), (0, 1), (0, 1), 1, 1),
        (ScopeType.OWNERSHIP, SponsorType.PRIVATE_NONPROFIT): ((0, 1), (1, 1), (0, 1), (1, 1), (0, 1), 0, 0),
    }
    for (scope_type, key), (guard, alarm, video, closed, full, overdue, major) in expected.items():
        got = figures(values, scope_type, key)
        assert [ratio(got[c]) for c in codes.COVERAGES] == [guard, alarm, video, closed, full], key
        assert (got[codes.HAZARDS_OVERDUE].value, got[codes.MAJOR_HAZARDS_OPEN].value) == (overdue, major), key
    district = figures(values, "district", "district")
    assert district[codes.GUARD_COVERAGE].value.quantize(Decimal("0.0001")) == Decimal("0.3333")
    assert district[codes.SAFETY_FULL_COVERAGE].national_met is False and district[codes.HAZARDS_OVERDUE].met is False


def test_the_targets_come_from_the_data_migration():
    for code in codes.COVERAGES:
        target = Target.objects.get(indicator=code)
        assert (target.comparison, target.value) == (Comparison.AT_LEAST, Decimal(1))
    for code in (codes.HAZARDS_OVERDUE, codes.MAJOR_HAZARDS_OPEN):
        target = Target.objects.get(indicator=code)
        assert (target.comparison, target.value) == (Comparison.AT_MOST, Decimal(0))


def test_the_codes_are_the_public_contract():
    assert [d.code for d in codes.INDICATORS] == [
        "guard_coverage",
        "alarm_coverage",
        "video_coverage",
        "closed_campus_coverage",
        "safety_full_coverage",
        "hazards_overdue",
        "major_hazards_open",
        "hazard_closure_rate",
    ]


def test_the_source_runs_a_fixed_number_of_queries(world, kg_c):
    from reports.registry import IndicatorContext
    from reports.scopes import Scope

    def count() -> int:
        context = IndicatorContext(day=D, scopes=(Scope.district(),), only=None, targets={})
        with CaptureQueriesContext(connection) as captured:
            codes.compute_safety_figures(context)
        return len(captured)

    before = count()
    for n in range(5):
        extra = KindergartenFactory(subdistrict=kg_c.subdistrict)
        SafetyProfile.objects.create(kindergarten=extra, guards_full_time=n)
    assert count() == before <= 3


@pytest.mark.parametrize("people", [99, 100, 101, 1000, 1001, 1500, 1501, 2001])
def test_the_sql_guard_rule_is_the_python_rule(kg_a, people):
    rules = SafetyRuleSet.objects.for_day(D)
    SafetyProfile.objects.create(kindergarten=kg_a, staff_count=people)
    row = annotated_safety(type(kg_a).objects.filter(pk=kg_a.pk), D).get()
    assert (row.people_on_campus, row.required_guards) == (people, rules.required_guards(people))
