"""The resident child population per sub-district, year and age: written by bureau staff only."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from accounts.models import User
from accounts.permissions import Act, require
from kindergartens.models import Subdistrict

from ..choices import PopulationBasis
from ..models import ChildPopulation
from .common import POPULATION_AGES, with_user


@transaction.atomic
def population_set(
    *,
    subdistrict: Subdistrict,
    year: int,
    basis: str = PopulationBasis.RESIDENT,
    children_by_age: Mapping[int, int],
    user: User,
) -> list[ChildPopulation]:
    """Records a sub-district's children by age (0–6) for a calendar year, replacing earlier figures."""
    require(user, Act.MANAGE)
    rows = {r.age: r for r in ChildPopulation.objects.filter(subdistrict=subdistrict, year=year, basis=basis)}
    saved = []
    for age in POPULATION_AGES:
        if age not in children_by_age:
            continue
        row = rows.get(age) or ChildPopulation(subdistrict=subdistrict, year=year, age=age, basis=basis)
        if row.pk is not None and row.children == children_by_age[age]:
            saved.append(row)
            continue
        row.children = children_by_age[age]
        row.full_clean(exclude=["subdistrict"], validate_unique=False, validate_constraints=False)
        with_user(row, user).save()
        saved.append(row)
    return saved


@transaction.atomic
def population_save(*, row: ChildPopulation, user: User) -> ChildPopulation:
    require(user, Act.MANAGE)
    row.full_clean()
    with_user(row, user).save()
    return row


@transaction.atomic
def population_delete(*, row: ChildPopulation, user: User) -> None:
    require(user, Act.MANAGE)
    with_user(row, user).delete()
