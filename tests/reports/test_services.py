"""`reports.services.compute_indicators`: what it writes, idempotence, atomicity, the lock, the report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.choices import ClassType, EnrollmentIndicator
from reports import indicators as indicators_module
from reports import services
from reports.choices import RunStatus, ScopeType, WarningKind
from reports.models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from reports.services import compute_indicators
from tests.factories import KindergartenFactory, subdistrict

from .conftest import DAY, add_classes, add_population, snapshots_per_date

SNAPSHOT_FIELDS = [
    "date",
    "scope_type",
    "scope_key",
    "subdistrict",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "target",
    "met",
    "national_target",
    "national_met",
    "population_basis",
]


def snapshot_rows(day: datetime.date = DAY) -> list[tuple]:
    return list(
        IndicatorSnapshot.objects.filter(date=day)
        .order_by("scope_type", "scope_key", "indicator")
        .values_list(*SNAPSHOT_FIELDS)
    )


def other_rows(day: datetime.date = DAY) -> tuple[list, list]:
    forecasts = SeatForecast.objects.filter(date=day).order_by("subdistrict", "year")
    warnings = EarlyWarning.objects.filter(date=day).order_by("kind", "subdistrict", "kindergarten", "year")
    return (
        list(forecasts.values_list("subdistrict", "year", "cohort", "demand", "seats", "shortfall")),
        list(warnings.values_list("kind", "subdistrict", "kindergarten", "year", "shortfall", "message")),
    )


@pytest.fixture
def short_of_seats(district):
    """Enough young children in 望京 that the forecast runs short of seats, raising warnings."""
    add_population(district.wangjing, 2025, {0: 400, 1: 400, 2: 400})
    return district


def district_value(indicator: str, day: datetime.date = DAY) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(date=day, scope_type=ScopeType.DISTRICT, indicator=indicator)


@pytest.mark.usefixtures("fake_report")
class TestComputation:
    def test_it_writes_snapshots_forecasts_and_warnings_and_records_the_run(self, short_of_seats, bureau_official):
        run = compute_indicators(date=DAY, user=bureau_official)
        run.refresh_from_db()
        assert (run.status, run.error, run.triggered_by, run.date) == (RunStatus.SUCCEEDED, "", bureau_official, DAY)
        assert run.finished_at >= run.started_at
        assert run.snapshot_count == snapshots_per_date() == IndicatorSnapshot.objects.filter(date=DAY).count()
        assert run.warning_count == EarlyWarning.objects.filter(date=DAY).count() > 0
        assert run.lock_token is None

        gross = IndicatorSnapshot.objects.get(
            date=DAY, scope_key=short_of_seats.wangjing.code, indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE
        )
        assert (gross.numerator, gross.denominator, gross.value, gross.target, gross.met) == (
            Decimal(131),
            Decimal(300),
            Decimal("0.436666"),
            Decimal("0.9"),
            False,
        )
        assert (gross.subdistrict, gross.population_basis, gross.national_target) == (
            short_of_seats.wangjing,
            "resident",
            Decimal("0.85"),
        )
        assert district_value(EnrollmentIndicator.PUBLIC_SHARE).subdistrict is None
        forecasts = SeatForecast.objects.filter(date=DAY, subdistrict=short_of_seats.wangjing)
        assert [f.year for f in forecasts] == [2026, 2027, 2028, 2029, 2030]
        shortage = EarlyWarning.objects.filter(date=DAY, kind=WarningKind.SEAT_SHORTAGE)
        assert set(shortage.values_list("year", flat=True)) == set(
            forecasts.filter(shortfall__gt=0).values_list("year", flat=True)
        )
        # 2026 shortfall goes into the snapshot of forecast shortfall.
        next_year = forecasts.get(year=2026)
        assert district_value(EnrollmentIndicator.FORECAST_SHORTFALL).value == max(0, next_year.shortfall)

    def test_it_gives_the_same_rows_when_run_twice_for_a_date(self, short_of_seats):
        first = compute_indicators(date=DAY)
        rows, others = snapshot_rows(), other_rows()
        second = compute_indicators(date=DAY)
        assert (first.status, second.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
        assert snapshot_rows() == rows
        assert other_rows() == others
        assert IndicatorSnapshot.objects.filter(date=DAY).count() == snapshots_per_date()
        assert ComputationRun.objects.count() == 2

    def test_it_keeps_other_dates_snapshots_as_history(self, district):
        compute_indicators(date=DAY)
        compute_indicators(date=DAY + datetime.timedelta(days=1))
        assert IndicatorSnapshot.objects.values("date").distinct().count() == 2
        assert IndicatorSnapshot.objects.count() == 2 * snapshots_per_date()

    def test_it_leaves_the_previous_snapshot_intact_when_a_step_fails(self, short_of_seats, monkeypatch):
        compute_indicators(date=DAY)
        before, others = snapshot_rows(), other_rows()
        # New data that would change the figures, then a failure after the old rows were deleted.
        add_classes(short_of_seats.c, 2025, (ClassType.MIDDLE, 28))

        def fail(*args, **kwargs):
            raise RuntimeError("磁盘已满")

        monkeypatch.setattr(services, "write_forecast", fail)
        run = compute_indicators(date=DAY)
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED
        assert run.error == "RuntimeError: 磁盘已满"
        assert run.finished_at is not None and run.snapshot_count == 0
        assert snapshot_rows() == before
        assert other_rows() == others
        assert list(ComputationRun.objects.order_by("started_at", "pk").values_list("status", flat=True)) == [
            RunStatus.SUCCEEDED,
            RunStatus.FAILED,
        ]

    def test_it_leaves_the_previous_snapshots_when_building_the_values_fails_while_they_are_written(
        self, short_of_seats, monkeypatch
    ):
        compute_indicators(date=DAY)
        before = snapshot_rows()
        real = indicators_module._scope_values
        built = []

        def fail_on_the_third_scope(*args, **kwargs):
            built.append(1)
            if len(built) == 3:  # the values are streamed into the write: some rows are on their way
                raise RuntimeError("内存不足")
            return real(*args, **kwargs)

        monkeypatch.setattr(indicators_module, "_scope_values", fail_on_the_third_scope)
        run = compute_indicators(date=DAY)
        run.refresh_from_db()
        assert (run.status, run.error, run.snapshot_count) == (RunStatus.FAILED, "RuntimeError: 内存不足", 0)
        assert snapshot_rows() == before

    def test_deleting_a_subdistrict_deletes_its_snapshots(self, short_of_seats):
        compute_indicators(date=DAY)
        wangjing = short_of_seats.wangjing
        assert IndicatorSnapshot.objects.filter(subdistrict=wangjing).exists()
        wangjing.kindergartens.all().delete()
        wangjing.population.all().delete()
        wangjing.delete()
        assert not IndicatorSnapshot.objects.filter(scope_key=wangjing.code).exists()

    def test_it_stores_the_report_path(self, district, fake_report):
        run = compute_indicators(date=DAY)
        assert fake_report == [(DAY, None)]
        assert run.report_file.endswith("report-2025-10-01.pdf")

    def test_it_marks_the_run_failed_when_the_report_fails_but_keeps_the_figures(self, district, monkeypatch):
        def render_report_file(*, date, subdistrict=None):
            raise OSError("字体缺失")

        monkeypatch.setattr(services, "render_report_file", render_report_file)
        run = compute_indicators(date=DAY)
        assert run.status == RunStatus.FAILED
        assert run.error == "指标已保存，但报告生成失败：OSError: 字体缺失"
        assert run.snapshot_count == IndicatorSnapshot.objects.filter(date=DAY).count() == snapshots_per_date()


@pytest.mark.usefixtures("fake_report")
class TestLock:
    def test_it_skips_a_run_while_another_holds_the_marker(self, district, monkeypatch):
        monkeypatch.setattr(services, "uses_advisory_lock", lambda: False)
        holder = ComputationRun.objects.create(date=DAY, lock_token=services.LOCK_NAME)
        run = compute_indicators(date=DAY)
        assert run.status == RunStatus.SKIPPED
        assert run.error == "另一次指标计算正在进行，本次未写入任何数据。"
        assert run.finished_at is not None
        assert not IndicatorSnapshot.objects.exists()
        holder.refresh_from_db()
        assert (holder.status, holder.lock_token) == (RunStatus.RUNNING, services.LOCK_NAME)

    def test_it_releases_the_marker_when_a_run_ends(self, district, monkeypatch):
        monkeypatch.setattr(services, "uses_advisory_lock", lambda: False)
        first = compute_indicators(date=DAY)
        second = compute_indicators(date=DAY)
        assert (first.status, second.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
        assert not ComputationRun.objects.filter(lock_token__isnull=False).exists()

    def test_it_takes_over_from_a_run_that_died_holding_the_marker(self, district, monkeypatch, settings):
        monkeypatch.setattr(services, "uses_advisory_lock", lambda: False)
        dead = ComputationRun.objects.create(date=DAY, lock_token=services.LOCK_NAME)
        started = dead.started_at - datetime.timedelta(minutes=settings.COMPUTATION_STALE_MINUTES + 1)
        ComputationRun.objects.filter(pk=dead.pk).update(started_at=started)
        run = compute_indicators(date=DAY)
        assert run.status == RunStatus.SUCCEEDED
        dead.refresh_from_db()
        assert (dead.status, dead.lock_token) == (RunStatus.FAILED, None)
        assert "视为中断" in dead.error

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
    def test_it_skips_a_run_while_another_session_holds_the_advisory_lock(self, district):
        import psycopg2

        other = psycopg2.connect(**connection.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [services.ADVISORY_LOCK_KEY])
            run = compute_indicators(date=DAY)
        finally:
            other.close()
        assert run.status == RunStatus.SKIPPED
        assert run.error == "另一次指标计算正在进行，本次未写入任何数据。"
        assert not IndicatorSnapshot.objects.exists()
        # With the other session gone the lock is free again.
        assert compute_indicators(date=DAY).status == RunStatus.SUCCEEDED


def build_district(kindergartens: int) -> None:
    """`kindergartens` well-used kindergartens over two sub-districts, with a seat shortage in both."""
    subs = [subdistrict("望京"), subdistrict("双井")]
    for sub in subs:
        add_population(sub, 2025, dict.fromkeys(range(6), 10_000))
    for n in range(kindergartens):
        kindergarten = KindergartenFactory(subdistrict=subs[n % 2], approved_capacity=300)
        add_classes(kindergarten, 2025, *[(ClassType.SMALL, 25)] * 4, *[(ClassType.SENIOR, 35)] * 4)


@pytest.mark.usefixtures("fake_report")
def test_it_runs_the_same_number_of_queries_for_5_or_50_kindergartens(db):
    build_district(5)
    with CaptureQueriesContext(connection) as small:
        assert compute_indicators(date=DAY).status == RunStatus.SUCCEEDED
    build_district(45)
    with CaptureQueriesContext(connection) as large:
        assert compute_indicators(date=DAY).status == RunStatus.SUCCEEDED
    assert district_value(EnrollmentIndicator.GROSS_ENROLLMENT_RATE).numerator == 50 * 240
    # A fixed number per source (the engine's own, enrolment, inspections, safety, estates, staff,
    # governance) and the year's draft scorecards; equal for 5 and 50 kindergartens is the point.
    # The bound: the run's record, its holder (liveness) and the completeness counts included.
    assert len(large.captured_queries) == len(small.captured_queries) < 100
