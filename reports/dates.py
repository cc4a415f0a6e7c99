"""Which snapshot dates a dashboard, a report or a download can show for a scope, and which one
it shows (the requested date's, else the latest before it, else the latest)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q

from kindergartens.models import Subdistrict

from . import registry
from .choices import ScopeType
from .models import IndicatorSnapshot

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import SystemScope


def scope_filter(subdistrict: Subdistrict | None) -> Q:
    """The snapshots of the district (None) or of one sub-district."""
    if subdistrict is None:
        return Q(scope_type=ScopeType.DISTRICT)
    return Q(scope_type=ScopeType.SUBDISTRICT, subdistrict=subdistrict)


def snapshot_dates(user: User | SystemScope, subdistrict: Subdistrict | None = None) -> list[datetime.date]:
    """Dates with a snapshot for the scope, newest first."""
    return list(
        IndicatorSnapshot.objects.visible_to(user)
        # Not every row of every night (a year of nightly runs is millions of rows): the
        # district's dates come from the district-wide scopes' partial index, a sub-district's
        # through its id's (IndicatorSnapshot.Meta.indexes).
        .filter(scope_filter(subdistrict), indicator__in=registry.codes())
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()
    )


def resolve_date(dates: list[datetime.date], requested: datetime.date | None) -> datetime.date | None:
    """The snapshot to show: the requested date's, else the latest one before it, else the latest."""
    if not dates:
        return None
    if requested is None:
        return dates[0]
    return next((d for d in dates if d <= requested), None)
