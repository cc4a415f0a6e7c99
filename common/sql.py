"""Composing one statement from the ORM's SQL and a part the ORM cannot express (a join to a
derived table or a temporary table), keeping the parameters in the order of their placeholders."""

from __future__ import annotations

Statement = tuple[str, tuple]  # SQL with %s placeholders, and its parameters


def splice(statement: Statement, after: str, part: Statement, *, replace: bool = False) -> Statement:
    """`statement` with `part` written right after the first occurrence of `after` (or instead of it).

    `after` must first occur where `part` belongs, e.g. ``FROM "table"`` of a statement whose select
    list reads only columns (a subquery there would come first)."""
    sql, params = statement
    at = sql.index(after)
    cut = at if replace else at + len(after)
    before = sql[:cut].count("%s")
    return f"{sql[:cut]}{part[0]}{sql[at + len(after) :]}", (*params[:before], *part[1], *params[before:])
