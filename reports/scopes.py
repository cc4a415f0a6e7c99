"""What an indicator is computed over: the district, one sub-district or one sponsor type.

The engine (`reports.indicators`) builds the scopes of a computation and hands them to every
app's indicator source, which returns its figures keyed by these same `Scope` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kindergartens.choices import SponsorType
from kindergartens.models import Subdistrict

from .choices import ScopeType

DISTRICT_KEY = "district"


@dataclass(frozen=True)
class Scope:
    """The district, one sub-district (key = statistical code) or one sponsor type (key = its code)."""

    type: str
    key: str
    label: str
    subdistrict_id: int | None = None
    # The engine looks scopes up in dicts over a million times a night (40,000 scopes × its
    # sources): the hash is worked out once, not from the four fields at every lookup.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.type, self.key, self.label, self.subdistrict_id)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:
        # Rebuilt from its fields when unpickled (a cached dashboard): a string's hash differs
        # from one process to the next, so a stored `_hash` would be wrong there.
        return (type(self), (self.type, self.key, self.label, self.subdistrict_id))

    @classmethod
    def district(cls) -> Scope:
        return cls(ScopeType.DISTRICT, DISTRICT_KEY, str(_("全区")))

    @classmethod
    def of_subdistrict(cls, subdistrict: Subdistrict) -> Scope:
        return cls(ScopeType.SUBDISTRICT, subdistrict.code, subdistrict.name, subdistrict.pk)

    @classmethod
    def of_sponsor_type(cls, sponsor_type: str) -> Scope:
        sponsor = SponsorType(sponsor_type)
        return cls(ScopeType.OWNERSHIP, sponsor.value, str(sponsor.label))


def scope_from_key(scope_type: str, scope_key: str) -> Scope:
    """The scope a (scope_type, scope_key) pair names, as stored on snapshots. LookupError if none."""
    if scope_type == ScopeType.DISTRICT:
        return Scope.district()
    if scope_type == ScopeType.SUBDISTRICT:
        try:
            return Scope.of_subdistrict(Subdistrict.objects.get(code=scope_key))
        except Subdistrict.DoesNotExist as exc:
            raise LookupError(scope_key) from exc
    if scope_type == ScopeType.OWNERSHIP and scope_key in SponsorType.values:
        return Scope.of_sponsor_type(scope_key)
    raise LookupError(f"{scope_type}:{scope_key}")


Group = tuple[int, str]  # (sub-district id, sponsor type): the grain of the sources' GROUP BYs


class GroupSums:
    """Figures of (sub-district, sponsor type) group rows summed per sub-district, per sponsor type
    and for the district.

    A source asks `of(scope)` for each scope: constant time, where testing every group row against
    every scope would be rows × scopes (130,000 × 40,000 at national scale). Each group's figures
    are a sequence of `width` numbers; a scope without rows gets zeros. `in_database` has the
    database add the group rows up (the sources' way); the constructor adds rows already fetched.
    """

    def __init__(self, groups: Iterable[tuple[Group, Sequence[int]]], width: int) -> None:
        self.zeros = (0,) * width
        self.district: Sequence[int] = [0] * width
        self.by_subdistrict: dict[int, Sequence[int]] = {}
        self.by_sponsor: dict[str, Sequence[int]] = {}
        for (subdistrict_id, sponsor_type), figures in groups:
            for totals in (
                self.district,
                self.by_subdistrict.setdefault(subdistrict_id, [0] * width),
                self.by_sponsor.setdefault(sponsor_type, [0] * width),
            ):
                for i, n in enumerate(figures):
                    totals[i] += n

    @classmethod
    def in_database(
        cls, grouped: QuerySet | tuple[str, Sequence], width: int, *, sums: Sequence[str] = ()
    ) -> GroupSums:
        """The sums of `grouped`'s rows — (sub-district, sponsor type, `width` integers), as a
        queryset selecting those columns or as (sql, params) — added up by the database.

        One statement: the group rows once, then summed per sub-district, per sponsor type and for
        the district. Python reads some 40,000 rows at national scale instead of adding 130,000
        field by field (seconds per source; docs/benchmarks.md). A NULL figure counts as 0.
        `sums`: SQL expressions over a row's figures, named ``n0`` … ``n{width-1}``, to add up
        instead of the figures themselves (each scope then has ``len(sums)`` of them).
        """
        figures = [f"n{i}" for i in range(width)]
        added = sums or figures
        try:
            sql, params = grouped.query.sql_with_params() if isinstance(grouped, QuerySet) else grouped
        except EmptyResultSet:  # a filter no row can match (`pk__in=[]`): no rows, every sum 0
            return cls((), len(added))
        totals = ", ".join(f"CAST(COALESCE(SUM({n}), 0) AS BIGINT)" for n in added)
        statement = (
            f"WITH g (subdistrict, sponsor, {', '.join(figures)}) AS ({sql}) "
            f"SELECT 0, NULL, NULL, {totals} FROM g "
            f"UNION ALL SELECT 1, subdistrict, NULL, {totals} FROM g GROUP BY subdistrict "
            f"UNION ALL SELECT 2, NULL, sponsor, {totals} FROM g GROUP BY sponsor"
        )
        found = cls((), len(added))
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            for level, subdistrict_id, sponsor_type, *scope_sums in cursor.fetchall():
                if level == 0:
                    found.district = scope_sums
                elif level == 1:
                    found.by_subdistrict[subdistrict_id] = scope_sums
                else:
                    found.by_sponsor[sponsor_type] = scope_sums
        return found

    def of(self, scope: Scope) -> Sequence[int]:
        if scope.type == ScopeType.DISTRICT:
            return self.district
        if scope.type == ScopeType.SUBDISTRICT:
            return self.by_subdistrict.get(scope.subdistrict_id, self.zeros)
        return self.by_sponsor.get(scope.key, self.zeros)
