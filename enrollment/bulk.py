"""Fast bulk writes with django-simple-history rows, for imports and demo data of tens of thousands of rows.

`simple_history.utils.bulk_create_with_history` goes through `QuerySet.bulk_create`, which compiles
every value of every row and builds a model instance per history row: about 90 µs per row with
its history here, 2.7 s of CPU for the 29,000 rows a 20,000-row statistics workbook becomes —
more than half the 5 s budget. These functions write the same rows (the object and a "+", "~"
or "-" history row with user, date and reason, exactly as simple-history would) from plain
tuples of already-validated values, as multi-row `INSERT … RETURNING id` statements in the
caller's transaction. Used only for models without custom `save()` or signal handlers other
than simple-history's (SchoolClass, EnrollmentByAge, EnrollmentSubmission, ChildPopulation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import NotSupportedError, connection, models
from django.utils import timezone

# Keep each statement well below every backend's bound-parameter limit.
MAX_ROWS_PER_STATEMENT = 1000
_PREPARED_TYPES = ("DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField")


def _batches(rows: Sequence[tuple], columns: int) -> Iterable[Sequence[tuple]]:
    limit = connection.features.max_query_params or 65535
    size = max(1, min(MAX_ROWS_PER_STATEMENT, limit // max(columns, 1)))
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model: type[models.Model], attnames: Sequence[str], rows: Sequence[tuple], *, returning: bool) -> list:
    if not rows:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError("bulk inserts need INSERT … RETURNING (PostgreSQL, or SQLite 3.35 and later)")
    fields = [next(f for f in model._meta.concrete_fields if f.attname == a) for a in attnames]
    prepared = {i for i, f in enumerate(fields) if f.get_internal_type() in _PREPARED_TYPES}
    if prepared:
        rows = [
            tuple(fields[i].get_db_prep_save(v, connection) if i in prepared else v for i, v in enumerate(row))
            for row in rows
        ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_sql = ", ".join(quote(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    ids: list = []
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(fields)):
            sql = f"INSERT INTO {table} ({column_sql}) VALUES {', '.join([one_row] * len(batch))}{suffix}"
            cursor.execute(sql, [value for row in batch for value in row])
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _history(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[tuple],
    *,
    history_type: str,
    user: models.Model | None,
    reason: str,
) -> None:
    """History rows for `rows` (which must include "id"), as simple-history's bulk_history_create writes them."""
    history_model = model.history.model
    tracked = [f.attname for f in history_model.tracked_fields]
    positions = [list(attnames).index(a) for a in tracked]
    extra = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    unknown = {
        f.attname for f in history_model._meta.concrete_fields if f.attname not in {*tracked, *extra, "history_id"}
    }
    if unknown:
        raise ValueError(f"{history_model.__name__} has fields this bulk writer does not fill: {unknown}")
    history_rows = [(*(row[p] for p in positions), *extra.values()) for row in rows]
    _insert(history_model, [*tracked, *extra], history_rows, returning=False)


def insert_with_history(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[tuple],
    *,
    user: models.Model | None = None,
    reason: str = "",
) -> list[int]:
    """Inserts `rows` (tuples of values for `attnames`, e.g. "kindergarten_id") and a "+" history
    row for each; returns the new primary keys in row order. Fields not named get their default."""
    given = list(attnames)
    missing = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given]
    if missing:
        # The database knows no Django defaults: fill them in, as Model() would.
        defaults = tuple(f.get_default() for f in missing)
        given += [f.attname for f in missing]
        rows = [(*row, *defaults) for row in rows]
    ids = _insert(model, given, rows, returning=True)
    with_ids = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    _history(model, ["id", *given], with_ids, history_type="+", user=user, reason=reason)
    return ids


def record_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    *,
    history_type: str,
    user: models.Model | None = None,
    reason: str = "",
) -> None:
    """History rows of one type ("~" after an update, "-" before a delete) for saved instances."""
    if not objs:
        return
    attnames = [f.attname for f in model.history.model.tracked_fields]
    rows = [tuple(getattr(obj, a) for a in attnames) for obj in objs]
    _history(model, attnames, rows, history_type=history_type, user=user, reason=reason)


def delete_with_history(
    objs: Sequence[models.Model], model: type[models.Model], *, user: models.Model | None = None, reason: str = ""
) -> None:
    """Records a "-" history row for each object, then deletes them with plain DELETE statements.

    `QuerySet.delete()` would load every object again to send the delete signals, on which
    simple-history writes its own "-" rows one by one (without the importing user). Only for
    models nothing else refers to.
    """
    if not objs:
        return
    record_history(objs, model, history_type="-", user=user, reason=reason)
    quote = connection.ops.quote_name
    pks = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for batch in _batches([(pk,) for pk in pks], 1):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN ({marks})",
                [pk for (pk,) in batch],
            )


def update_with_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    fields: Sequence[str],
    *,
    user: models.Model | None = None,
    reason: str = "",
) -> None:
    """Writes `fields` of changed instances back, and a "~" history row for each.

    `QuerySet.bulk_update` compiles a CASE expression per row and field (about 0.3 ms a row
    here); one `WITH v(...) AS (VALUES …) UPDATE … FROM v` statement per thousand rows does the
    same work in the database. Values are cast to the column types, which PostgreSQL needs to
    type a VALUES list of parameters. Needs PostgreSQL or SQLite 3.33 and later (UPDATE … FROM).
    """
    if not objs:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in fields)]
    names = [f"c{i}" for i in range(len(columns))]
    casts = [f"CAST(%s AS {f.cast_db_type(connection)})" for f in columns]
    one_row = "(" + ", ".join(casts) + ")"
    assignments = ", ".join(f"{quote(f.column)} = v.{n}" for f, n in zip(columns[1:], names[1:], strict=True))
    rows = [tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns) for obj in objs]
    with connection.cursor() as cursor:
        for batch in _batches(rows, len(columns)):
            cursor.execute(
                f"WITH v({', '.join(names)}) AS (VALUES {', '.join([one_row] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(pk.column)} = v.{names[0]}",
                [value for row in batch for value in row],
            )
    record_history(objs, model, history_type="~", user=user, reason=reason)
