"""The recognitions panel of the officials' dashboard: recognitions lapsed or lapsing within the
policy's warning days, as far as the user may see them (two queries)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Recognition
from .selectors import warning_days

PANEL_ROWS = 10


@dataclass(frozen=True)
class RecognitionPanel:
    warning_days: int
    count: int
    rows: list[Recognition]
    today: datetime.date


def recognitions_panel(user, subdistrict=None, today: datetime.date | None = None) -> RecognitionPanel:
    today = today or timezone.localdate()
    days = warning_days(today)
    expiring = Recognition.objects.restrict(user).expiring(today, days)
    if subdistrict is not None:
        expiring = expiring.filter(kindergarten__subdistrict=subdistrict)
    rows = list(expiring.select_related("kindergarten__subdistrict").order_by("valid_to", "pk")[:PANEL_ROWS])
    count = len(rows) if len(rows) < PANEL_ROWS else expiring.count()
    return RecognitionPanel(warning_days=days, count=count, rows=rows, today=today)
