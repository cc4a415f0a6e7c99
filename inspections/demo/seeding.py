"""Demo data for quality evaluation, so the portal can be tried end to end: `seed` runs each
sub-domain's seeder in order.

`manage.py seed_demo` calls `seed(rng)` after the registry and the demo logins exist. It makes:

- a demo handbook: version 1's structure copied, two points under each of the 15 key
  indicators, every one written for the demo and starting with "【演示】" (origin "演示数据"),
  published as its own version named as a demo handbook — never presented as the guide's
  official wording;
- the current three-year cycle on that handbook (the year before this one is its first year),
  with every licensed kindergarten and community point assigned to a year, balanced per
  sub-district;
- self-assessments in every state for a sample of kindergartens: in the first year mostly
  accepted, some waiting for review, a few returned and being revised, some never submitted
  (overdue); in the current year some accepted, some submitted, a few returned, some drafts. Each sampled kindergarten gets
  a director account that cannot log in ("demo-director-…"), because only a kindergarten's own
  director may fill its self-assessment. The demo login `director` is planned for this year,
  due in a month, with nothing started — ready to try.

Everything goes through `inspections.services`, like the pages. Deterministic per kindergarten
(its generator is derived from `rng` and its code); idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Count
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User

from ..choices import AssessmentStatus
from ..models import SelfAssessment
from .common import BUREAU_LOGIN, DIRECTOR_LOGIN
from .cycles import seed_cycle
from .enforcement import seed_enforcement
from .evaluations import seed_external_evaluations
from .framework import demo_handbook
from .issues import seed_issues
from .self_assessments import seed_self_assessments


def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    """Creates the demo handbook, the current cycle and sample records of every kind that are missing."""
    today = today or timezone.localdate()
    bureau = User.objects.filter(username=BUREAU_LOGIN).first() or User.objects.filter(role=Role.BUREAU_ADMIN).first()
    if bureau is None or not bureau.is_bureau:
        return "缺少区教委演示账号，未生成质量评估演示数据"
    handbook = demo_handbook(bureau)
    demo_director = User.objects.filter(username=DIRECTOR_LOGIN, role=Role.DIRECTOR).first()
    cycle, added = seed_cycle(handbook, bureau, today, demo_director)
    created = seed_self_assessments(
        rng, cycle, bureau, today, skip=demo_director.kindergarten_id if demo_director is not None else None
    )

    enforcement = seed_enforcement(rng, bureau, today)
    # Before the issue lists, so that published external evaluations get issue lists too.
    evaluations = seed_external_evaluations(rng, cycle, bureau, today)
    issues = seed_issues(rng, cycle, bureau, today)
    statuses = dict(
        SelfAssessment.objects.filter(cycle=cycle).latest_versions().values_list("status").annotate(n=Count("id"))
    )
    summary = "、".join(f"{AssessmentStatus(code).label} {n}" for code, n in sorted(statuses.items()))
    return (
        f"演示评估手册第 {handbook.version} 版（{handbook.points().count()} 个演示要点），{cycle.name}："
        f"新安排 {added} 所，新建自评 {created} 份（{summary or '无'}）；"
        f"{evaluations}；{issues}；{enforcement}"
    )
