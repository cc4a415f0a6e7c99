"""`reports.row_writer`: the nightly job's rows, written by COPY on PostgreSQL and bulk_create elsewhere.

What a user relies on: the stored snapshots and forecast are exactly the computed figures,
whichever path wrote them. The comparison of the two paths needs PostgreSQL (COPY is its own);
CI runs this file on PostgreSQL, the default SQLite run checks the portable path.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection

from enrollment.forecast import forecast_seats
from reports import row_writer
from reports.choices import ScopeType
from reports.indicators import compute_indicators_for
from reports.models import IndicatorSnapshot, SeatForecast
from reports.registry import Completeness
from reports.scopes import Scope

from .conftest import DAY

OTHER_DAY = DAY + datetime.timedelta(days=1)
COLUMNS = [f for f in row_writer.SNAPSHOT_FIELDS if f not in ("date", "computed_at")]
FORECAST_COLUMNS = [f for f in row_writer.FORECAST_FIELDS if f != "date"]

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's: the comparison of the two paths runs in CI"
)


def stored(day: datetime.date) -> list[tuple]:
    rows = IndicatorSnapshot.objects.filter(date=day).order_by("scope_type", "scope_key", "indicator")
    return list(rows.values_list(*COLUMNS))


def stored_forecast(day: datetime.date) -> list[tuple]:
    return list(SeatForecast.objects.filter(date=day).order_by("subdistrict", "year").values_list(*FORECAST_COLUMNS))


def expected(values) -> list[tuple]:
    """The computed values as the snapshot columns should hold them."""
    rows = []
    for v in values:
        done = v.completeness
        fill = (None,) * 5 if done is None else dataclasses.astuple(done)
        rows.append(
            (
                v.scope.type,
                v.scope.key,
                v.scope.subdistrict_id,
                v.indicator,
                v.numerator,
                v.denominator,
                v.value,
                v.target,
                v.met,
                v.national_target,
                v.national_met,
                v.population_basis,
                *fill,
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[1], row[3]))


def awkward(values):
    """The engine's values plus one with what a text stream could get wrong: escapes, exponents, NULLs."""
    template = next(v for v in values if v.scope.type == ScopeType.DISTRICT)
    scope = Scope(ScopeType.OWNERSHIP, "a\tb\\c\nd", "odd", None)
    return [
        *values,
        dataclasses.replace(
            template,
            scope=scope,
            numerator=Decimal("1E+1"),
            denominator=None,
            value=Decimal("0E-6"),
            target=None,
            met=None,
            completeness=Completeness(3, 2, 300, 200, True),
        ),
    ]


@pytest.mark.django_db(transaction=False)
def test_the_stored_snapshots_and_forecast_are_the_computed_figures(district):
    forecast = forecast_seats(DAY)
    values = compute_indicators_for(DAY, forecast=forecast)
    assert any(v.completeness is not None for v in values) and any(v.value is None for v in values)

    row_writer.write_snapshots(DAY, values)
    row_writer.write_forecast(DAY, forecast)

    assert stored(DAY) == expected(values)
    assert stored_forecast(DAY) == sorted(
        (r.subdistrict_id, r.year, r.cohort, r.demand, r.seats, r.shortfall) for r in forecast
    )
    assert IndicatorSnapshot.objects.filter(date=DAY, computed_at__isnull=True).count() == 0


@needs_postgresql
def test_copy_and_bulk_create_write_identical_rows(district, monkeypatch):
    forecast = forecast_seats(DAY)
    values = awkward(compute_indicators_for(DAY, forecast=forecast))
    assert row_writer.uses_copy()
    row_writer.write_snapshots(DAY, values)
    row_writer.write_forecast(DAY, forecast)

    monkeypatch.setattr(row_writer, "uses_copy", lambda: False)
    row_writer.write_snapshots(OTHER_DAY, values)
    row_writer.write_forecast(OTHER_DAY, forecast)

    assert len(stored(DAY)) == len(values)
    assert stored(DAY) == stored(OTHER_DAY)
    assert stored_forecast(DAY) == stored_forecast(OTHER_DAY)
    odd = IndicatorSnapshot.objects.get(date=DAY, scope_key="a\tb\\c\nd")
    assert (odd.numerator, odd.denominator, odd.value, odd.reports_expected, odd.provisional) == (
        Decimal(10),
        None,
        Decimal(0),
        3,
        True,
    )


@needs_postgresql
def test_copy_writes_in_chunks(district, monkeypatch):
    monkeypatch.setattr(row_writer, "COPY_CHUNK", 7)
    values = compute_indicators_for(DAY)
    assert len(values) > 7
    row_writer.write_snapshots(DAY, values)
    assert stored(DAY) == expected(values)


@pytest.mark.django_db(transaction=False)
def test_values_from_a_generator_are_written_and_counted(district, monkeypatch):
    monkeypatch.setattr(row_writer, "COPY_CHUNK", 7)  # several pieces of the COPY stream
    values = compute_indicators_for(DAY)
    taken = []

    def one_by_one():
        for value in values:
            taken.append(value)
            yield value

    assert row_writer.write_snapshots(DAY, one_by_one()) == len(values) == len(taken)
    assert stored(DAY) == expected(values)
