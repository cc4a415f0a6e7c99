"""The formulas of `reports.indicators`, on the hand-computed district of conftest.py."""

from __future__ import annotations

import datetime
import gc
from decimal import Decimal

import pytest

from enrollment.choices import ClassType, EnrollmentIndicator
from enrollment.models import ClassSizeLimit
from kindergartens.choices import SponsorType
from reports import indicators as indicators_module
from reports.choices import Authority, Comparison, ScopeType
from reports.indicators import (
    Scope,
    compute_indicators_for,
    drilldown_kindergartens,
    format_indicator_value,
    headline,
    indicators_for_scope,
    scope_from_key,
)
from reports.models import Target
from tests.factories import KindergartenFactory, subdistrict

from .conftest import DAY, add_classes, add_population, indicators_per

D = Decimal


def by_scope(values, scope_type: str, scope_key: str) -> dict:
    return {v.indicator: v for v in values if v.scope_type == scope_type and v.scope_key == scope_key}


@pytest.fixture
def values(district):
    return compute_indicators_for(DAY)


@pytest.fixture
def wangjing_values(values, district):
    return by_scope(values, ScopeType.SUBDISTRICT, district.wangjing.code)


def test_it_counts_enrolled_children_without_toddlers_unlicensed_or_suspended(wangjing_values):
    gross = wangjing_values[EnrollmentIndicator.GROSS_ENROLLMENT_RATE]
    # 86 (A without its toddler class) + 25 (B) + 20 (C); D unlicensed, E suspended, A's 2024 class
    # another school year; population 2025 resident 3–5 only (not age 6, 2024 or registered).
    assert (gross.numerator, gross.denominator, gross.value) == (D(131), D(300), D("0.436666"))
    assert gross.population_basis == "resident"


def test_it_compares_with_chaoyang_and_national_targets(wangjing_values):
    gross = wangjing_values[EnrollmentIndicator.GROSS_ENROLLMENT_RATE]
    assert (gross.target, gross.met, gross.national_target, gross.national_met) == (D("0.9"), False, D("0.85"), False)
    assert gross.comparison == Comparison.AT_LEAST
    coverage = wangjing_values[EnrollmentIndicator.INCLUSIVE_COVERAGE]
    # 106 / 131 = 80.9 %: below Chaoyang's 90 %, above the national 80 %.
    assert (coverage.met, coverage.national_met) == (False, True)
    public = wangjing_values[EnrollmentIndicator.PUBLIC_SHARE]
    assert (public.numerator, public.denominator, public.value, public.met) == (D(86), D(131), D("0.656488"), True)


def test_it_stops_counting_a_recognition_on_its_expiry_date(wangjing_values):
    coverage = wangjing_values[EnrollmentIndicator.INCLUSIVE_COVERAGE]
    # A (public, 86) + C (recognised, 20); B's recognition expires on DAY, so its 25 do not count.
    assert (coverage.numerator, coverage.denominator, coverage.value) == (D(106), D(131), D("0.809160"))


def test_it_still_counts_the_recognition_the_day_before_it_expires(district):
    coverage = by_scope(
        compute_indicators_for(DAY - datetime.timedelta(days=1)), ScopeType.SUBDISTRICT, district.wangjing.code
    )[EnrollmentIndicator.INCLUSIVE_COVERAGE]
    assert (coverage.numerator, coverage.denominator) == (D(131), D(131))


def test_it_computes_seat_utilisation_over_operating_kindergartens(values, wangjing_values):
    utilisation = wangjing_values[EnrollmentIndicator.SEAT_UTILISATION]
    # Children in all classes, toddler included (101 + 25 + 20), over A + B + C's capacity.
    assert (utilisation.numerator, utilisation.denominator, utilisation.value) == (D(146), D(350), D("0.417142"))
    district_value = by_scope(values, ScopeType.DISTRICT, "district")[EnrollmentIndicator.SEAT_UTILISATION]
    # F (双井) has not reported: missing, so its 100 seats are not counted as empty ones.
    assert (district_value.numerator, district_value.denominator) == (D(146), D(350))
    assert district_value.target is None and district_value.met is None


def test_it_counts_a_class_over_its_limit_as_not_compliant(wangjing_values):
    compliance = wangjing_values[EnrollmentIndicator.CLASS_SIZE_COMPLIANCE]
    # A's senior class has 36 children, over the limit of 35.
    assert (compliance.numerator, compliance.denominator, compliance.value) == (D(5), D(6), D("0.833333"))
    assert (compliance.target, compliance.national_target, compliance.national_met) == (None, D("0.85"), False)


def test_it_uses_the_class_size_limit_in_force_on_the_date(district):
    ClassSizeLimit.objects.create(
        class_type=ClassType.SENIOR, max_children=40, valid_from=datetime.date(2025, 1, 1), source="测试"
    )
    compliance = by_scope(compute_indicators_for(DAY), ScopeType.SUBDISTRICT, district.wangjing.code)[
        EnrollmentIndicator.CLASS_SIZE_COMPLIANCE
    ]
    assert (compliance.numerator, compliance.denominator) == (D(6), D(6))


def test_it_counts_unlicensed_kindergartens_against_a_target_of_zero(values, wangjing_values):
    unlicensed = wangjing_values[EnrollmentIndicator.UNLICENSED_OPEN]
    assert (unlicensed.numerator, unlicensed.denominator, unlicensed.value) == (D(1), None, D(1))
    assert (unlicensed.target, unlicensed.comparison, unlicensed.met) == (D(0), Comparison.AT_MOST, False)
    shuangjing = by_scope(values, ScopeType.SUBDISTRICT, subdistrict("双井").code)[EnrollmentIndicator.UNLICENSED_OPEN]
    assert (shuangjing.value, shuangjing.met) == (D(0), True)


def test_it_gives_no_value_for_a_zero_denominator(values, district):
    shuangjing = by_scope(values, ScopeType.SUBDISTRICT, district.shuangjing.code)
    gross = shuangjing[EnrollmentIndicator.GROSS_ENROLLMENT_RATE]
    assert (gross.numerator, gross.denominator, gross.value, gross.met, gross.national_met) == (
        D(0),
        D(0),
        None,
        None,
        None,
    )
    # F has not reported: no figure at all (not 0 % of its seats used), and it is missing.
    assert shuangjing[EnrollmentIndicator.INCLUSIVE_COVERAGE].value is None
    assert shuangjing[EnrollmentIndicator.PUBLIC_SHARE].value is None
    assert shuangjing[EnrollmentIndicator.CLASS_SIZE_COMPLIANCE].value is None
    assert shuangjing[EnrollmentIndicator.SEAT_UTILISATION].value is None
    assert shuangjing[EnrollmentIndicator.SEAT_UTILISATION].completeness.missing == 1
    assert format_indicator_value(EnrollmentIndicator.PUBLIC_SHARE, None) == "—"


def test_it_gives_every_subdistrict_a_row_even_without_data(values):
    subdistrict_rows = [v for v in values if v.scope_type == ScopeType.SUBDISTRICT]
    assert len({v.scope_key for v in subdistrict_rows}) == 43
    assert len(subdistrict_rows) == 43 * indicators_per(ScopeType.SUBDISTRICT)
    empty = by_scope(values, ScopeType.SUBDISTRICT, subdistrict("建外").code)
    assert empty[EnrollmentIndicator.GROSS_ENROLLMENT_RATE].value is None
    assert empty[EnrollmentIndicator.FORECAST_SHORTFALL].value is None  # no population, no forecast


def test_it_does_not_cap_a_gross_rate_above_one_hundred_percent(db):
    sub = subdistrict("三里屯")
    kindergarten = KindergartenFactory(subdistrict=sub)
    add_classes(kindergarten, 2025, (ClassType.SMALL, 25), (ClassType.MIDDLE, 30))
    add_population(sub, 2025, {3: 10, 4: 10, 5: 20})
    computed = indicators_for_scope(DAY, scope_from_key(ScopeType.SUBDISTRICT, sub.code))
    gross = next(v for v in computed if v.indicator == EnrollmentIndicator.GROSS_ENROLLMENT_RATE)
    assert (gross.numerator, gross.denominator, gross.value, gross.met) == (D(55), D(40), D("1.375000"), True)
    assert format_indicator_value(gross.indicator, gross.value) == "137.5%"


def test_it_sums_the_district_over_all_subdistricts(values):
    district = by_scope(values, ScopeType.DISTRICT, "district")
    assert district[EnrollmentIndicator.GROSS_ENROLLMENT_RATE].value == D("0.436666")
    assert (
        district[EnrollmentIndicator.PUBLIC_SHARE].numerator,
        district[EnrollmentIndicator.PUBLIC_SHARE].denominator,
    ) == (
        D(86),
        D(131),
    )
    assert district[EnrollmentIndicator.UNLICENSED_OPEN].value == D(1)
    assert district[EnrollmentIndicator.CLASS_SIZE_COMPLIANCE].denominator == D(6)


def test_it_breaks_the_district_down_by_sponsor_type(values):
    bureau = by_scope(values, ScopeType.OWNERSHIP, SponsorType.EDUCATION_BUREAU)
    # The type's contribution to the district rate: its enrolled over the district population.
    gross = bureau[EnrollmentIndicator.GROSS_ENROLLMENT_RATE]
    assert (gross.numerator, gross.denominator, gross.value) == (D(86), D(300), D("0.286666"))
    assert (gross.target, gross.met) == (None, None)  # a part is not held to the district's target
    assert bureau[EnrollmentIndicator.PUBLIC_SHARE].value == D(1)
    assert bureau[EnrollmentIndicator.INCLUSIVE_COVERAGE].value == D(1)
    assert EnrollmentIndicator.FORECAST_SHORTFALL not in bureau

    nonprofit = by_scope(values, ScopeType.OWNERSHIP, SponsorType.PRIVATE_NONPROFIT)
    coverage = nonprofit[EnrollmentIndicator.INCLUSIVE_COVERAGE]
    assert (coverage.numerator, coverage.denominator, coverage.value) == (D(20), D(45), D("0.444444"))
    assert nonprofit[EnrollmentIndicator.PUBLIC_SHARE].value == D(0)

    forprofit = by_scope(values, ScopeType.OWNERSHIP, SponsorType.PRIVATE_FORPROFIT)
    assert forprofit[EnrollmentIndicator.GROSS_ENROLLMENT_RATE].value == D(0)
    assert forprofit[EnrollmentIndicator.INCLUSIVE_COVERAGE].value is None
    assert (
        forprofit[EnrollmentIndicator.UNLICENSED_OPEN].value,
        forprofit[EnrollmentIndicator.UNLICENSED_OPEN].met,
    ) == (D(1), False)

    contributions = sum(
        by_scope(values, ScopeType.OWNERSHIP, s)[EnrollmentIndicator.GROSS_ENROLLMENT_RATE].numerator
        for s in SponsorType.values
    )
    assert contributions == D(131)


def test_it_gives_one_scope_the_same_figures_as_the_full_computation(values, district):
    for scope in (
        Scope.district(),
        Scope.of_subdistrict(district.wangjing),
        Scope.of_subdistrict(district.shuangjing),
        Scope.of_sponsor_type(SponsorType.PRIVATE_NONPROFIT),
    ):
        expected = [v for v in values if v.scope == scope]
        assert indicators_for_scope(DAY, scope) == expected
        assert expected


def test_it_reports_the_forecast_shortfall_of_next_year(values, district):
    wangjing = by_scope(values, ScopeType.SUBDISTRICT, district.wangjing.code)[EnrollmentIndicator.FORECAST_SHORTFALL]
    # 2026: ages 3–5 = (ages 2–4 of 2025: 0 + 100 + 100) = 200 × 0.9 = 180 places against 350 seats.
    assert (wangjing.numerator, wangjing.value) == (D(0), D(0))
    assert by_scope(values, ScopeType.DISTRICT, "district")[EnrollmentIndicator.FORECAST_SHORTFALL].value == D(0)


def test_it_uses_the_latest_target_version_in_force(district):
    Target.objects.create(
        indicator=EnrollmentIndicator.PUBLIC_SHARE,
        authority=Authority.CHAOYANG,
        value=D("0.70"),
        valid_from=datetime.date(2025, 9, 1),
        source="测试",
    )
    public = by_scope(compute_indicators_for(DAY), ScopeType.SUBDISTRICT, district.wangjing.code)[
        EnrollmentIndicator.PUBLIC_SHARE
    ]
    assert (public.target, public.met) == (D("0.70"), False)
    before = by_scope(
        compute_indicators_for(datetime.date(2025, 8, 31)), ScopeType.SUBDISTRICT, district.wangjing.code
    )[EnrollmentIndicator.PUBLIC_SHARE]
    assert before.target == D("0.50")


def test_it_uses_the_school_year_the_date_falls_in(district):
    # 31 August 2025 belongs to school year 2024–25: A's 2024 class and population 2024.
    gross = by_scope(compute_indicators_for(datetime.date(2025, 8, 31)), ScopeType.SUBDISTRICT, district.wangjing.code)[
        EnrollmentIndicator.GROSS_ENROLLMENT_RATE
    ]
    assert (gross.numerator, gross.denominator) == (D(25), D(3000))


def test_it_picks_the_headline_indicators_of_a_scope(values, district):
    figures = headline(values, Scope.of_subdistrict(district.wangjing))
    assert list(figures) == [
        EnrollmentIndicator.GROSS_ENROLLMENT_RATE,
        EnrollmentIndicator.INCLUSIVE_COVERAGE,
        EnrollmentIndicator.PUBLIC_SHARE,
    ]
    assert figures[EnrollmentIndicator.PUBLIC_SHARE].numerator == D(86)


def test_it_resolves_scopes_from_their_keys(district):
    assert scope_from_key(ScopeType.DISTRICT, "district") == Scope.district()
    assert scope_from_key(ScopeType.SUBDISTRICT, district.wangjing.code).subdistrict_id == district.wangjing.pk
    assert scope_from_key(ScopeType.OWNERSHIP, "army").label == "部队"
    with pytest.raises(LookupError):
        scope_from_key(ScopeType.SUBDISTRICT, "000")
    with pytest.raises(LookupError):
        scope_from_key(ScopeType.OWNERSHIP, "nobody")


class TestDrilldown:
    def test_it_lists_the_operating_kindergartens_behind_an_enrolment_figure(self, district):
        rows = drilldown_kindergartens(
            EnrollmentIndicator.GROSS_ENROLLMENT_RATE, Scope.of_subdistrict(district.wangjing), DAY
        )
        found = {k.pk: (k.enrolled_children, k.children_in_classes, k.counts_as_inclusive) for k in rows}
        assert found == {
            district.a.pk: (86, 101, True),
            district.b.pk: (25, 25, False),
            district.c.pk: (20, 20, True),
        }

    def test_it_lists_the_unlicensed_kindergartens(self, district):
        rows = drilldown_kindergartens(EnrollmentIndicator.UNLICENSED_OPEN, Scope.district(), DAY)
        assert [k.pk for k in rows] == [district.d.pk]

    def test_it_lists_classes_over_their_limit(self, district):
        rows = drilldown_kindergartens(EnrollmentIndicator.CLASS_SIZE_COMPLIANCE, Scope.district(), DAY)
        assert {k.pk: (k.class_count, k.classes_over_limit) for k in rows} == {
            district.a.pk: (4, 1),
            district.b.pk: (1, 0),
            district.c.pk: (1, 0),
        }

    def test_it_limits_an_ownership_scope_to_its_sponsor_type(self, district):
        rows = drilldown_kindergartens(
            EnrollmentIndicator.SEAT_UTILISATION, Scope.of_sponsor_type(SponsorType.PRIVATE_NONPROFIT), DAY
        )
        assert {k.pk for k in rows} == {district.b.pk, district.c.pk}

    def test_it_includes_a_kindergarten_with_no_classes_at_zero(self, district):
        rows = drilldown_kindergartens(
            EnrollmentIndicator.SEAT_UTILISATION, Scope.of_subdistrict(district.shuangjing), DAY
        )
        assert [(k.pk, k.enrolled_children, k.class_count) for k in rows] == [(district.f.pk, 0, 0)]

    def test_it_runs_one_query_however_many_kindergartens(self, district, django_assert_num_queries):
        with django_assert_num_queries(2):  # the class-size limits, then the kindergartens
            rows = list(drilldown_kindergartens(EnrollmentIndicator.PUBLIC_SHARE, Scope.district(), DAY))
            assert [k.subdistrict.name for k in rows]


class TestGcPaused:
    """The engine pauses the cyclic garbage collector while it builds its values, and only then
    (`common.gc.gc_paused` itself is tested in tests/common/test_gc.py)."""

    def test_it_computes_with_the_collector_paused_and_resumes_it(self, district, monkeypatch):
        seen = []
        real = indicators_module._scope_values

        def spy(*args, **kwargs):
            seen.append(gc.isenabled())
            return real(*args, **kwargs)

        monkeypatch.setattr(indicators_module, "_scope_values", spy)
        assert gc.isenabled()
        values = compute_indicators_for(DAY)
        assert values and seen and not any(seen)
        assert gc.isenabled()
