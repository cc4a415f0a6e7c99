"""`common.pg.bulk_query_settings`: the indicator computation's PostgreSQL settings."""

import pytest
from django.db import connection

from common.pg import BULK_RANDOM_PAGE_COST, BULK_WORK_MEM, bulk_query_settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings"),
]


def show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_block_runs_without_jit_with_the_larger_work_mem_and_cheaper_random_reads():
    with bulk_query_settings():
        assert show("jit") == "off"
        assert show("work_mem") == BULK_WORK_MEM
        assert show("random_page_cost") == BULK_RANDOM_PAGE_COST
