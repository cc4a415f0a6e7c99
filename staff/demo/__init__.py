"""Demo data of the staff app (`manage.py seed_demo`), one module per sub-domain, listed in `SEEDERS`.

Idempotent: kindergartens that already have staff keep them; only kindergartens with classes (this
school year, else last) and no staff get theirs (see `people` for the picture it paints); then the
principals' careers and credits, teaching research, ethics and pay filings.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kindergartens.models import Kindergarten

from .common import DEMO_CODE_PREFIX
from .ethics import seed_ethics
from .pay import seed_pay
from .people import seed_staff
from .principals import seed_principals
from .research import seed_research

# Each seeder takes (rng, operating demo kindergartens, today) and says what it made, in order:
# the people first, since the others build on them.
SEEDERS = (seed_staff, seed_principals, seed_research, seed_ethics, seed_pay)


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
