"""Demo safety profiles and drills: most kindergartens meet every rule, about one in eight has a gap."""

from __future__ import annotations

import datetime
import random

from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten

from ..choices import CoveredArea, DrillKind
from ..compliance import quarter_start
from ..models import Drill, SafetyProfile, SafetyRuleSet
from .common import CHANGE_REASON

GAPS = ("guards", "video", "alarm", "closed", "drill", "retention")


def _children(day: datetime.date) -> dict[int, int]:
    rows = SchoolClass.objects.filter(school_year__start_year=SchoolYear.start_year_for(day))
    return dict(rows.values("kindergarten").annotate(n=Sum("enrolled")).values_list("kindergarten", "n").order_by())


def _profile(rng: random.Random, kindergarten: Kindergarten, children: int, rules: SafetyRuleSet, gap: str | None):
    staff = max(8, round(children / 7) + rng.randint(-3, 5))
    guards = rules.required_guards(staff + children) + rng.choice((0, 0, 1))
    return SafetyProfile(
        kindergarten=kindergarten,
        staff_count=staff,
        safety_manager=rng.choice(("张", "王", "李", "赵", "刘", "陈")) + rng.choice(("建国", "丽", "伟", "敏", "强")),
        safety_manager_phone=f"010-6{rng.randint(1000000, 9999999)}",
        full_time_safety_managers=1,
        guards_full_time=guards - 1 if gap == "guards" else guards,
        guards_part_time=rng.choice((0, 0, 1)),
        guard_company="北京市朝阳区保安服务有限公司",
        guard_company_licensed=True,
        guard_certificates_expiry=datetime.date(2027, rng.randint(1, 12), 1),
        carers_per_class=2,
        alarm_installed=True,
        alarm_linked=gap != "alarm",
        alarm_last_tested=timezone.localdate() - datetime.timedelta(days=rng.randint(3, 80)),
        cameras=rng.randint(24, 90),
        video_areas=list(CoveredArea.values),
        video_retention_days=29 if gap == "retention" else rng.choice((30, 30, 60, 90)),
        video_linked=gap != "video",
        intrusion_alarm_installed=True,
        intrusion_log_days=30,
        access_control_installed=True,
        access_log_days=180,
        closed_campus=gap != "closed",
    )


def seed_profiles(rng: random.Random, demo: list[Kindergarten], today: datetime.date, rules: SafetyRuleSet) -> str:
    having = set(SafetyProfile.objects.filter(kindergarten__in=demo).values_list("kindergarten_id", flat=True))
    children = _children(today)
    profiles, drills = [], []
    start = quarter_start(today)
    for kindergarten in demo:
        gap = rng.choice(GAPS) if rng.random() < 0.12 else None
        if kindergarten.pk in having:
            continue
        profiles.append(_profile(rng, kindergarten, children.get(kindergarten.pk, 0), rules, gap))
        held = [start - datetime.timedelta(days=rng.randint(20, 80))]  # last quarter
        if gap != "drill":
            held.append(start + datetime.timedelta(days=rng.randint(0, max(0, (today - start).days))))
        drills += [
            Drill(kindergarten=kindergarten, held_on=day, kind=DrillKind.EVACUATION, participants=rng.randint(60, 400))
            for day in held
        ]
    bulk_create_with_history(profiles, SafetyProfile, batch_size=500, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(drills, Drill, batch_size=500, default_change_reason=CHANGE_REASON)
    return f"安全工作档案 {len(profiles)} 份（新建），演练 {len(drills)} 次"
