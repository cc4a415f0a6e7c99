"""Demo data: recognitions in every state, fee filings and alerts, subsidies and aid for the demo
registry (`manage.py seed_demo`). Idempotent: each seeder adds its rows only while the demo
kindergartens have none."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kindergartens.models import Kindergarten

from .common import DEMO_CODE_PREFIX
from .credit import seed_credit
from .facts import seed_facts
from .fees import seed_fees
from .recognitions import seed_recognitions
from .subsidies import seed_subsidies

# Each seeder takes (rng, demo kindergartens, today) and says what it made, in order: recognitions
# first (fees and subsidies read them), the subsidy facts before the disbursements (paid on them).
SEEDERS = (seed_recognitions, seed_fees, seed_facts, seed_subsidies)
# Credit records last: they draw events from the fee alerts (and the other apps' demo data).
SEEDERS += (seed_credit,)


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    demo = list(
        Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX)
        .operating()
        .select_related("subdistrict")
        .order_by("code")
    )
    return "，".join(seeder(rng, demo, today) for seeder in SEEDERS)
