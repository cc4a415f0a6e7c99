"""Writing a date's computed rows: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

At national scale the nightly job writes over a million snapshots and 200,000 forecast rows.
``bulk_create`` builds a model instance per row and has Django prepare every value of it: most
of the job's time (docs/benchmarks.md). On PostgreSQL the rows go instead as text through
``COPY … FROM STDIN``, formatted straight from the computed values, in chunks of
`COPY_CHUNK` rows. Other databases (SQLite, the embedded default) keep ``bulk_create``.

Both paths write the same rows (tests/reports/test_row_writer.py compares them column by column on
PostgreSQL): numbers are sent as their exact decimal text and PostgreSQL fits them to the column's
scale exactly as it does for ``bulk_create``'s parameters; ``computed_at`` is one timestamp for the
whole write (``auto_now`` gave each row the moment its instance was prepared).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from .forecast import seat_forecast_models
from .models import COMPLETENESS_FIELDS, IndicatorSnapshot, SeatForecast

if TYPE_CHECKING:
    from enrollment.forecast import ForecastRow

    from .indicators import IndicatorValue

BATCH_SIZE = 2000  # bulk_create's statements
COPY_CHUNK = 100_000  # rows per COPY statement: bounds the text held in memory at once

SNAPSHOT_FIELDS = (
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
    *COMPLETENESS_FIELDS,
    "computed_at",
)
FORECAST_FIELDS = ("date", "subdistrict", "year", "cohort", "demand", "seats", "shortfall")

NULL = "\\N"
# COPY's text format: backslash, tab, newline and carriage return are escaped inside a value.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _text(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    # int, Decimal (its exact text; PostgreSQL also reads "0E-6"), date, aware datetime.
    return str(value)


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY `rows` (tuples in `fields` order) into `model`'s table; the number of rows written."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, COPY_CHUNK)):
            text = "".join(["\t".join(map(_text, row)) + "\n" for row in chunk])
            cursor.cursor.copy_expert(statement, io.StringIO(text))
            written += len(chunk)
    return written


def _snapshot_rows(day: datetime.date, values: Iterable[IndicatorValue]) -> Iterator[tuple]:
    now = timezone.now()
    for v in values:
        scope, done = v.scope, v.completeness
        yield (
            day,
            scope.type,
            scope.key,
            scope.subdistrict_id,
            v.indicator,
            v.numerator,
            v.denominator,
            v.value,
            v.target,
            v.met,
            v.national_target,
            v.national_met,
            v.population_basis,
            *(
                (None,) * 5
                if done is None
                else (done.expected, done.reported, done.expected_seats, done.reported_seats, done.provisional)
            ),
            now,
        )


def write_snapshots(day: datetime.date, values: Sequence[IndicatorValue]) -> None:
    """Insert `values` as `day`'s snapshots (the caller has deleted the date's earlier ones)."""
    if uses_copy():
        copy_rows(IndicatorSnapshot, SNAPSHOT_FIELDS, _snapshot_rows(day, values))
    else:
        IndicatorSnapshot.objects.bulk_create([v.to_snapshot(day) for v in values], batch_size=BATCH_SIZE)


def write_forecast(day: datetime.date, rows: Sequence[ForecastRow]) -> None:
    """Insert the forecast `rows` as `day`'s `SeatForecast` rows."""
    if uses_copy():
        copy_rows(
            SeatForecast,
            FORECAST_FIELDS,
            ((day, r.subdistrict_id, r.year, r.cohort, r.demand, r.seats, r.shortfall) for r in rows),
        )
    else:
        SeatForecast.objects.bulk_create(seat_forecast_models(day, rows), batch_size=BATCH_SIZE)
