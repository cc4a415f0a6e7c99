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

hazard_closure_rate on D counts hazards due 2024-11-15 … 2025-11-14 (the 12 months before D):
h1 due 10-31, still open → late; h3 due 09-08, closed 11-20 → late; h5 due 10-01, closed 10-01 →
on time; h2 (due 11-17) and h4 are not yet due. With `closure_world` also: h6 A due 2024-11-19
(first week of the period), closed that day → on time; h7 A due 2024-11-09 (before the period) →
not counted; h8 C due on D itself → not counted yet; h9 B due 11-14, closed 11-14 → on time.
District 3 / 5 (target ≥ 90 %: not met), 望京 3 / 4 (h1 h5 h6 h9), 双井 0 / 1 (h3),
private non-profit (B) 2 / 2 (met: the target binds each sponsor type).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.temp_tables import temp_tables
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from reports.choices import Comparison, ScopeType
from reports.indicators import compute_indicators_for
from reports.models import Target
from safety import indicators as codes
from safety.choices import HazardCategory, HazardStatus, Severity
from safety.models import Hazard, SafetyProfile, SafetyRuleSet
from safety.selectors import annotated_safety, guards_met
from staff.day_figures import day_figures
from tests.conftest import client_for
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

    hazard(kg_a, Severity.GENERAL, "2025-10-01")
    hazard(kg_a, Severity.MAJOR, "2025-11-10")
    hazard(kg_c, Severity.MAJOR, "2025-09-01", HazardStatus.CLOSED, "2025-11-20")
    hazard(kg_c, Severity.GENERAL, "2025-11-16")
    hazard(kg_b, Severity.GENERAL, "2025-09-01", HazardStatus.CLOSED, "2025-10-01")


def hazard(kg, severity, found, status=HazardStatus.OPEN, closed_on=None, deadline=None):
    rules = SafetyRuleSet.objects.for_day(DATE(found))
    return Hazard.objects.create(
        kindergarten=kg,
        category=HazardCategory.FIRE,
        severity=severity,
        description=f"{kg.code} {found}",
        owner="y",
        found_on=DATE(found),
        deadline=DATE(deadline) if deadline else rules.deadline_for(severity, DATE(found)),
        status=status,
        closed_on=closed_on and DATE(closed_on),
    )


@pytest.fixture
def closure_world(world, kg_a, kg_b, kg_c):
    closed = HazardStatus.CLOSED
    return {
        "h6": hazard(kg_a, Severity.GENERAL, "2024-10-20", closed, "2024-11-19", deadline="2024-11-19"),
        "h7": hazard(kg_a, Severity.GENERAL, "2024-10-10", closed, "2024-11-09", deadline="2024-11-09"),
        "h8": hazard(kg_c, Severity.MAJOR, "2025-11-08", deadline="2025-11-15"),
        "h9": hazard(kg_b, Severity.GENERAL, "2025-10-14", closed, "2025-11-14", deadline="2025-11-14"),
    }


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


# --- hazard_closure_rate -----------------------------------------------------------------------


def test_the_closure_rate_counts_hazards_due_in_the_12_months_before_the_date(world, wangjing, shuangjing):
    got = figures(compute_indicators_for(D), "district", "district")[codes.HAZARD_CLOSURE_RATE]
    assert ratio(got) == (1, 3)  # h5 on time; h1 and h3 late


def test_the_closure_rate_equals_the_hand_computed_values(closure_world, wangjing, shuangjing):
    values = compute_indicators_for(D)
    expected = {
        ("district", "district"): (3, 5),
        (ScopeType.SUBDISTRICT, wangjing.code): (3, 4),
        (ScopeType.SUBDISTRICT, shuangjing.code): (0, 1),
        (ScopeType.OWNERSHIP, SponsorType.PRIVATE_NONPROFIT): (2, 2),
    }
    for (scope_type, key), fraction in expected.items():
        assert ratio(figures(values, scope_type, key)[codes.HAZARD_CLOSURE_RATE]) == fraction, key
    district = figures(values, "district", "district")[codes.HAZARD_CLOSURE_RATE]
    assert (district.value, district.target, district.met) == (Decimal("0.6"), Decimal("0.9"), False)
    private = figures(values, ScopeType.OWNERSHIP, SponsorType.PRIVATE_NONPROFIT)[codes.HAZARD_CLOSURE_RATE]
    assert (private.value, private.met) == (Decimal(1), True)
    # The other hazard figures are unchanged by hazards due in the period: h8 is not overdue on D.
    assert figures(values, "district", "district")[codes.HAZARDS_OVERDUE].value == 2


def test_a_scope_without_hazards_due_has_no_closure_rate(kg_a):
    value = figures(compute_indicators_for(D), "district", "district")[codes.HAZARD_CLOSURE_RATE]
    assert (value.numerator, value.denominator, value.value, value.met) == (0, 0, None, None)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        ("2025-11-15", "2024-11-15", "2025-11-14"),
        ("2024-02-29", "2023-02-28", "2024-02-28"),
        ("2025-01-01", "2024-01-01", "2024-12-31"),
    ],
)
def test_the_closure_period_is_the_12_months_before_the_date(day, first, last):
    assert codes.closure_period(DATE(day)) == (DATE(first), DATE(last))


def test_the_closure_target_comes_from_the_data_migration():
    target = Target.objects.get(indicator=codes.HAZARD_CLOSURE_RATE)
    assert (target.authority, target.comparison, target.value) == ("chaoyang", Comparison.AT_LEAST, Decimal("0.9"))


def test_the_alarm_test_interval_is_seeded_into_the_rule_set():
    assert SafetyRuleSet.objects.for_day(D).alarm_test_days == 30


# --- drill-down --------------------------------------------------------------------------------


class TestDrilldown:
    def test_a_coverage_lists_the_kindergartens_that_meet_it_or_not(self, world, client, bureau_official, kg_a, kg_b):
        url = reverse("reports:drilldown", args=[codes.GUARD_COVERAGE])
        c = client_for(client, bureau_official)
        missing = c.get(url, {"part": "out", "date": D.isoformat()})
        assert missing.status_code == 200
        assert sorted(k.code for k in missing.context["object_list"]) == ["KGB0001", "KGC0001"]
        assert missing.context["totals"]["kindergartens"] == 2  # with their children, as the guard rule counts them
        met = c.get(url, {"part": "in", "date": D.isoformat()})
        assert [k.code for k in met.context["object_list"]] == ["KGA0001"]

    def test_a_subdistrict_official_sees_only_their_area(self, world, client, wangjing_official, shuangjing):
        url = reverse("reports:drilldown", args=[codes.SAFETY_FULL_COVERAGE])
        response = client_for(client, wangjing_official).get(url, {"part": "out"})
        assert {k.subdistrict.name for k in response.context["object_list"]} == {"望京"}
        assert client.get(url, {"subdistrict": shuangjing.pk}).status_code == 404

    def test_the_closure_rate_opens_the_hazards_due_in_its_period(self, closure_world, client, bureau_official):
        c = client_for(client, bureau_official)
        response = c.get(reverse("reports:drilldown", args=[codes.HAZARD_CLOSURE_RATE]))
        assert response.status_code == 302
        first, last = codes.closure_period(timezone.localdate())
        assert (
            f"deadline_from={first.isoformat()}" in response.url and f"deadline_to={last.isoformat()}" in response.url
        )
        # The list with the indicator's period on D shows exactly the hazards behind D's figure.
        period = {"deadline_from": "2024-11-15", "deadline_to": "2025-11-14"}
        listed = c.get(reverse("safety:hazard_list"), period)
        behind = {h.description for h in listed.context["table"].data}
        late = {"KGA0001 2025-10-01", "KGC0001 2025-09-01"}
        on_time = {"KGB0001 2025-09-01", "KGA0001 2024-10-20", "KGB0001 2025-10-14"}
        assert behind == late | on_time
        listed = c.get(reverse("safety:hazard_list"), {**period, "on_time": "true"})
        assert {h.description for h in listed.context["table"].data} == on_time
        listed = c.get(reverse("safety:hazard_list"), {**period, "on_time": "false"})
        assert {h.description for h in listed.context["table"].data} == late


@pytest.mark.parametrize(("people", "guards"), [(1000, 3), (1001, 3), (1001, 4), (1501, 4), (1501, 5)])
def test_the_grouped_guard_rule_is_the_python_rule(kg_a, people, guards):
    """`guards_met` (the indicators' one GROUP BY) agrees with the rule set, children included."""
    rules = SafetyRuleSet.objects.for_day(D)
    SafetyProfile.objects.create(kindergarten=kg_a, staff_count=people - 24, guards_full_time=guards)
    SchoolClassFactory(kindergarten=kg_a, school_year=SchoolYearFactory(start_year=2025), enrolled=24)
    for met in met_both_ways(type(kg_a).objects.all(), kg_a):
        assert met is (guards >= rules.required_guards(people))


def met_both_ways(kindergartens, kindergarten) -> tuple[bool, bool]:
    """`guards_met` for `kindergarten`: counting posts and children itself, then reading them
    from the staff app's day figures (as in the indicator engine)."""
    alone = guards_met(kindergartens, D).filter(pk=kindergarten.pk).exists()
    with temp_tables() as tables:
        shared = guards_met(kindergartens, D, day_figures(tables, kindergartens, D))
        return alone, shared.filter(pk=kindergarten.pk).exists()


def test_the_grouped_guard_rule_reads_the_given_kindergartens_and_this_years_classes(kg_a, kg_b, kg_c):
    """One set for many kindergartens: each with its own children (last year's classes left out),
    only those of the queryset, none without a profile (kg_c)."""
    assert (
        SafetyRuleSet.objects.for_day(D).required_guards(1001)
        > 3
        >= SafetyRuleSet.objects.for_day(D).required_guards(1000)
    )
    this_year, last_year = SchoolYearFactory(start_year=2025), SchoolYearFactory(start_year=2024)
    for kindergarten in (kg_a, kg_b):
        SafetyProfile.objects.create(kindergarten=kindergarten, staff_count=10, guards_full_time=3)
    SchoolClassFactory(kindergarten=kg_a, school_year=this_year, enrolled=990)  # 1,000 people
    SchoolClassFactory(kindergarten=kg_a, school_year=last_year, enrolled=600)
    SchoolClassFactory(kindergarten=kg_b, school_year=this_year, enrolled=991)  # 1,001 people
    SchoolClassFactory(kindergarten=kg_c, school_year=this_year, enrolled=10)
    kindergartens = type(kg_a).objects.all()
    assert set(guards_met(kindergartens, D).values_list("pk", flat=True)) == {kg_a.pk}
    assert not guards_met(kindergartens.exclude(pk=kg_a.pk), D).exists()
    with temp_tables() as tables:  # the same from the staff app's day figures (the engine's way)
        assert set(
            guards_met(kindergartens, D, day_figures(tables, kindergartens, D)).values_list("pk", flat=True)
        ) == {kg_a.pk}
        others = kindergartens.exclude(pk=kg_a.pk)
        assert not guards_met(others, D, day_figures(tables, others, D)).exists()
