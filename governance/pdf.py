"""The governance chapter of the PDF report (民办园治理与经费), registered with
`reports.registry.register_pdf_section` by `governance.indicators`.

For the report's date D and the district (``subdistrict`` None) or one sub-district:

- recognitions: in force on D (`Recognition.objects.covering`), lapsed or lapsing within the
  policy's warning days (`expiring`, as the indicator ``recognitions_expiring``), revoked on or
  before D;
- fee alerts open on D (`FeeAlert.objects.open_on`, as ``fee_anomalies_open``) by kind;
- subsidies of the last whole month before D's month: the computed entitlement
  (`governance.subsidies.entitlements`, the page's figures) against the disbursements recorded
  for it — per sub-district in the district's report, per kindergarten in a sub-district's;
- residential-estate kindergartens not in place on D (a gap open on D, as ``estate_not_in_place``):
  per sub-district in the district's report, each kindergarten with its gaps in a sub-district's.

Everything is limited to the report's sub-district; a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum

from common.report_rows import Excerpt, excerpt
from kindergartens.models import EstateGap, Kindergarten, Subdistrict

from .choices import AlertKind, RecognitionStatus
from .models import Disbursement, FeeAlert, Recognition
from .selectors import warning_days
from .subsidies import entitlements, month_start


@dataclass
class MoneyRow:
    name: str  # a sub-district's (district report) or a kindergarten's (sub-district report)
    kindergartens: int
    entitled: Decimal
    paid: Decimal

    @property
    def unpaid(self) -> Decimal:
        return self.entitled - self.paid


@dataclass
class GovernanceSection:
    day: datetime.date
    subdistrict: Subdistrict | None
    warning_days: int
    recognised: int
    lapsing: int
    revoked: int
    alerts: list[tuple[str, int]]  # (kind's label, open alerts) for every kind
    month: datetime.date
    money: list[MoneyRow]
    estates_not_in_place: int
    estate_rows: list[tuple[str, int]] = field(default_factory=list)  # district: (sub-district, count)
    estates: list[Kindergarten] = field(default_factory=list)  # a sub-district's, with `open_gaps`

    @property
    def alerts_open(self) -> int:
        return sum(n for _, n in self.alerts)

    @property
    def entitled(self) -> Decimal:
        return sum((row.entitled for row in self.money), Decimal("0"))

    @property
    def paid(self) -> Decimal:
        return sum((row.paid for row in self.money), Decimal("0"))

    @property
    def money_shown(self) -> Excerpt:
        """The rows the report lists (the largest unpaid first when too many); the totals are of all."""
        return excerpt(self.money, worst_first=lambda row: (-row.unpaid, row.name))

    @property
    def estate_rows_shown(self) -> Excerpt:
        return excerpt(self.estate_rows, worst_first=lambda row: (-row[1], row[0]))


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def governance_pdf_section(day: datetime.date, subdistrict: Subdistrict | None = None) -> GovernanceSection:
    where = Q() if subdistrict is None else Q(kindergarten__subdistrict=subdistrict)
    recognitions = Recognition.objects.filter(where)
    days = warning_days(day)
    counts = recognitions.aggregate(
        revoked=Count("pk", filter=Q(status=RecognitionStatus.REVOKED, revoked_on__lte=day)),
    )
    open_alerts = dict(
        FeeAlert.objects.open_on(day).filter(where).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    month = previous_month(day)
    rows = entitlements(recognitions, month)
    paid = dict(
        Disbursement.objects.filter(where, month=month)
        .values("kindergarten")
        .annotate(total=Sum("amount"))
        .values_list("kindergarten", "total")
        .order_by()
    )
    money: dict[object, MoneyRow] = {}
    counted: set[int] = set()  # a kindergarten with two recognitions in the month has two rows
    for row in rows:
        kindergarten = row.kindergarten
        key = kindergarten.subdistrict if subdistrict is None else kindergarten
        line = money.setdefault(key, MoneyRow(key.name, 0, Decimal("0"), Decimal("0")))
        line.entitled += row.total
        if kindergarten.pk not in counted:
            counted.add(kindergarten.pk)
            line.kindergartens += 1
            line.paid += paid.get(kindergarten.pk, Decimal("0"))
    open_gap = EstateGap.objects.open_on(day)
    estates = Kindergarten.objects.filter(
        Exists(open_gap.filter(kindergarten=OuterRef("pk"))), is_estate_kindergarten=True
    )
    if subdistrict is not None:
        estates = estates.filter(subdistrict=subdistrict)
    section = GovernanceSection(
        day=day,
        subdistrict=subdistrict,
        warning_days=days,
        recognised=recognitions.covering(day).count(),
        lapsing=recognitions.expiring(day, days).count(),
        revoked=counts["revoked"],
        alerts=[(kind.label, open_alerts.get(kind.value, 0)) for kind in AlertKind],
        month=month,
        money=list(money.values()),
        estates_not_in_place=estates.count(),
    )
    if subdistrict is None:
        section.estate_rows = list(
            estates.values("subdistrict__code", "subdistrict__name")
            .annotate(n=Count("pk"))
            .order_by("subdistrict__code")
            .values_list("subdistrict__name", "n")
        )
    else:
        section.estates = list(
            estates.order_by("code").prefetch_related(
                Prefetch("estate_gap_records", queryset=open_gap.order_by("since"), to_attr="open_gaps")
            )
        )
    return section
