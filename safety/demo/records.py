"""Demo incidents and disputes, footage register entries and peak-hour posts.

Incidents: mostly minor and resolved within days, one serious (resolved, insurance paid, with a
dispute mediated twice), a few still open. Footage: entries approved (one with its hand-over,
one corrected by a later entry), refused and pending. Posts: most operating kindergartens hold a
post covering the morning peak on every school day; in a few sub-districts some have none, start
late or skip a day (the gaps the coverage page shows). Rows are written directly (not through
the services), so seeding sends nobody a notification. Idempotent: each part is added only while
the demo kindergartens have none of it.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from kindergartens.models import Kindergarten

from ..choices import FootageStatus, IncidentSeverity, InsuranceStatus, PostKind, RecordStatus, days_mask
from ..models import (
    Dispute,
    FootageHandover,
    FootageRequest,
    Incident,
    Mediation,
    SafetyPost,
    SafetyRuleSet,
)
from .common import CHANGE_REASON

MINOR = (
    ("户外滑梯", "从滑梯滑下时擦伤膝盖", "保健医清洗消毒、包扎"),
    ("教室", "游戏时与同伴相撞，额头起包", "冷敷，通知家长"),
    ("午睡室", "起床时手指被床栏夹伤", "冷敷，观察无异常"),
    ("盥洗室", "地面湿滑摔倒，手掌擦伤", "消毒包扎；增加防滑垫"),
    ("走廊", "奔跑时摔倒，下巴擦伤", "保健医处理，家长接回观察"),
)
WEEK = [0, 1, 2, 3, 4]
GAP_SUBDISTRICTS = 3  # sub-districts where a share of kindergartens has no (full) post


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _save(row) -> None:
    row._change_reason = CHANGE_REASON
    row.full_clean()
    row.save()


def _incidents(rng: random.Random, pool: list[Kindergarten], today: datetime.date, director) -> int:
    created = 0
    for index, kindergarten in enumerate(pool[:8]):
        place, what, treatment = MINOR[index % len(MINOR)]
        ago = rng.randint(5, 120)
        occurred = _at(today - datetime.timedelta(days=ago), rng.choice([9, 10, 15, 16]), rng.choice([0, 20, 40]))
        still_open = index in (1, 5)
        incident = Incident(
            kindergarten=kindergarten,
            occurred_at=occurred,
            place=place,
            child_initials=rng.choice(["Z.X.", "L.Y.", "W.H.", "C.M.", "Y.T.", "S.J."]),
            child_age=rng.randint(3, 6),
            what_happened=what,
            treatment=treatment,
            severity=IncidentSeverity.MINOR,
            status=RecordStatus.OPEN if still_open else RecordStatus.RESOLVED,
            resolved_on=None
            if still_open
            else min(today, occurred.date() + datetime.timedelta(days=rng.randint(0, 6))),
            outcome="" if still_open else "家长认可处理结果，已结案",
            recorded_by=director if kindergarten.pk == getattr(director, "kindergarten_id", None) else None,
        )
        _save(incident)
        created += 1
    # The serious one: resolved after insurance paid and a mediated dispute.
    kindergarten = pool[0]
    occurred = _at(today - datetime.timedelta(days=75), 10, 15)
    serious = Incident(
        kindergarten=kindergarten,
        occurred_at=occurred,
        place="二楼楼梯",
        child_initials="W.Y.",
        child_age=5,
        what_happened="下楼时踩空摔倒，左前臂骨折",
        treatment="保健医现场固定，教师陪同送朝阳医院急诊，当日通知家长",
        severity=IncidentSeverity.SERIOUS,
        insurance_claimed=True,
        insurance_status=InsuranceStatus.PAID,
        status=RecordStatus.RESOLVED,
        resolved_on=occurred.date() + datetime.timedelta(days=41),
        outcome="校方责任险赔付医疗费；楼梯加装防滑条和扶手；家长签署调解协议",
        recorded_by=director if kindergarten.pk == getattr(director, "kindergarten_id", None) else None,
    )
    _save(serious)
    raised = occurred.date() + datetime.timedelta(days=3)
    dispute = Dispute(
        kindergarten=kindergarten,
        incident=serious,
        raised_on=raised,
        subject="幼儿在园骨折，家长要求赔偿并追究看护责任",
        parties="大班幼儿家长（父母双方）、当班教师、园方",
        description="家长认为下楼时看护不到位，要求赔偿医疗费、护理费和精神损失。",
        status=RecordStatus.RESOLVED,
        resolved_on=raised + datetime.timedelta(days=38),
        outcome="经街道人民调解委员会调解达成协议，保险赔付医疗费，园方补偿护理费，家长撤回其他请求",
    )
    _save(dispute)
    for offset, mediator, agreed in (
        (10, "园长、保健医与家长面谈", "园方道歉，说明救治经过；家长保留赔偿请求"),
        (35, "望京街道人民调解委员会", "保险赔付医疗费，园方补偿护理费，双方签署调解协议"),
    ):
        _save(
            Mediation(
                dispute=dispute, held_on=raised + datetime.timedelta(days=offset), mediator=mediator, agreed=agreed
            )
        )
    _save(
        Dispute(
            kindergarten=pool[1],
            raised_on=today - datetime.timedelta(days=9),
            subject="家长对退费标准有异议",
            parties="中班幼儿家长、园方财务",
            description="幼儿因病请假两周，家长要求按天退还保育费。",
        )
    )
    return created + 1


def _footage(pool: list[Kindergarten], today: datetime.date, director, bureau) -> int:
    deciders = {kg.pk: (director if kg.pk == getattr(director, "kindergarten_id", None) else bureau) for kg in pool}
    plans = [  # (kindergarten, access, requester, org, purpose, days ago, status)
        (pool[0], "copy", "刘警官", "朝阳分局望京派出所", "核实放学时段门口车辆剐蹭经过", 20, FootageStatus.APPROVED),
        (pool[0], "view", "幼儿家长", "大班幼儿家长", "查看孩子在楼梯摔倒的经过", 74, FootageStatus.APPROVED),
        (pool[1], "copy", "幼儿家长", "小班幼儿家长", "要求复制全天教室录像", 12, FootageStatus.REFUSED),
        (
            pool[2],
            "retrieve",
            "张律师",
            "北京某律师事务所",
            "代理家园纠纷，调取当日午睡室录像",
            3,
            FootageStatus.PENDING,
        ),
        (pool[3], "view", "李警官", "朝阳分局双井派出所", "排查周边盗窃案嫌疑人经过路线", 6, FootageStatus.APPROVED),
    ]
    created: list[FootageRequest] = []
    for kindergarten, access, name, org, purpose, ago, status in plans:
        day = today - datetime.timedelta(days=ago)
        decider = deciders[kindergarten.pk]
        decided = status != FootageStatus.PENDING and decider is not None
        entry = FootageRequest(
            kindergarten=kindergarten,
            access=access,
            requester_name=name,
            requester_org=org,
            purpose=purpose,
            cameras="1 号门厅、2 号校门外" if access != "view" else "5 号楼梯间",
            period_from=_at(day - datetime.timedelta(days=1), 16, 0),
            period_to=_at(day - datetime.timedelta(days=1), 17, 0),
            requested_at=_at(day, 9, 30),
            status=status if decided else FootageStatus.PENDING,
            decided_by=decider if decided else None,
            decided_at=_at(day, 14, 0) if decided else None,
            decision_note=(
                "涉及其他幼儿隐私，仅可在园内查看本人子女相关片段" if status == FootageStatus.REFUSED else "同意"
            )
            if decided
            else "",
        )
        _save(entry)
        created.append(entry)
    approved = created[0]
    if approved.status == FootageStatus.APPROVED:
        _save(
            FootageHandover(
                request=approved,
                copied="1 号门厅、2 号校门外摄像头录像 1 小时，刻录光盘 1 张",
                handed_to="刘警官（朝阳分局望京派出所），出示警官证",
                handed_at=approved.decided_at + datetime.timedelta(hours=1),
            )
        )
        correction = FootageRequest(
            kindergarten=approved.kindergarten,
            access="copy",
            requester_name=approved.requester_name,
            requester_org=approved.requester_org,
            purpose=approved.purpose,
            cameras="1 号门厅、2 号校门外、3 号停车区",
            period_from=approved.period_from,
            period_to=approved.period_to,
            requested_at=approved.requested_at,
            corrects=approved,
            correction_reason="漏记 3 号停车区摄像头",
        )
        _save(correction)
        created.append(correction)
    return len(created)


def _posts(rng: random.Random, demo: list[Kindergarten]) -> int:
    areas = sorted({kg.subdistrict_id for kg in demo})
    gaps = set(rng.sample(areas, min(GAP_SUBDISTRICTS, len(areas))))
    posts = []
    for kindergarten in demo:
        gap = kindergarten.subdistrict_id in gaps and rng.random() < 0.45
        if gap:
            flaw = rng.choice(["none", "late", "four_days"])
            if flaw == "none":
                continue
            start, end = (
                (datetime.time(7, 50), datetime.time(8, 40))
                if flaw == "late"
                else (datetime.time(7, 20), datetime.time(8, 40))
            )
            days = WEEK if flaw == "late" else WEEK[:4]
            posts.append(_post(kindergarten, PostKind.VOLUNTEER, days, start, end, "家长志愿者轮值"))
            continue
        posts.append(
            _post(
                kindergarten,
                PostKind.SCHOOL_GATE,
                WEEK,
                datetime.time(7, 20),
                datetime.time(8, 40),
                "保安员 2 名、值班教师 1 名",
            )
        )
        if rng.random() < 0.4:
            posts.append(
                _post(
                    kindergarten,
                    PostKind.POLICE,
                    WEEK,
                    datetime.time(7, 30),
                    datetime.time(8, 30),
                    "属地派出所 社区民警",
                )
            )
        if rng.random() < 0.5:
            posts.append(
                _post(
                    kindergarten, PostKind.SCHOOL_GATE, WEEK, datetime.time(16, 0), datetime.time(17, 0), "保安员 2 名"
                )
            )
    bulk_create_with_history(posts, SafetyPost, default_change_reason=CHANGE_REASON)
    return len(posts)


def _post(kindergarten, kind, days, start, end, people) -> SafetyPost:
    return SafetyPost(
        kindergarten=kindergarten, kind=kind, days=days_mask(days), start_time=start, end_time=end, people=people
    )


def seed_records(rng: random.Random, demo: list[Kindergarten], today: datetime.date, rules: SafetyRuleSet) -> str:
    """Incidents and disputes, footage entries and posts, each only while the demo has none."""
    if not demo:
        return "事故、监控调取、护学岗 0 条"
    director = User.objects.filter(username="director").first()
    bureau = User.objects.filter(username="bureau").first()
    own = [kg for kg in demo if director and kg.pk == director.kindergarten_id]
    pool = own + [kg for kg in rng.sample(demo, min(12, len(demo))) if kg not in own]
    incidents = footage = posts = 0
    if not Incident.objects.filter(kindergarten__in=demo).exists():
        incidents = _incidents(rng, pool, today, director)
    if not FootageRequest.objects.filter(kindergarten__in=demo).exists() and len(pool) >= 4:
        footage = _footage(pool, today, director, bureau)
    if not SafetyPost.objects.filter(kindergarten__in=demo).exists():
        posts = _posts(rng, demo)
    return f"伤害事故 {incidents} 起，监控调取登记 {footage} 条，护学岗 {posts} 个"
