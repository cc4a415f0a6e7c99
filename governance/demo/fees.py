"""Demo fees: most operating kindergartens filed this school year's fees within their caps, a few
above them; non-profit private kindergartens registered their accounts and last year's summary
(two paid their sponsor); the scan then raises the alerts, and the bureau resolved some."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from enrollment.models import SchoolYear
from kindergartens.choices import SponsorType
from kindergartens.models import Kindergarten

from ..choices import AlertKind, AlertStatus, FeeItemKind, FeeKind
from ..models import FeeAlert, FeeCap, FeeFiling, FeeItem, FinancialSummary, RegisteredAccount
from ..selectors import fee_kind
from ..services import fee_alerts_scan
from .common import CHANGE_REASON, grade_of

BANKS = ("中国工商银行北京朝阳支行", "中国建设银行北京望京支行", "北京银行朝阳支行", "中国农业银行北京双井支行")


def _care_fee(rng: random.Random, kind: str | None, cap: Decimal | None) -> Decimal:
    if cap is None:  # market-priced private kindergartens
        return Decimal(rng.randrange(1800, 6500, 100))
    return (
        cap - Decimal(rng.choice([0, 0, 50, 100, 150]))
        if kind == FeeKind.PUBLIC
        else cap - Decimal(rng.choice([0, 50, 100]))
    )


def seed_fees(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Added only while the demo kindergartens have no filing (idempotent)."""
    if not demo or FeeFiling.objects.filter(kindergarten__in=demo).exists():
        return "收费备案 0 份"
    year = SchoolYear.start_year_for(today)
    start = datetime.date(year, 9, 1)
    caps = {
        (c.kind, c.grade): c.monthly_cap for c in FeeCap.objects.in_force(start).filter(item=FeeItemKind.CARE_EDUCATION)
    }
    filers = [k for k in demo if rng.random() < 0.93]
    above = set(k.pk for k in rng.sample(filers, min(4, len(filers))))
    filings, items = [], []
    for kindergarten in filers:
        grade = grade_of(rng)
        kind = fee_kind(kindergarten, start)
        cap = caps.get((kind, grade)) if kind else None
        care = _care_fee(rng, kind, cap)
        if kindergarten.pk in above and cap is not None:
            care = cap + Decimal(rng.choice([50, 80, 150]))
        filing = FeeFiling(
            kindergarten=kindergarten, school_year=year, grade=grade, filed_on=start - datetime.timedelta(days=10)
        )
        filings.append(filing)
        items.append((filing, FeeItemKind.CARE_EDUCATION, care, ""))
        items.append((filing, FeeItemKind.MEALS, Decimal(rng.choice([400, 450, 500, 550])), ""))
        if kind is None and rng.random() < 0.3:
            items.append((filing, FeeItemKind.OTHER, Decimal(rng.choice([200, 300])), "特色课程"))
    bulk_create_with_history(filings, FeeFiling, default_change_reason=CHANGE_REASON)
    ids = {f.kindergarten_id: f for f in FeeFiling.objects.filter(kindergarten__in=[f.kindergarten for f in filings])}
    rows = [
        FeeItem(filing=ids[f.kindergarten_id], item=item, monthly_amount=amount, description=description)
        for f, item, amount, description in items
    ]
    bulk_create_with_history(rows, FeeItem, default_change_reason=CHANGE_REASON)

    nonprofit = [k for k in demo if k.sponsor_type == SponsorType.PRIVATE_NONPROFIT]
    accounts = [
        RegisteredAccount(
            kindergarten=k,
            bank=rng.choice(BANKS),
            account_name=k.name,
            account_number="".join(str(rng.randrange(10)) for _ in range(19)),
            registered_on=datetime.date(year - 1, rng.randint(3, 10), 1),
        )
        for k in nonprofit
        if rng.random() < 0.9
    ]
    bulk_create_with_history(accounts, RegisteredAccount, default_change_reason=CHANGE_REASON)
    paying = set(k.pk for k in rng.sample(nonprofit, min(2, len(nonprofit))))
    summaries = []
    for k in nonprofit:
        income = Decimal(rng.randrange(1_800_000, 6_000_000, 10_000))
        summaries.append(
            FinancialSummary(
                kindergarten=k,
                year=today.year - 1,
                income=income,
                expenditure=(income * Decimal(rng.choice(["0.92", "0.96", "0.99", "1.02"]))).quantize(Decimal("1")),
                sponsor_payments=Decimal(rng.choice([120_000, 300_000])) if k.pk in paying else Decimal("0"),
                filed_on=datetime.date(today.year, 3, 31) if today.month > 3 else today,
            )
        )
    bulk_create_with_history(summaries, FinancialSummary, default_change_reason=CHANGE_REASON)

    bureau = User.objects.filter(username="bureau").first()
    raised = fee_alerts_scan(day=today - datetime.timedelta(days=20), user=bureau)
    notes = {
        AlertKind.ABOVE_CAP: "已约谈园长，收费已按限价调整并退还多收部分",
        AlertKind.NOT_FILED: "已补报本学年收费标准",
        AlertKind.SPONSOR_PAYMENT: "经核查为代收代付的房租，已补充说明",
    }
    resolved = []
    for kind, note in notes.items():
        alert = (
            FeeAlert.objects.filter(kindergarten__in=demo, kind=kind, status=AlertStatus.OPEN).order_by("pk").first()
        )
        if alert is None:
            continue
        alert.status = AlertStatus.RESOLVED
        alert.resolved_on = today - datetime.timedelta(days=rng.randint(2, 10))
        alert.resolved_by = bureau
        alert.resolution_note = note
        alert._change_reason = CHANGE_REASON
        alert.save()
        resolved.append(alert)
    return f"收费备案 {len(filings)} 份，收费预警 {raised} 条（已处理 {len(resolved)} 条）"
