"""PostgreSQL settings for a block of bulk queries (the indicator computation)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

# Enough for the hash tables of the indicator queries at national scale (270,000 kindergartens).
BULK_WORK_MEM = "64MB"
# The planner's price of a random page read against a sequential one (its default: 4).
BULK_RANDOM_PAGE_COST = "1.1"


@contextmanager
def bulk_query_settings() -> Iterator[None]:
    """JIT compilation off, a larger ``work_mem`` and cheaper random reads for the block's queries. (Settings turn JIT off
    on every PostgreSQL connection too; it is said again here so the computation does not depend
    on the connection's options, e.g. behind a pooler that refuses them.)

    - JIT: the indicator sources' GROUP BYs carry dozens of FILTER clauses and subqueries; their
      estimated cost turns JIT on, and compiling them was nearly all of their time (7.6 of 7.7 s
      for the staff source at 2,000 kindergartens, docs/benchmarks.md).
    - ``work_mem``: a ``pk IN (subquery)`` grouping column (the safety source's guard rule) is a
      hashed subplan only if the set fits in ``work_mem``. With the default 4 MB, 270,000 ids do
      not, and PostgreSQL scans the whole list for every row: rows², hours at national scale. The
      finer GROUP BYs also stop spilling to disk.
    - ``random_page_cost`` 1.1 instead of 4, the usual value where the data is in memory or on
      SSD: with 4, the planner hashed millions of certificates to test a few thousand expiring
      ones for renewal, where probing the index per candidate is faster (every scope's figures
      10–20 % faster at 2,000 to 270,000 kindergartens; docs/benchmarks.md).

    ``SET LOCAL`` lasts until the transaction ends: the block runs in one (a savepoint inside the
    caller's), so an outer transaction keeps the settings to its end and a request in autocommit
    gets the server's back at once.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One round trip for the three (set_config(…, true) is SET LOCAL).
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true), "
                "set_config('random_page_cost', %s, true)",
                [BULK_WORK_MEM, BULK_RANDOM_PAGE_COST],
            )
        yield
