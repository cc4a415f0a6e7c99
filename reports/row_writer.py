"""Writing a date's computed rows: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

At national scale the nightly job writes over a million snapshots and 200,000 forecast rows.
``bulk_create`` builds a model instance per row and has Django prepare every value of it: most
of the job's time (docs/benchmarks.md). On PostgreSQL the rows go instead as text through one
``COPY … FROM STDIN``, formatted straight from the computed values and streamed `COPY_CHUNK`
lines at a time: the values may come from a generator (the engine's `stream_indicators_for`), so
Python builds and formats the next rows while PostgreSQL inserts the ones before — two cores at
work instead of one after the other. Other databases (SQLite, the embedded default) keep
``bulk_create``.

Both paths write the same rows (tests/reports/test_row_writer.py compares them column by column on
PostgreSQL): numbers are sent as their exact decimal text and PostgreSQL fits them to the column's
scale exactly as it does for ``bulk_create``'s parameters; ``computed_at`` is one timestamp for the
whole write (``auto_now`` gave each row the moment its instance was prepared).
"""

from __future__ import annotations

import dataclasses
import datetime
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
COPY_CHUNK = 2_000  # lines per piece of the COPY stream: small, so PostgreSQL starts inserting at once

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
_BOOLEAN = {None: NULL, True: "t", False: "f"}


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


class _Stream:
    """The COPY data as psycopg2 reads it: `COPY_CHUNK` lines per read, taken from `lines` only then.

    An error raised while producing the lines aborts the COPY (psycopg2 reports it as a failed
    COPY); `error` keeps it so the caller re-raises the original."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = iter(lines)
        self.count = 0
        self.error: Exception | None = None

    def read(self, size: int = -1) -> str:
        try:
            chunk = list(islice(self.lines, COPY_CHUNK))
        except Exception as exc:
            self.error = exc
            raise
        self.count += len(chunk)
        return "".join(chunk)


def copy_lines(model: type[Model], fields: Sequence[str], lines: Iterable[str]) -> int:
    """COPY `lines` (rows already in COPY's text format, `fields` order) into `model`'s table; the count."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    stream = _Stream(lines)
    with connection.cursor() as cursor:
        try:
            cursor.cursor.copy_expert(statement, stream)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise
    return stream.count


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY `rows` (tuples of Python values in `fields` order) into `model`'s table."""
    return copy_lines(model, fields, ("\t".join(map(_text, row)) + "\n" for row in rows))


def _snapshot_lines(day: datetime.date, values: Iterable[IndicatorValue]) -> Iterator[str]:
    """Each value as a line of COPY text, in `SNAPSHOT_FIELDS` order.

    A million lines at national scale, so the parts shared by many values are formatted once: the
    date and time, each scope (the engine yields a scope's values together) and each completeness.
    Numbers print as their exact decimal text; booleans and empty values through `_text`.
    """
    start, end = f"{day}\t", f"\t{_text(timezone.now())}\n"
    scope = done = object()  # nothing formatted yet (None is a completeness: none)
    scope_text = done_text = ""
    codes: dict[str, str] = {}
    for v in values:
        if v.scope is not scope:
            scope = v.scope
            scope_text = "\t".join(map(_text, (scope.type, scope.key, scope.subdistrict_id)))
        if v.completeness is not done:
            done = v.completeness
            figures = (None,) * 5 if done is None else dataclasses.astuple(done)
            done_text = "\t".join(map(_text, figures))
        code = codes.get(v.indicator) or codes.setdefault(v.indicator, _text(v.indicator))
        denominator, value, target, national = v.denominator, v.value, v.target, v.national_target
        yield (
            f"{start}{scope_text}\t{code}\t{v.numerator}\t{NULL if denominator is None else denominator}\t"
            f"{NULL if value is None else value}\t{NULL if target is None else target}\t{_BOOLEAN[v.met]}\t"
            f"{NULL if national is None else national}\t{_BOOLEAN[v.national_met]}\t"
            f"{_text(v.population_basis)}\t{done_text}{end}"
        )


def write_snapshots(day: datetime.date, values: Iterable[IndicatorValue]) -> int:
    """Insert `values` (a sequence or a generator) as `day`'s snapshots (the caller has deleted
    the date's earlier ones); how many."""
    if uses_copy():
        return copy_lines(IndicatorSnapshot, SNAPSHOT_FIELDS, _snapshot_lines(day, values))
    snapshots = [v.to_snapshot(day) for v in values]
    IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=BATCH_SIZE)
    return len(snapshots)


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
