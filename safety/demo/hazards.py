"""Demo hazards in every state: some open, a few overdue, one major; others closed through the whole loop."""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from kindergartens.models import Kindergarten

from ..choices import HazardAction, HazardCategory, HazardStatus, Severity
from ..models import Hazard, HazardEvent, SafetyRuleSet
from .common import CHANGE_REASON

OPEN_STATUSES = (HazardStatus.OPEN, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED)
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


def seed_hazards(rng: random.Random, demo: list[Kindergarten], today: datetime.date, rules: SafetyRuleSet) -> str:
    """Added only while the demo kindergartens have no hazard (idempotent)."""
    hazards = 0
    if demo and not Hazard.objects.filter(kindergarten__in=demo).exists():
        hazards = _hazards(rng, demo, today, rules)
    return f"安全隐患 {hazards} 条"
