"""Demo safety checks: the district's working checklists (published), self-checks for most demo
kindergartens (nearly all pass), the demo director's self-check with a failed item and a draft in
progress, and the demo inspector's spot checks, some with a failed item that opened a hazard.

Checks with failures go through the services (in the demo director's or inspector's name), so
their hazards are opened and linked as on the pages. Idempotent: the checklists are created while
missing, the checks only while the demo kindergartens have none.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.demo import INSPECTOR_AREAS
from accounts.models import User
from kindergartens.models import Kindergarten

from ..choices import CheckKind, ChecklistFrequency, ChecklistStatus, CheckOutcome, CheckStatus, HazardCategory
from ..choices import Severity as S
from ..models import ChecklistItem, ChecklistTemplate, ChecklistVersion, CheckResult, SafetyCheck, SafetyRuleSet
from ..services import check_save, check_start, check_submit
from .common import CHANGE_REASON

WORKING = "区教委工作用检查表（演示数据，以正式发布的文件为准）。"
C = HazardCategory
CHECKLISTS = (
    (
        "幼儿园每日安全检查表",
        ChecklistFrequency.DAILY,
        (
            (C.THREE_DEFENCES, "门卫在岗，来访人员登记、核实后入园", S.GENERAL),
            (C.THREE_DEFENCES, "入园、离园时段保安员在校门口值守，防护器械到位", S.GENERAL),
            (C.THREE_DEFENCES, "一键式报警装置正常，视频监控画面无黑屏", S.MAJOR),
            (C.FIRE, "疏散通道、安全出口畅通，无杂物堆放、无上锁", S.MAJOR),
            (C.FIRE, "应急照明和疏散指示标志完好", S.GENERAL),
            (C.FIRE, "灭火器在有效期内，压力正常，取用无遮挡", S.GENERAL),
            (C.BUILDING, "活动室、寝室门窗、护栏牢固，窗户限位器完好", S.GENERAL),
            (C.FACILITIES, "户外大型玩具无松动、破损、尖锐突出物", S.GENERAL),
            (C.FACILITIES, "电源插座有保护盖，电线无裸露", S.GENERAL),
            (C.FOOD, "食品留样 48 小时以上，每样不少于 125 克，记录完整", S.GENERAL),
            (C.FOOD, "厨房生熟分开，消毒记录完整，从业人员健康证有效", S.GENERAL),
            (C.STAFF, "每班幼儿身边至少两名看护人员", S.GENERAL),
            (C.TRANSPORT, "园门口接送秩序良好，护学岗人员在岗", S.GENERAL),
        ),
    ),
    (
        "幼儿园消防安全专项检查表",
        ChecklistFrequency.SPOT,
        (
            (C.FIRE, "消防控制室有持证人员 24 小时值班", S.MAJOR),
            (C.FIRE, "室内消火栓、喷淋系统水压正常，定期维保有记录", S.GENERAL),
            (C.FIRE, "电动车不在楼内停放、充电", S.MAJOR),
            (C.FIRE, "厨房燃气管道无老化，燃气报警器有效", S.MAJOR),
            (C.FIRE, "本季度已组织消防疏散演练并有记录", S.GENERAL),
            (C.BUILDING, "装修材料符合防火要求，无违规搭建彩钢板房", S.MAJOR),
            (C.STAFF, "教职工会使用灭火器、会组织疏散（抽问 2 人）", S.GENERAL),
        ),
    ),
)
# Items that fail in the demo's checks, with what the checker wrote.
FAILURES = (
    ("灭火器在有效期内，压力正常，取用无遮挡", "一楼东侧走廊 2 具灭火器压力指针在红区"),
    ("户外大型玩具无松动、破损、尖锐突出物", "滑梯平台护栏一处螺丝松动"),
    ("疏散通道、安全出口畅通，无杂物堆放、无上锁", "后楼梯安全出口堆放床垫，门被上锁"),
    ("食品留样 48 小时以上，每样不少于 125 克，记录完整", "周二午餐留样记录缺签名"),
)


def _checklists() -> list[ChecklistVersion]:
    """The published version of each demo checklist, created while missing."""
    versions = []
    now = timezone.now()
    for name, frequency, items in CHECKLISTS:
        template = ChecklistTemplate.objects.filter(name=name).first()
        if template is None:
            template = ChecklistTemplate(name=name, frequency=frequency, description=WORKING)
            template._change_reason = CHANGE_REASON
            template.save()
        version = ChecklistVersion.objects.filter(template=template).in_force().first()
        if version is None:
            version = ChecklistVersion(template=template, number=1, note=WORKING)
            version._change_reason = CHANGE_REASON
            version.save()
            rows = [
                ChecklistItem(version=version, category=c, text=t, severity=s, order=n)
                for n, (c, t, s) in enumerate(items, start=1)
            ]
            bulk_create_with_history(rows, ChecklistItem, default_change_reason=CHANGE_REASON)
            version.status, version.published_at = ChecklistStatus.PUBLISHED, now
            version._change_reason = CHANGE_REASON
            version.save()
        versions.append(version)
    return versions


def _all_pass(rng: random.Random, kindergartens: list[Kindergarten], version: ChecklistVersion, today) -> int:
    """Submitted self-checks in which every item passes (transport is n/a where there is no gate on a road)."""
    items = list(version.items.all())
    now = timezone.now()
    checks = [
        SafetyCheck(
            kindergarten=k,
            version=version,
            kind=CheckKind.SELF,
            status=CheckStatus.SUBMITTED,
            checked_on=today - datetime.timedelta(days=rng.randint(0, 20)),
            team=k.principal or "",
            submitted_at=now,
        )
        for k in kindergartens
    ]
    checks = bulk_create_with_history(checks, SafetyCheck, batch_size=500, default_change_reason=CHANGE_REASON)
    if checks and checks[0].pk is None:  # databases that do not return ids from bulk inserts
        checks = list(SafetyCheck.objects.filter(kindergarten__in=kindergartens, version=version))
    # About a third have no gate on a busy road: their transport items are not applicable.
    quiet = {c.pk for c in checks if rng.random() < 0.3}
    results = [
        CheckResult(
            safety_check=c,
            item=i,
            outcome=CheckOutcome.NOT_APPLICABLE if c.pk in quiet and i.category == C.TRANSPORT else CheckOutcome.PASS,
        )
        for c in checks
        for i in items
    ]
    bulk_create_with_history(results, CheckResult, batch_size=1000, default_change_reason=CHANGE_REASON)
    return len(checks)


def _run(kindergarten, version, user, kind, day, failing: str | None, *, submit: bool = True) -> SafetyCheck:
    """A check through the services: every item passes except `failing` (by its text)."""
    safety_check = check_start(kindergarten=kindergarten, version=version, kind=kind, user=user, checked_on=day)
    notes = dict(FAILURES)
    items = list(version.items.all())
    if not submit:  # a draft in progress: the first half answered
        items = items[: len(items) // 2]
    answers = {
        i.pk: (CheckOutcome.FAIL, notes[i.text]) if i.text == failing else (CheckOutcome.PASS, "") for i in items
    }
    if kind == CheckKind.SPOT:
        team = f"{user.get_full_name()}、区消防支队 王建军"
        findings = "总体情况良好；发现的问题已登记为隐患，限期整改。" if failing else "总体情况良好，未发现问题。"
    else:
        team, findings = user.get_full_name(), ""
    check_save(safety_check=safety_check, user=user, answers=answers, team=team, findings=findings)
    if submit:
        check_submit(safety_check=safety_check, user=user)
    return safety_check


def seed_checks(rng: random.Random, demo: list[Kindergarten], today: datetime.date, rules: SafetyRuleSet) -> str:
    daily, fire = _checklists()
    if not demo or SafetyCheck.objects.filter(kindergarten__in=demo).exists():
        return "安全检查表 2 张（已有检查记录，未新增）"
    director = User.objects.filter(username="director").first()
    inspector = User.objects.filter(username="inspector").first()
    run = 0
    if director and director.kindergarten_id:
        own = director.kindergarten
        _run(own, daily, director, CheckKind.SELF, today - datetime.timedelta(days=7), FAILURES[1][0])
        _run(own, daily, director, CheckKind.SELF, today, None, submit=False)
        run += 2
    if inspector:
        # The kindergartens the demo logins assign to the inspector (accounts.demo runs last and
        # resets the assignments), so the spot checks stay in the inspector's scope.
        pks = [k.pk for k in demo]
        areas = Kindergarten.objects.filter(pk__in=pks, subdistrict__name__in=INSPECTOR_AREAS).operating()
        assigned = list(areas.order_by("code")[:6])
        inspector.assigned_kindergartens.add(*assigned)
        for n, kindergarten in enumerate(assigned):
            version = fire if n % 2 else daily
            failing = FAILURES[n % len(FAILURES)][0] if n < 3 else None
            if failing and failing not in {i.text for i in version.items.all()}:
                version = daily
            _run(kindergarten, version, inspector, CheckKind.SPOT, today - datetime.timedelta(days=3 + 9 * n), failing)
            run += 1
    taken = {director.kindergarten_id} if director else set()
    others = [k for k in demo if k.pk not in taken and rng.random() < 0.7]
    passed = _all_pass(rng, others, daily, today)
    return f"安全检查表 2 张，安全检查 {run + passed} 次（自查全部合格 {passed} 次）"
