"""The ageing of overdue hazards: how many are 1–7, 8–30, 31–90 and more than 90 days past their
deadline, per severity, counted by one GROUP BY query (the chart and table of the overdue page).

A hazard overdue on `day` by n days has `deadline = day − n` (a deadline on `day` itself is not yet
missed), so each bucket is a range of deadlines and the database buckets without date arithmetic.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Value, When
from django.utils.translation import gettext_lazy as _

from .choices import Severity
from .models import HazardQuerySet

# (key, label, most days overdue in the bucket; None = no upper bound). Buckets of a chart, not policy.
BUCKETS = (
    ("1-7", _("1–7 天"), 7),
    ("8-30", _("8–30 天"), 30),
    ("31-90", _("31–90 天"), 90),
    ("90+", _("90 天以上"), None),
)


@dataclass(frozen=True)
class AgeingRow:
    key: str
    label: str
    counts: dict[str, int]  # severity → hazards

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def overdue_ageing(hazards: HazardQuerySet, day: datetime.date) -> list[AgeingRow]:
    """One row per bucket (all four, zeros included), counts per severity."""
    whens = [
        When(deadline__gte=day - datetime.timedelta(days=most), then=Value(key))
        for key, _label, most in BUCKETS
        if most is not None
    ]
    last = BUCKETS[-1][0]
    grouped = (
        hazards.overdue(day)
        .annotate(bucket=Case(*whens, default=Value(last), output_field=CharField()))
        .values("bucket", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {(row["bucket"], row["severity"]): row["n"] for row in grouped}
    return [
        AgeingRow(key, str(label), {severity: found.get((key, severity), 0) for severity in Severity.values})
        for key, label, _most in BUCKETS
    ]
