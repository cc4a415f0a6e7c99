"""PostgreSQL settings for a block of bulk work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def jit_off() -> Iterator[None]:
    """PostgreSQL's JIT compilation off for the block's queries; nothing elsewhere.

    The indicator sources' GROUP BYs carry dozens of FILTER clauses and subqueries: their estimated
    cost turns JIT on, and compiling them was nearly all of their time (7.6 of 7.7 s for the staff
    source at 2,000 kindergartens, docs/benchmarks.md). ``SET LOCAL`` lasts until the transaction
    ends: the block runs in one (a savepoint inside the caller's), so an outer transaction keeps
    the setting to its end and a request in autocommit gets it back at once.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
