"""Demo supervision: every demo major hazard gets its order (the one within its deadline stays with
the kindergarten, the closed one is closed); two more major hazards in 望京 are left overdue — one
escalated to the sub-district, one to the bureau with an interview, a public notice and a linked
rectification order. Escalations are the real daily service run on the days they would have happened."""

from __future__ import annotations

import datetime
import random

from accounts.models import User
from inspections.choices import OrderReason
from inspections.services.enforcement import order_issue
from kindergartens.models import Kindergarten

from ..choices import HazardAction, HazardCategory, HazardStatus, InterviewParty, Severity, SupervisionEventKind
from ..models import Hazard, HazardEvent, SafetyRuleSet, SupervisionEvent, SupervisionLadder, SupervisionOrder
from ..services import interview_record, notice_record, supervision_escalate, supervision_link, supervision_open_for
from .common import CHANGE_REASON

OVERDUE = (  # (days ago found, category, description, location, owner)
    (30, HazardCategory.BUILDING, "后楼外墙瓷砖大面积空鼓，有脱落风险，下方为幼儿户外活动通道", "后楼外墙", "后勤主任"),
    (10, HazardCategory.FIRE, "厨房燃气管道老化渗漏，报警器失灵", "厨房", "食堂负责人"),
)


def _major(kindergarten: Kindergarten, ago: int, row: tuple, today: datetime.date, rules, by) -> Hazard:
    _ago, category, description, location, owner = row
    found_on = today - datetime.timedelta(days=ago)
    hazard = Hazard(
        kindergarten=kindergarten,
        category=category,
        severity=Severity.MAJOR,
        description=description,
        location=location,
        found_on=found_on,
        deadline=rules.deadline_for(Severity.MAJOR, found_on),
        owner=owner,
        status=HazardStatus.OPEN,  # not even started: why it climbed the ladder
        opened_by=by,
    )
    hazard._change_reason = CHANGE_REASON
    hazard.full_clean()
    hazard.save()
    HazardEvent.objects.create(hazard=hazard, action=HazardAction.OPENED, by=by)
    return hazard


def _backdate(order: SupervisionOrder, day: datetime.date) -> None:
    """The demo's orders were opened with their hazards, on the day they were found."""
    SupervisionOrder.objects.filter(pk=order.pk).update(issued_on=day)
    order.events.filter(kind=SupervisionEventKind.OPENED).update(day=day)


def _orders_for_existing(demo: list[Kindergarten], bureau) -> int:
    made = 0
    for hazard in Hazard.objects.filter(kindergarten__in=demo, severity=Severity.MAJOR, supervision__isnull=True):
        order = supervision_open_for(hazard, hazard.opened_by or bureau)
        _backdate(order, hazard.found_on)
        if not hazard.is_open:
            SupervisionOrder.objects.filter(pk=order.pk).update(status="closed", closed_on=hazard.closed_on)
            SupervisionEvent.objects.create(
                order=order, kind=SupervisionEventKind.CLOSED, day=hazard.closed_on, reason="隐患已验收销号。"
            )
        made += 1
    return made


def _escalated(demo: list[Kindergarten], today: datetime.date, rules, bureau, official) -> int:
    area = [k for k in demo if official and k.subdistrict_id == official.subdistrict_id]
    director = User.objects.filter(username="director").first()
    candidates = [k for k in area if not director or k.pk != director.kindergarten_id][: len(OVERDUE)]
    if len(candidates) < len(OVERDUE):
        return 0
    hazards = [_major(k, row[0], row, today, rules, bureau) for k, row in zip(candidates, OVERDUE, strict=True)]
    for hazard in hazards:
        _backdate(supervision_open_for(hazard, bureau), hazard.found_on)
    # The daily run on the days it would have happened: each escalation carries its own date.
    oldest = hazards[0]
    ladder = SupervisionLadder.objects.for_day(today)
    for after in (ladder.subdistrict_after_days, ladder.bureau_after_days) if ladder else ():
        supervision_escalate(today=oldest.deadline + datetime.timedelta(days=after))
    supervision_escalate(today=today)
    order = SupervisionOrder.objects.get(hazard=oldest)
    interview_record(
        order=order,
        user=official,
        held_on=oldest.deadline + datetime.timedelta(days=2),
        interviewer="望京街道平安建设办公室 赵晓峰",
        party=InterviewParty.BOTH,
        attendees="园长、举办者代表",
        summary="指出外墙空鼓隐患逾期未整改，要求三日内封闭下方通道并提交维修方案。",
    )
    interview_record(
        order=order,
        user=bureau,
        held_on=oldest.deadline + datetime.timedelta(days=9),
        interviewer="区教委安全科 王静",
        party=InterviewParty.SPONSOR,
        attendees="举办者法定代表人",
        summary="约谈举办者，要求落实维修资金，十日内完成外墙整治；逾期将依法处理。",
    )
    notice_record(
        order=order,
        user=bureau,
        issued_on=oldest.deadline + datetime.timedelta(days=10),
        issuer="朝阳区教育委员会",
        party=InterviewParty.BOTH,
        audience="全区幼儿园",
        text=f"{oldest.kindergarten.name}重大安全隐患逾期未整改，予以全区通报，责令限期整改。",
    )
    rectification = order_issue(
        kindergarten=oldest.kindergarten,
        user=bureau,
        reason=OrderReason.DANGEROUS_BUILDING,
        description="后楼外墙空鼓存在脱落风险，逾期未整改",
        issued_on=oldest.deadline + datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=10),
    )
    supervision_link(order=order, rectification_order=rectification, user=bureau)
    return len(hazards)


def seed_supervision(rng: random.Random, demo: list[Kindergarten], today: datetime.date, rules: SafetyRuleSet) -> str:
    """Added only while no demo hazard has a supervision order (idempotent)."""
    if not demo or SupervisionOrder.objects.filter(hazard__kindergarten__in=demo).exists():
        return "重大隐患督办 0 件"
    bureau = User.objects.filter(username="bureau").first()
    official = User.objects.filter(username="wangjing").first()
    made = _orders_for_existing(demo, bureau)
    if bureau and official:
        made += _escalated(demo, today, rules, bureau, official)
    return f"重大隐患督办 {made} 件"
