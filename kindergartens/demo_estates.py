"""Demo history of the residential-estate kindergartens: dated stage moves for every estate
kindergarten, an open gap behind every registry boolean set (with the owner who must act), some
gaps already resolved, and an entrusted-management agreement about to expire.

Idempotent: a kindergarten that already has stage rows or gap rows is left alone.
"""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history

from .choices import ESTATE_GAP_FIELDS, EstateGapKind, EstateOwner, EstateStage
from .estates import AGREEMENT_WARNING_DAYS, STAGE_ORDER
from .models import EstateGap, EstateStageChange, Kindergarten

CHANGE_REASON = "演示数据"
# Who usually has to act for each kind of gap.
OWNERS = {
    EstateGapKind.PLANNING: [EstateOwner.PLANNING_AUTHORITY, EstateOwner.SUBDISTRICT],
    EstateGapKind.CONSTRUCTION: [EstateOwner.DEVELOPER, EstateOwner.HOUSING_AUTHORITY],
    EstateGapKind.HANDOVER: [EstateOwner.DEVELOPER, EstateOwner.SUBDISTRICT],
    EstateGapKind.USE: [EstateOwner.EDUCATION_BUREAU, EstateOwner.SUBDISTRICT],
}
NOTES = {
    EstateGapKind.PLANNING: "控规未落实配套幼儿园用地",
    EstateGapKind.CONSTRUCTION: "配套园未与首期住宅同步建设",
    EstateGapKind.HANDOVER: "建设单位尚未无偿移交区教委",
    EstateGapKind.USE: "已移交园舍尚未开园招生",
}


def _stage_rows(rng: random.Random, kindergarten: Kindergarten, today: datetime.date) -> list[EstateStageChange]:
    """Stage moves from planning up to the current stage, a year or two apart, the last in the past."""
    reached = STAGE_ORDER[: STAGE_ORDER.index(kindergarten.estate_stage) + 1]
    day = today - datetime.timedelta(days=rng.randint(60, 500))
    rows = []
    for stage in reversed(reached):
        rows.append(EstateStageChange(kindergarten=kindergarten, stage=stage, date=day))
        day -= datetime.timedelta(days=rng.randint(300, 800))
    return rows[::-1]


def seed_estates(rng: random.Random, *, today: datetime.date, prefix: str) -> str:
    estates = list(
        Kindergarten.objects.filter(code__startswith=prefix, is_estate_kindergarten=True).exclude(estate_stage="")
    )
    done_stage = set(EstateStageChange.objects.filter(kindergarten__in=estates).values_list("kindergarten", flat=True))
    done_gap = set(EstateGap.objects.filter(kindergarten__in=estates).values_list("kindergarten", flat=True))
    stages: list[EstateStageChange] = []
    gaps: list[EstateGap] = []
    for kindergarten in estates:
        if kindergarten.pk not in done_stage:
            stages += _stage_rows(rng, kindergarten, today)
        if kindergarten.pk in done_gap:
            continue
        for kind, field in ESTATE_GAP_FIELDS.items():
            if getattr(kindergarten, field):
                since = today - datetime.timedelta(days=rng.randint(45, 1100))
                gaps.append(
                    EstateGap(
                        kindergarten=kindergarten,
                        kind=kind,
                        since=since,
                        owner=rng.choice(OWNERS[kind]),
                        note=NOTES[kind],
                    )
                )
        if kindergarten.estate_stage == EstateStage.IN_USE and rng.random() < 0.3:
            # A handover that was late once and has since been put right.
            since = today - datetime.timedelta(days=rng.randint(700, 1400))
            gaps.append(
                EstateGap(
                    kindergarten=kindergarten,
                    kind=EstateGapKind.HANDOVER,
                    since=since,
                    resolved_on=since + datetime.timedelta(days=rng.randint(60, 400)),
                    owner=EstateOwner.DEVELOPER,
                    note=NOTES[EstateGapKind.HANDOVER],
                )
            )
    history = {"batch_size": 500, "default_change_reason": CHANGE_REASON}
    if stages:
        bulk_create_with_history(stages, EstateStageChange, **history)
    if gaps:
        bulk_create_with_history(gaps, EstateGap, **history)
    _one_agreement_expiring(estates, today)
    return f"配套园阶段记录 {len(stages)} 条，不到位记录 {len(gaps)} 条"


def _one_agreement_expiring(estates: list[Kindergarten], today: datetime.date) -> None:
    """The board's warning needs an agreement within its window: move the nearest one into it."""
    horizon = today + datetime.timedelta(days=AGREEMENT_WARNING_DAYS)
    with_agreement = sorted(
        (k for k in estates if k.entrusted_management_expiry), key=lambda k: k.entrusted_management_expiry
    )
    if not with_agreement or any(today <= k.entrusted_management_expiry <= horizon for k in with_agreement):
        return
    later = [k for k in with_agreement if k.entrusted_management_expiry > horizon]
    if later:
        kindergarten = later[0]
        kindergarten.entrusted_management_expiry = today + datetime.timedelta(days=AGREEMENT_WARNING_DAYS // 2)
        kindergarten._change_reason = CHANGE_REASON
        kindergarten.save(update_fields=["entrusted_management_expiry", "updated_at"])
