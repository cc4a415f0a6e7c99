"""Demo credit records: every private demo kindergarten rated, with sponsors' names; a few failing
ones (penalised rectification orders) at C and D, commendations, appeals in each state and one
exit with its transfer plan."""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_update_with_history

from inspections.choices import OrderReason, OrderStatus, PenaltyKind
from inspections.models import RectificationOrder
from kindergartens.choices import LicenceStatus, SponsorType
from kindergartens.models import Kindergarten

from ..choices import AppealStatus, CreditEventKind, CreditEventStatus, CreditLevel, ExitKind
from ..models import CreditAppeal, CreditEvent, CreditExit, CreditRecord, TransferPlanLine
from ..services import credit_refresh
from ..services.common import validated_save
from ..services.credit import recompute
from .common import CHANGE_REASON

REASONS = (OrderReason.THREE_DEFENCES, OrderReason.UNQUALIFIED_TEACHER, OrderReason.OTHER)


def _penalised_orders(kindergarten: Kindergarten, n: int, today: datetime.date) -> None:
    for i in range(n):
        issued = today - datetime.timedelta(days=150 + 20 * i)
        order = RectificationOrder(
            kindergarten=kindergarten,
            reason=REASONS[i % len(REASONS)],
            description="演示：检查发现问题，限期整改，逾期未改。",
            issued_on=issued,
            deadline=issued + datetime.timedelta(days=30),
            status=OrderStatus.PENALISED,
            penalty_kind=PenaltyKind.WARNING if i else PenaltyKind.FINE,
            penalty_note="演示数据",
            penalised_on=issued + datetime.timedelta(days=45),
        )
        order._change_reason = CHANGE_REASON
        validated_save(order, None)


def _sponsor_name(kindergarten: Kindergarten) -> str:
    stem = kindergarten.name.replace("幼儿园", "").replace("社区办园点", "")[:8]
    if kindergarten.sponsor_type == SponsorType.PRIVATE_FORPROFIT:
        return f"北京{stem}教育科技有限公司"
    return f"北京市朝阳区{stem}教育发展中心"


def seed_credit(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Added only while the demo kindergartens have no credit record (idempotent)."""
    private = [k for k in demo if not k.is_public]
    if len(private) < 6 or CreditRecord.objects.filter(kindergarten__in=private).exists():
        return "信用档案 0 份"
    # Two at D (three penalised orders: 40), one at C (two: 60), two at B (one: 80).
    failing = rng.sample(private, 5)
    for kindergarten, n in zip(failing, (3, 3, 2, 1, 1), strict=True):
        _penalised_orders(kindergarten, n, today)
    # The sponsor's name is the registry's; the refresh copies it onto the record.
    named = [k for k in private if not k.sponsor_name]
    for kindergarten in named:
        kindergarten.sponsor_name = _sponsor_name(kindergarten)
    bulk_update_with_history(named, Kindergarten, ["sponsor_name"], default_change_reason=CHANGE_REASON)
    credit_refresh(day=today)
    records = {r.kindergarten_id: r for r in CreditRecord.objects.filter(kindergarten__in=private)}

    # Commendations for two kindergartens not failing.
    commended = [records[k.pk] for k in rng.sample([k for k in private if k not in failing], 2)]
    for record in commended:
        validated_save(
            CreditEvent(
                record=record,
                kind=CreditEventKind.COMMENDATION,
                source_key=f"commendation:demo-{record.pk}",
                occurred_on=today - datetime.timedelta(days=rng.randint(20, 200)),
                detail="演示：获评区级保教工作先进集体。",
            ),
            None,
        )
    recompute(commended, today, "表彰奖励")

    # Appeals: the second D-level kindergarten's first event upheld (it moves up to C), the
    # C-level one's appeal dismissed, a B-level one's pending.
    def appeal(record: CreditRecord, status: str, note: str = "") -> None:
        event = record.events.filter(status=CreditEventStatus.ACTIVE, kind=CreditEventKind.ORDER_PENALISED).first()
        decided = status != AppealStatus.PENDING
        validated_save(
            CreditAppeal(
                event=event,
                grounds="演示：处罚决定已在行政复议中撤销，请求撤销该信用事件。",
                filed_on=today - datetime.timedelta(days=10),
                status=status,
                decided_on=today - datetime.timedelta(days=3) if decided else None,
                decision_note=note,
            ),
            None,
        )
        if status == AppealStatus.UPHELD:
            event.status = CreditEventStatus.WITHDRAWN
            validated_save(event, None)
            recompute([record], today, "申诉成立，撤销信用事件")

    appeal(records[failing[1].pk], AppealStatus.UPHELD, "经核实，处罚决定已撤销，申诉成立。")
    appeal(records[failing[2].pk], AppealStatus.DISMISSED, "处罚决定有效，申诉不成立。")
    appeal(records[failing[3].pk], AppealStatus.PENDING)

    # The first D-level kindergarten is suspended; its children go to two kindergartens nearby.
    record = CreditRecord.objects.get(pk=records[failing[0].pk].pk)
    exits = 0
    receivers = list(
        Kindergarten.objects.operating()
        .filter(subdistrict_id=failing[0].subdistrict_id)
        .exclude(pk=failing[0].pk)
        .order_by("code")[:2]
    )
    if record.level == CreditLevel.D and receivers:
        split = [rng.randint(15, 40) for _ in receivers]
        exit_ = validated_save(
            CreditExit(
                record=record,
                kind=ExitKind.SUSPENSION,
                decided_on=today,
                effective_on=today + datetime.timedelta(days=30),
                reason="演示：信用等级 D 级，逾期未整改并多次受到处罚，责令停办。",
                children_to_place=sum(split),
            ),
            None,
        )
        for receiving, children in zip(receivers, split, strict=True):
            validated_save(TransferPlanLine(exit=exit_, receiving=receiving, children=children), None)
        kindergarten = Kindergarten.objects.get(pk=failing[0].pk)
        kindergarten.licence_status = LicenceStatus.SUSPENDED
        kindergarten._change_reason = "信用档案：停办（演示数据）"
        validated_save(kindergarten, None)
        exits = 1
    levels = sorted(CreditRecord.objects.filter(kindergarten__in=private).values_list("level", flat=True))
    d_count = levels.count(CreditLevel.D)
    return f"信用档案 {len(levels)} 份（D 级 {d_count} 份）、申诉 3 件、退出处置 {exits} 件"
