"""The cohort forecast (`enrollment.forecast`) and the warnings raised from it and from seat use."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from enrollment import forecast
from enrollment.choices import ClassType
from enrollment.forecast import forecast_seats, project_cohorts
from enrollment.models import ForecastSetting
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from reports.choices import WarningKind
from reports.early_warnings import build_warnings, underused_inclusive_warnings
from reports.forecast import target_demand_rate
from tests.factories import KindergartenFactory, subdistrict

from .conftest import DAY, add_classes, add_population, private


@pytest.fixture
def wangjing_forecast(db):
    """望京: recorded births 90, 120, 150 (2023–2025), ages 1–5 in 2025, migration factor 1.2,
    500 seats in a licensed kindergarten (the unlicensed one's 300 do not count)."""
    wangjing = subdistrict("望京")
    add_population(wangjing, 2023, {0: 90})
    add_population(wangjing, 2024, {0: 120})
    add_population(wangjing, 2025, {0: 150, 1: 110, 2: 120, 3: 130, 4: 140, 5: 150})
    ForecastSetting.objects.create(subdistrict=wangjing, migration_factor=Decimal("1.2"))
    KindergartenFactory(subdistrict=wangjing, approved_capacity=500)
    KindergartenFactory(subdistrict=wangjing, approved_capacity=300, licence_status=LicenceStatus.UNLICENSED)
    return wangjing


def test_it_moves_cohorts_up_a_year_with_the_migration_factor(wangjing_forecast):
    rows = forecast_seats(DAY)
    # Births = (90 + 120 + 150) / 3 = 120. Each year age a = age a−1 of the year before × 1.2:
    # 2026: ages 3–5 = (120 + 130 + 140) × 1.2 = 468; demand 468 × 0.9 = 421.2 → 421.
    # 2027: 110×1.44 + 120×1.44 + 130×1.44 = 518.4 → 518; demand 466.56 → 467.
    # 2028: 150×1.728 + 110×1.728 + 120×1.728 = 656.64 → 657; demand 590.976 → 591.
    # 2029: 120×1.728 (born 2026) + 150×2.0736 + 110×2.0736 = 746.496 → 746; demand 671.85 → 672.
    # 2030: 120×1.728 + 120×2.0736 + 150×2.48832 = 829.44 → 829; demand 746.496 → 746.
    assert [(r.year, r.cohort, r.demand, r.seats, r.shortfall) for r in rows] == [
        (2026, 468, 421, 500, -79),
        (2027, 518, 467, 500, -33),
        (2028, 657, 591, 500, 91),
        (2029, 746, 672, 500, 172),
        (2030, 829, 746, 500, 246),
    ]
    assert {r.subdistrict_id for r in rows} == {wangjing_forecast.pk}


def test_it_defaults_the_migration_factor_to_one():
    cohorts = project_cohorts({0: 10, 1: 20, 2: 30, 3: 40, 4: 50, 5: 60}, Decimal(5), Decimal(1), 4)
    # Year 1: ages 3–5 = 30 + 40 + 50; year 2: 20 + 30 + 40; year 3: 10 + 20 + 30; year 4: 5 + 10 + 20.
    assert cohorts == [Decimal(120), Decimal(90), Decimal(60), Decimal(35)]


def test_it_projects_from_an_older_base_year_through_the_current_one(db):
    sub = subdistrict("双井")
    add_population(sub, 2024, {0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10})
    rows = forecast_seats(DAY)
    # Base 2024, births 10 every year: every age stays 10, so each of 2026–2030 has 30 children.
    assert [(r.year, r.cohort, r.demand, r.seats) for r in rows] == [(y, 30, 27, 0) for y in range(2026, 2031)]


def test_births_average_the_recorded_newborns_only_and_a_missing_age_counts_zero(db):
    sub = subdistrict("双井")
    add_population(sub, 2022, {0: 30})
    add_population(sub, 2023, {1: 99})  # no newborns recorded: not a year of 0 births
    add_population(sub, 2024, {0: 60})
    add_population(sub, 2025, {1: 10, 2: 10, 3: 10, 4: 10})  # the base year: no figure for ages 0 and 5
    rows = forecast_seats(DAY)
    # Births = (30 + 60) / 2 = 45; the base year's ages 0–5 are 0, 10, 10, 10, 10, 0 (factor 1).
    # Ages 3–5: 2026 = 10 + 10 + 10; 2027 = 10 + 10 + 10; 2028 = 0 + 10 + 10;
    # 2029 = 45 + 0 + 10 (demand 49.5 → 50); 2030 = 45 + 45 + 0.
    assert [(r.year, r.cohort, r.demand) for r in rows] == [
        (2026, 30, 27),
        (2027, 30, 27),
        (2028, 20, 18),
        (2029, 55, 50),
        (2030, 90, 81),
    ]


def test_it_makes_no_forecast_without_population_figures(db):
    KindergartenFactory(subdistrict=subdistrict("双井"))
    assert forecast_seats(DAY) == []


def test_it_plans_demand_for_the_target_that_reports_hands_it(wangjing_forecast, monkeypatch):
    # enrollment may not import reports; ReportsConfig.ready() gives the forecast its reader.
    assert forecast._demand_rate_source is target_demand_rate
    assert target_demand_rate(DAY) == Decimal("0.9")
    monkeypatch.setattr(forecast, "_demand_rate_source", lambda day: Decimal("0.5"))
    assert forecast_seats(DAY)[0].demand == 234  # 468 × 0.5
    monkeypatch.setattr(forecast, "_demand_rate_source", None)
    assert forecast_seats(DAY, rate=Decimal(1))[0].demand == 468
    with pytest.raises(ImproperlyConfigured):
        forecast_seats(DAY)


def test_it_warns_of_a_seat_shortage_with_the_shortfall_in_seats(wangjing_forecast):
    warnings = build_warnings(DAY, forecast_seats(DAY))
    shortages = [w for w in warnings if w.kind == WarningKind.SEAT_SHORTAGE]
    assert [(w.year, w.demand, w.supply, w.shortfall) for w in shortages] == [
        (2028, 591, 500, 91),
        (2029, 672, 500, 172),
        (2030, 746, 500, 246),
    ]
    assert all(w.subdistrict_id == wangjing_forecast.pk and w.kindergarten is None for w in shortages)
    assert shortages[0].message == "望京 2028–2029学年预测学位需求 591 个，现有学位 500 个，缺口 91 个学位。"


class TestUnderusedInclusive:
    @pytest.fixture
    def kindergartens(self, db):
        wangjing = subdistrict("望京")
        # Public, 100 of 300 seats (33 %): warned. Toddler children count as seat use.
        low = KindergartenFactory(name="望京低利用幼儿园", subdistrict=wangjing, approved_capacity=300)
        add_classes(low, 2025, (ClassType.SMALL, 25), (ClassType.MIDDLE, 30), (ClassType.TODDLER, 45))
        # Public, 180 of 300 (exactly 60 %): not below the threshold.
        full = KindergartenFactory(subdistrict=wangjing, approved_capacity=300)
        add_classes(full, 2025, *[(ClassType.SENIOR, 30)] * 6)
        # Recognised inclusive private, 20 of 100: warned.
        recognised = private(subdistrict=wangjing, approved_capacity=100)
        add_classes(recognised, 2025, (ClassType.SMALL, 20))
        # Recognition expired before the date: not inclusive, not warned.
        expired = private(subdistrict=wangjing, approved_capacity=100, recognition_expiry=datetime.date(2025, 6, 30))
        add_classes(expired, 2025, (ClassType.SMALL, 20))
        # Non-inclusive private and suspended ones: not warned; a public community point is operating: warned.
        forprofit = KindergartenFactory(
            subdistrict=wangjing,
            sponsor_type=SponsorType.PRIVATE_FORPROFIT,
            inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
        )
        add_classes(forprofit, 2025, (ClassType.SMALL, 10))
        point = KindergartenFactory(subdistrict=wangjing, licence_status=LicenceStatus.COMMUNITY_POINT)
        add_classes(point, 2025, (ClassType.SMALL, 10))
        suspended = KindergartenFactory(subdistrict=wangjing, licence_status=LicenceStatus.SUSPENDED)
        add_classes(suspended, 2025, (ClassType.SMALL, 10))
        # Public with no classes for this school year (only last year's): no data, no warning.
        silent = KindergartenFactory(subdistrict=wangjing)
        add_classes(silent, 2024, (ClassType.SMALL, 10))
        return {"low": low, "recognised": recognised, "point": point}

    def test_it_warns_of_inclusive_kindergartens_far_below_capacity(self, kindergartens):
        warnings = underused_inclusive_warnings(DAY)
        assert {w.kindergarten_id: (w.demand, w.supply) for w in warnings} == {
            kindergartens["low"].pk: (100, 300),
            kindergartens["recognised"].pk: (20, 100),
            kindergartens["point"].pk: (10, 300),
        }
        low = next(w for w in warnings if w.kindergarten_id == kindergartens["low"].pk)
        assert (low.kind, low.year, low.subdistrict_id) == (WarningKind.UNDERUSED_INCLUSIVE, 2025, low.subdistrict_id)
        assert low.message == (
            "望京低利用幼儿园（望京）2025–2026学年在班幼儿 100 人，核定学位 300 个，学位使用率 33.3%，低于 60%。"
        )

    @override_settings(UNDERUSED_INCLUSIVE_THRESHOLD=0.03)
    def test_it_reads_the_threshold_from_settings(self, kindergartens):
        assert underused_inclusive_warnings(DAY) == []
