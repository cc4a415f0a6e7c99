"""`common.temp_tables`: a table per key, filled once, dropped with its owner — also after an
error; and the indicator engine's one table of each kindergarten's posts and classes per run
(one per nightly job: its warnings read the classes table too)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.temp_tables import TempTables, temp_tables
from kindergartens.models import Kindergarten
from reports.indicators import compute_indicators_for
from reports.services import replace_results
from tests.factories import KindergartenFactory

pytestmark = pytest.mark.django_db


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
        return cursor.fetchall()


def exists(table: str) -> bool:
    """Whether the connection has a temporary table of that name."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relpersistence = 't'", [table])
        else:
            cursor.execute("SELECT 1 FROM sqlite_temp_master WHERE name = %s", [table])
        return cursor.fetchone() is not None


def test_a_key_is_filled_once_and_the_tables_are_dropped_at_the_end():
    kg = KindergartenFactory()
    calls = []

    def select():
        calls.append(1)
        return "SELECT id AS kg, code FROM kindergartens_kindergarten WHERE id = %s", [kg.pk]

    with temp_tables() as tables:
        first = tables.table("one", select)
        assert tables.table("one", select) == first and len(calls) == 1
        assert rows(first) == [(kg.pk, kg.code)]
        other = tables.table("two", select)
        assert other != first and len(calls) == 2
    assert not exists(first) and not exists(other)


def test_shared_tables_are_left_to_their_owner():
    owner = TempTables()
    with temp_tables(owner) as tables:
        assert tables is owner
        name = tables.table("k", lambda: ("SELECT 1 AS kg", []))
    assert exists(name)
    owner.drop()
    assert not exists(name)


def test_the_tables_are_dropped_after_an_error_and_the_error_is_the_blocks():
    with pytest.raises(ZeroDivisionError), temp_tables() as tables:
        name = tables.table("k", lambda: ("SELECT 1 AS kg", []))
        1 / 0  # noqa: B018
    assert not exists(name)


def test_the_engine_fills_each_table_of_day_figures_once_per_run_and_drops_them(kg_a, kg_b):
    """Four sources read each kindergarten's classes (enrolment, staffing checks, guard rule) and
    posts (staffing checks, dual certificates, guard rule): two tables (enrollment.day_figures,
    staff.day_figures), each created and dropped once, whatever the number of kindergartens."""
    day = datetime.date(2025, 11, 15)

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            compute_indicators_for(day)
        return [q["sql"] for q in captured]

    before = statements()
    creates = [sql for sql in before if sql.startswith("CREATE TEMPORARY TABLE")]
    drops = [sql for sql in before if sql.startswith("DROP TABLE")]
    assert len(creates) == len(drops) == 2
    tables = {sql.split()[3] for sql in creates}
    assert {sql.removeprefix("DROP TABLE IF EXISTS ") for sql in drops} == tables
    assert not any(exists(table) for table in tables)
    KindergartenFactory.create_batch(3, subdistrict=kg_a.subdistrict)
    assert len(statements()) == len(before) and Kindergarten.objects.count() > 2


def test_the_nightly_jobs_warnings_read_the_engines_classes_table(kg_a, kg_b):
    """The nightly job hands the engine its own tables, so the underused-kindergarten warnings read
    the classes the sources summed: the same two tables, dropped when the job's rows are written."""
    with CaptureQueriesContext(connection) as captured:
        replace_results(datetime.date(2025, 11, 15))
    creates = [q["sql"] for q in captured if q["sql"].startswith("CREATE TEMPORARY TABLE")]
    assert len(creates) == 2
    assert not any(exists(sql.split()[3]) for sql in creates)


def test_joined_reads_a_tables_rows_beside_the_orms():
    """`joined`: the queryset's own filters and grouping, the table's column by its alias; a row
    without a match reads NULL."""
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    from common.temp_tables import joined

    a, b, c = KindergartenFactory(), KindergartenFactory(), KindergartenFactory()
    with temp_tables() as tables:
        table = tables.table("k", lambda: ("SELECT %s AS kg, 5 AS n UNION ALL SELECT %s, 7", [a.pk, b.pk]))
        rows = (
            Kindergarten.objects.exclude(pk=b.pk)
            .annotate(n=RawSQL("t.n", (), output_field=IntegerField()))
            .values("pk", "n")
            .order_by("pk")
        )
        with connection.cursor() as cursor:
            cursor.execute(*joined(rows, table, "t"))
            assert cursor.fetchall() == [(a.pk, 5), (c.pk, None)]
