"""`common.sql.splice`: a part written into a statement keeps every parameter with its placeholder,
and the spliced statement runs and returns what the joined rows give."""

from __future__ import annotations

import pytest
from django.db import connection

from common.sql import splice
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory


def test_the_parts_parameters_go_between_those_before_and_after_it():
    statement = ("SELECT a FROM t WHERE x = %s AND y = %s", (1, 2))
    spliced = splice(statement, "x = %s", (" AND z IN (%s, %s)", (3, 4)))
    assert spliced == ("SELECT a FROM t WHERE x = %s AND z IN (%s, %s) AND y = %s", (1, 3, 4, 2))


def test_replace_writes_the_part_instead_of_the_text_and_only_at_its_first_occurrence():
    statement = ("SELECT %s FROM t JOIN u ON u.id = %s FROM t", ("a", 5))
    spliced = splice(statement, " FROM t", (" FROM (SELECT * FROM t WHERE k = %s) t", (9,)), replace=True)
    assert spliced == ("SELECT %s FROM (SELECT * FROM t WHERE k = %s) t JOIN u ON u.id = %s FROM t", ("a", 9, 5))


def test_a_text_the_statement_lacks_is_an_error_not_a_statement_without_the_part():
    with pytest.raises(ValueError):
        splice(("SELECT 1", ()), " FROM t", (" LEFT JOIN u", ()))


@pytest.mark.django_db
def test_a_spliced_join_runs_with_the_parameters_on_both_sides():
    KindergartenFactory(approved_capacity=100)
    wanted = KindergartenFactory(approved_capacity=200)
    table = connection.ops.quote_name(Kindergarten._meta.db_table)
    rows = Kindergarten.objects.filter(approved_capacity__gte=150).values_list("pk").order_by()
    join = (f" JOIN (SELECT %s AS k) extra ON {table}.id = extra.k", (wanted.pk,))
    with connection.cursor() as cursor:
        cursor.execute(*splice(rows.query.sql_with_params(), f" FROM {table}", join))
        assert cursor.fetchall() == [(wanted.pk,)]
