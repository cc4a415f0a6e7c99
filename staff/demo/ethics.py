"""Demo ethics: last year's self-check at most kindergartens, a few warnings and violations (one
serious, decided, linked to an ethics conduct case when the enforcement demo has one)."""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history

from inspections.choices import ConductCaseKind
from inspections.models import ConductCase
from kindergartens.models import Kindergarten

from ..choices import EthicsKind, EthicsSeverity
from ..models import EthicsRecord, EthicsSelfCheck, StaffMember
from .principals import CHANGE_REASON

EVENTS = [
    (EthicsKind.WARNING, EthicsSeverity.GENERAL, "家长反映教师语言生硬，已约谈提醒。", ""),
    (EthicsKind.WARNING, EthicsSeverity.GENERAL, "教师在工作时间使用手机，已提醒。", ""),
    (EthicsKind.VIOLATION, EthicsSeverity.GENERAL, "向家长推销课外培训资料。", "批评教育，退还费用，年度考核降等。"),
    (
        EthicsKind.VIOLATION,
        EthicsSeverity.SERIOUS,
        "对幼儿实施变相体罚。",
        "解除聘用合同，撤销教师资格，列入师德失范人员名单。",
    ),
]


def seed_ethics(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    year = today.year - 1
    # All or nothing, so that the kindergartens left without a self-check stay without one.
    done = {kg.pk for kg in demo} if EthicsSelfCheck.objects.filter(year=year).exists() else set()
    checks = [
        EthicsSelfCheck(
            kindergarten=kg,
            year=year,
            completed_on=datetime.date(year, 11, rng.randint(1, 28)),
            staff_checked=rng.randint(15, 60),
            findings="个别教师与家长沟通方式需改进。" if rng.random() < 0.3 else "",
        )
        for kg in demo
        if kg.pk not in done and rng.random() < 0.9
    ]
    bulk_create_with_history(checks, EthicsSelfCheck, default_change_reason=CHANGE_REASON)
    records = 0
    if not EthicsRecord.objects.exists():
        posts = list(StaffMember.objects.current().filter(kindergarten__in=demo).select_related("kindergarten")[:400])
        for kind, severity, description, outcome in EVENTS:
            if not posts:
                break
            post = posts.pop(rng.randrange(len(posts)))
            occurred = today - datetime.timedelta(days=rng.randint(40, 300))
            case = None
            if severity == EthicsSeverity.SERIOUS:
                case = ConductCase.objects.filter(kind=ConductCaseKind.ETHICS, kindergarten=post.kindergarten).first()
            record = EthicsRecord(
                kindergarten=post.kindergarten,
                person_id=post.person_id,
                kind=kind,
                severity=severity,
                occurred_on=occurred,
                description=description,
                outcome=outcome,
                decided_on=occurred + datetime.timedelta(days=20) if outcome else None,
                conduct_case=case,
            )
            record._change_reason = CHANGE_REASON
            record.full_clean()
            record.save()
            records += 1
    return f"师德师风自查 {len(checks)} 份，警示和违规记录 {records} 条"
