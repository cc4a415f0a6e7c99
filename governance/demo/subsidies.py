"""Demo subsidies: last month's entitlement paid to most inclusive private kindergartens, and a
few aided children per kindergarten (initials and category only)."""

from __future__ import annotations

import datetime
import random
import string
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from enrollment.models import SchoolYear
from kindergartens.models import Kindergarten

from ..choices import AidCategory
from ..models import AidRecipient, Disbursement, Recognition
from ..subsidies import entitlements, month_start
from .common import CHANGE_REASON


def seed_subsidies(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Added only while the demo kindergartens have no disbursement (idempotent)."""
    if not demo or Disbursement.objects.filter(kindergarten__in=demo).exists():
        return "补助拨付 0 笔"
    last_month = month_start(month_start(today) - datetime.timedelta(days=1))
    rows = entitlements(Recognition.objects.filter(kindergarten__in=demo), last_month)
    paid = [
        Disbursement(
            kindergarten=row.kindergarten,
            month=last_month,
            amount=row.total,
            paid_on=last_month + datetime.timedelta(days=rng.randint(35, 45)),
            note="按月拨付",
        )
        for row in rows
        if row.total > 0 and rng.random() < 0.8
    ]
    bulk_create_with_history(paid, Disbursement, default_change_reason=CHANGE_REASON)
    year = SchoolYear.start_year_for(today)
    categories = [AidCategory.DIFFICULTY] * 6 + [AidCategory.DISABLED] * 2 + [AidCategory.ORPHAN]
    aided = [
        AidRecipient(
            kindergarten=row.kindergarten,
            school_year=year,
            initials="".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice([2, 3]))),
            category=rng.choice(categories),
            amount=Decimal(rng.choice([1200, 1800, 2400, 3000])),
        )
        for row in rows
        for _ in range(rng.randint(0, 4))
    ]
    bulk_create_with_history(aided, AidRecipient, default_change_reason=CHANGE_REASON)
    return f"补助拨付 {len(paid)} 笔，受资助幼儿 {len(aided)} 名"
