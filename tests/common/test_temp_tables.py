"""`common.temp_tables`: a table per key, filled once, dropped with its owner — also after an
error; and the indicator engine's one table of each kindergarten's posts and classes per run."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.temp_tables import TempTables, temp_tables
from kindergartens.models import Kindergarten
from reports.indicators import compute_indicators_for
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
        return "SELECT id, code FROM kindergartens_kindergarten WHERE id = %s", [kg.pk]

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
        name = tables.table("k", lambda: ("SELECT 1 AS n", []))
    assert exists(name)
    owner.drop()
    assert not exists(name)


def test_the_tables_are_dropped_after_an_error_and_the_error_is_the_blocks():
    with pytest.raises(ZeroDivisionError), temp_tables() as tables:
        name = tables.table("k", lambda: ("SELECT 1 AS n", []))
        1 / 0  # noqa: B018
    assert not exists(name)


def test_the_engine_fills_one_table_of_day_figures_per_run_and_drops_it(kg_a, kg_b):
    """Three sources read each kindergarten's posts and classes (staffing checks, dual
    certificates, guard rule): one CREATE, one DROP, whatever the number of kindergartens."""
    day = datetime.date(2025, 11, 15)

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            compute_indicators_for(day)
        return [q["sql"] for q in captured]

    before = statements()
    creates = [sql for sql in before if sql.startswith("CREATE TEMPORARY TABLE")]
    drops = [sql for sql in before if sql.startswith("DROP TABLE")]
    assert len(creates) == len(drops) == 1
    table = creates[0].split()[3]
    assert drops[0] == f"DROP TABLE IF EXISTS {table}" and not exists(table)
    KindergartenFactory.create_batch(3, subdistrict=kg_a.subdistrict)
    assert len(statements()) == len(before) and Kindergarten.objects.count() > 2
