"""Demo subsidy facts: new places approved for some inclusive private kindergartens (two of them
this month or last, so the subsidy page shows the one-off amount) and rented premises for about
half of them (current leases, one ending mid-month)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kindergartens.models import Kindergarten

from ..choices import RecognitionStatus
from ..models import NewPlace, Recognition, RentedPremises
from ..subsidies import month_start
from .common import CHANGE_REASON


def seed_facts(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Added only while the demo kindergartens have neither (idempotent)."""
    if not demo or NewPlace.objects.filter(kindergarten__in=demo).exists():
        return "新增学位 0 条，租赁园舍 0 处"
    recognised = list(
        Recognition.objects.filter(kindergarten__in=demo, status=RecognitionStatus.RECOGNISED)
        .select_related("kindergarten")
        .order_by("kindergarten__code")
    )
    this_month = month_start(today)
    last_month = month_start(this_month - datetime.timedelta(days=1))
    places, premises = [], []
    for index, recognition in enumerate(recognised):
        kindergarten = recognition.kindergarten
        if index < 2:  # this month and last: the entitlement pages show the one-off amount
            day = (this_month if index == 0 else last_month) + datetime.timedelta(days=rng.randint(0, 9))
        elif rng.random() < 0.25:
            day = recognition.valid_from + datetime.timedelta(days=rng.randint(0, 300))
        else:
            day = None
        if day is not None and day <= today:
            places.append(
                NewPlace(
                    kindergarten=kindergarten,
                    approved_on=day,
                    places=rng.choice([15, 20, 30, 35, 60]),
                    reference=f"朝教学前〔{day.year}〕{rng.randint(10, 99)}号",
                )
            )
        if rng.random() < 0.5:
            start = datetime.date(today.year - rng.randint(1, 5), rng.randint(1, 12), 1)
            end = (
                last_month + datetime.timedelta(days=14)
                if index == 3
                else datetime.date(today.year + rng.randint(1, 6), start.month, 1) - datetime.timedelta(days=1)
            )
            premises.append(
                RentedPremises(
                    kindergarten=kindergarten,
                    area_m2=Decimal(rng.randrange(800, 3200, 10)),
                    rent_from=start,
                    rent_to=end,
                    lessor=rng.choice(["朝阳区某国有企业", "某物业管理公司", "村经济合作社"]),
                )
            )
    bulk_create_with_history(places, NewPlace, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(premises, RentedPremises, default_change_reason=CHANGE_REASON)
    return f"新增学位 {len(places)} 条，租赁园舍 {len(premises)} 处"
