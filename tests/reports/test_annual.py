"""The annual series: one statistical date per school year, backfilled, kept apart from the nightly
snapshots, and shown by the trend panel with each point's date."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from enrollment.models import SchoolYear
from reports.annual import annual_dates, backfill, dates_to_backfill
from reports.choices import ScopeType
from reports.dashboard import build_dashboard
from reports.indicators import compute_indicators_for
from reports.models import IndicatorSnapshot
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)
FIELDS = ("numerator", "denominator", "value", "target", "met", "national_target", "national_met")


@pytest.fixture
def years(district):
    """2024–25 (A's one class) and 2025–26 (the fixture's year), each with its statistical date."""
    SchoolYear.objects.filter(start_year=2024).update(statistics_date=datetime.date(2024, 10, 15))
    SchoolYear.objects.filter(start_year=2025).update(statistics_date=datetime.date(2025, 10, 20))
    return [datetime.date(2024, 10, 15), datetime.date(2025, 10, 20)]


def test_a_new_school_year_gets_15_october_and_keeps_its_own_date(db):
    year = SchoolYear.objects.create(start_year=2030)
    assert year.statistics_date == datetime.date(2030, 10, 15)
    year.statistics_date = datetime.date(2030, 11, 1)
    year.save()
    year.refresh_from_db()
    assert year.statistics_date == datetime.date(2030, 11, 1)


def test_a_statistical_date_outside_its_school_year_is_refused(db):
    from django.core.exceptions import ValidationError

    year = SchoolYear(start_year=2030, statistics_date=datetime.date(2032, 1, 1))
    with pytest.raises(ValidationError) as error:
        year.clean()
    assert "statistics_date" in error.value.message_dict


def test_the_backfill_computes_each_school_year_with_data_on_its_statistical_date(years, fake_report):
    assert [a.date for a in dates_to_backfill(TODAY)] == years
    runs = backfill(today=TODAY)
    assert [run.date for run in runs] == years
    assert all(run.status == "succeeded" for run in runs)
    assert fake_report == []  # no PDF for past dates
    # A date not yet reached is not computed.
    assert [a.date for a in dates_to_backfill(datetime.date(2025, 10, 19))] == years[:1]


def test_a_backfilled_point_equals_a_fresh_computation_of_its_date(years, fake_report):
    backfill(today=TODAY)
    for day in years:
        stored = {
            (s.scope_type, s.scope_key, s.indicator): tuple(getattr(s, f) for f in FIELDS)
            for s in IndicatorSnapshot.objects.filter(date=day)
        }
        fresh = {
            (v.scope_type, v.scope_key, v.indicator): tuple(getattr(v, f) for f in FIELDS)
            for v in compute_indicators_for(day)
        }
        assert stored == fresh
    # 2024–25 counts A's 2024 class only: the years differ, so each date got its own figures.
    enrolled = dict(
        IndicatorSnapshot.objects.filter(
            scope_type=ScopeType.DISTRICT, indicator="public_share", date__in=years
        ).values_list("date", "denominator")
    )
    assert enrolled[years[0]] != enrolled[years[1]]


def test_missing_only_skips_the_dates_already_computed(years, fake_report):
    backfill(today=TODAY)
    assert backfill(today=TODAY, missing_only=True) == []


def test_the_trend_shows_the_annual_series_only(years, fake_report, bureau_official):
    backfill(today=TODAY)
    call_command("compute_indicators", "--date", "2026-02-01")  # a nightly snapshot
    board = build_dashboard(user=bureau_official)
    assert board.date == datetime.date(2026, 2, 1)  # the latest snapshot is still the one shown
    assert board.trend_dates == years  # … but it is no trend point
    assert [(p.date, p.school_year) for p in board.annual] == [(years[0], "2024–2025"), (years[1], "2025–2026")]
    # Each point says the reporting completeness its figures were computed with.
    assert all(p.completeness is not None and p.completeness.expected > 0 for p in board.annual)
    assert set(annual_dates()) >= set(years)
    points = board.chart_data()["trend"]["points"]
    assert [p["date"] for p in points] == ["2024-10-15", "2025-10-20"]


def test_the_command_backfills(years, fake_report, capsys):
    call_command("compute_indicators", "--backfill")
    assert set(IndicatorSnapshot.objects.values_list("date", flat=True)) >= set(years)


def test_the_page_lists_each_year_with_its_date(client, years, fake_report, bureau_official):
    backfill(today=TODAY)
    html = client_for(client, bureau_official).get("/dashboard/").content.decode()
    assert "2024–2025" in html and "2024-10-15" in html and "2025-10-20" in html
