"""Demo data: safety profiles, drills, hazards, incidents, the footage register and peak-hour posts
for the demo registry (`manage.py seed_demo`).

A realistic picture: most operating kindergartens meet every rule; about one in eight has a gap
(guards short for its people, video not linked, an alarm not linked, no closed campus, no drill
this quarter); some hazards are open, a few overdue, one major; others closed through the whole
loop; the district's working checklists, self-checks (nearly all pass) and the demo inspector's
spot checks, a failed item linked to the hazard it opened. Idempotent: kindergartens that already
have a profile keep it; hazards and checks are added only while the demo kindergartens have none.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kindergartens.models import Kindergarten

from ..models import SafetyRuleSet
from .checks import seed_checks
from .common import DEMO_CODE_PREFIX
from .hazards import seed_hazards
from .profiles import seed_profiles
from .records import seed_records
from .supervision import seed_supervision

# Each seeder takes (rng, demo kindergartens, today, rule set) and says what it made, in order.
SEEDERS = (seed_profiles, seed_hazards, seed_supervision, seed_checks, seed_records)


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    rules = SafetyRuleSet.objects.for_day(today)
    if rules is None:
        return "没有生效的安全规则版本（请先运行 migrate），未生成安全数据"
    demo = list(Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX).operating().order_by("code"))
    return "，".join(seeder(rng, demo, today, rules) for seeder in SEEDERS)
