"""Temporary tables that one computation fills once and several of its queries read.

The indicator engine hands its sources one `TempTables` per run (`reports.registry.IndicatorContext`):
the first source that needs, for instance, each kindergarten's posts and classes of the day
(`staff.day_figures`) creates that table, the sources after it join it instead of aggregating
the same rows again, and the engine drops every table when the run's queries are done. Portable:
PostgreSQL and SQLite both have ``CREATE TEMPORARY TABLE … AS SELECT``, private to the connection.
Every table has a ``kg`` column, the kindergarten its row is about (`joined` joins on it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from .sql import splice

# Names are unique in the process, so tables of two computations on one connection never clash.
_numbers = itertools.count(1)


class TempTables:
    """The tables of one computation, by key; `drop` removes them."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def table(self, key: str, select: Callable[[], tuple[str, Sequence]]) -> str:
        """The name of the table holding the rows of the statement `select` returns (SQL,
        parameters), created the first time `key` is asked for: the key must name everything the
        rows depend on."""
        if key not in self._names:
            name = f"computation_{next(_numbers)}"
            sql, params = select()
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
                if connection.vendor == "postgresql":
                    # Autovacuum never analyses a temporary table: without its row count, the
                    # planner guesses and may probe it row by row. The row count and the join
                    # column are what the joins need; the other columns' statistics (sixteen for
                    # the staff table) took longer to gather than most queries reading them.
                    cursor.execute(f"ANALYZE {name} (kg)")
            self._names[key] = name
        return self._names[key]

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for name in self._names.values():
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
        self._names.clear()


@contextmanager
def temp_tables(shared: TempTables | None = None) -> Iterator[TempTables]:
    """`shared` when given (its owner drops it); otherwise new tables, dropped when the block ends.

    After an error the drop is attempted but may fail (an aborted PostgreSQL transaction, whose
    rollback removes the tables anyway): the error raised is the block's own.
    """
    if shared is not None:
        yield shared
        return
    tables = TempTables()
    try:
        yield tables
    except BaseException:
        try:
            tables.drop()
        except DatabaseError:
            pass
        raise
    tables.drop()


def joined(queryset: QuerySet, table: str, alias: str) -> tuple[str, tuple]:
    """The statement of `queryset` with `table` LEFT JOINed as `alias`, on its ``kg`` column
    against the primary key of the queryset's model (SQL, parameters).

    The join goes right after the model's table in the FROM clause: the select list must read
    only column references (no subquery), so that the first FROM is the outer one. The ORM has no
    join to a table it does not know; this keeps the rest of the statement the ORM's.
    """
    quote = connection.ops.quote_name
    model = quote(queryset.model._meta.db_table)
    join = f" LEFT JOIN {table} {alias} ON {alias}.kg = {model}.{quote(queryset.model._meta.pk.column)}"
    return splice(queryset.query.sql_with_params(), f" FROM {model}", (join, ()))
