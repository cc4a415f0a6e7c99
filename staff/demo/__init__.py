"""Demo data: staff, their posts and certificates for the demo registry (`manage.py seed_demo`).

Idempotent: kindergartens that already have staff keep them; only kindergartens with classes (this
school year, else last) and no staff get theirs (see `people` for the picture it paints).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kindergartens.models import Kindergarten

from .common import DEMO_CODE_PREFIX
from .people import seed_staff


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    demo = list(Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX).operating().order_by("code"))
    return seed_staff(rng, demo, today)
