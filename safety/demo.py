"""Demo data: safety profiles, drills and hazards for the demo registry (`manage.py seed_demo`).

A realistic picture: most operating kindergartens meet every rule; about one in eight has a gap
(guards short for its people, video not linked, an alarm not linked, no closed campus, no drill
this quarter); some hazards are open, a few overdue, one major; others closed through the whole
loop. Idempotent: kindergartens that already have a profile keep it, and hazards are added only
while the demo kindergartens have none.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten

from .choices import CoveredArea, DrillKind, HazardAction, HazardCategory, HazardStatus, Severity
from .compliance import quarter_start
from .models import Drill, Hazard, HazardEvent, SafetyProfile, SafetyRuleSet

CHANGE_REASON = "演示数据"
OPEN_STATUSES = (HazardStatus.OPEN, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED)
DEMO_CODE_PREFIX = "DEMO-"
GAPS = ("guards", "video", "alarm", "closed", "drill", "retention")
HAZARDS = (
    (HazardCategory.FIRE, "灭火器压力不足，已过检验期", "一楼走廊"),
    (HazardCategory.FACILITIES, "户外滑梯护栏螺丝松动", "户外活动场地"),
    (HazardCategory.BUILDING, "二楼教室窗户限位器缺失", "中二班"),
    (HazardCategory.FOOD, "留样冰箱温度记录不全", "厨房"),
    (HazardCategory.THREE_DEFENCES, "东侧围墙监控摄像头损坏，形成盲区", "东侧围墙"),
    (HazardCategory.FIRE, "安全出口指示灯不亮", "楼梯间"),
    (HazardCategory.TRANSPORT, "接送时段门前车辆乱停，无护学岗", "正门"),
    (HazardCategory.STAFF, "新入职保安员未完成岗前培训", "门卫室"),
)


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


def _hazards(rng: random.Random, kindergartens: list[Kindergarten], today: datetime.date, rules) -> int:
    inspector = User.objects.filter(username="inspector").first()
    director = User.objects.filter(username="director").first()
    assigned = list(inspector.assigned_kindergartens.all()) if inspector else []
    own = [director.kindergarten] if director and director.kindergarten_id else []
    pool = own + assigned + rng.sample(kindergartens, min(20, len(kindergartens)))
    plans = [  # (days ago found, severity, status reached)
        (5, Severity.GENERAL, HazardStatus.OPEN),
        (12, Severity.GENERAL, HazardStatus.RECTIFYING),
        (20, Severity.GENERAL, HazardStatus.SUBMITTED),
        (45, Severity.GENERAL, HazardStatus.OPEN),  # overdue
        (60, Severity.GENERAL, HazardStatus.RECTIFYING),  # overdue
        (3, Severity.MAJOR, HazardStatus.RECTIFYING),  # the major hazard, within its deadline
        (90, Severity.GENERAL, HazardStatus.CLOSED),
        (70, Severity.GENERAL, HazardStatus.CLOSED),
        (40, Severity.MAJOR, HazardStatus.CLOSED),
    ]
    # The rest: mostly closed in time, a few still being worked on.
    for _ in range(len(pool) - len(plans)):
        status = HazardStatus.CLOSED if rng.random() < 0.8 else rng.choice(OPEN_STATUSES)
        plans.append(
            (rng.randint(1, 25) if status != HazardStatus.CLOSED else rng.randint(30, 150), Severity.GENERAL, status)
        )
    created = 0
    for kindergarten, (ago, severity, status) in zip(pool, plans, strict=False):
        category, description, location = rng.choice(HAZARDS)
        found_on = today - datetime.timedelta(days=ago)
        deadline = rules.deadline_for(severity, found_on)
        closed_on = (
            min(today, deadline - datetime.timedelta(days=rng.randint(0, 3))) if status == HazardStatus.CLOSED else None
        )
        hazard = Hazard(
            kindergarten=kindergarten,
            category=category,
            severity=severity,
            description=description,
            location=location,
            found_on=found_on,
            deadline=deadline,
            owner=kindergarten.principal or "园长",
            status=status,
            opened_by=inspector,
            closed_on=closed_on,
        )
        hazard._change_reason = CHANGE_REASON
        hazard.full_clean()
        hazard.save()
        steps = [(HazardAction.OPENED, inspector, "")]
        if status != HazardStatus.OPEN:
            steps.append((HazardAction.STARTED, director, "已安排整改"))
        if status in (HazardStatus.SUBMITTED, HazardStatus.CLOSED):
            steps.append((HazardAction.SUBMITTED, director, "已整改完毕，附整改后照片"))
        if status == HazardStatus.CLOSED:
            steps.append((HazardAction.CLOSED, inspector, "现场复查合格"))
        events = [HazardEvent(hazard=hazard, action=a, by=u, note=n) for a, u, n in steps]
        bulk_create_with_history(events, HazardEvent, default_change_reason=CHANGE_REASON)
        created += 1
    return created


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    rules = SafetyRuleSet.objects.for_day(today)
    if rules is None:
        return "没有生效的安全规则版本（请先运行 migrate），未生成安全数据"
    demo = list(Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX).operating().order_by("code"))
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
    hazards = 0
    if demo and not Hazard.objects.filter(kindergarten__in=demo).exists():
        hazards = _hazards(rng, demo, today, rules)
    return f"安全工作档案 {len(profiles)} 份（新建），演练 {len(drills)} 次，安全隐患 {hazards} 条"
