"""Demo answers to rectification orders, called by `seed_enforcement`: the demo director's open
order has a first report that the issuer sent back, so the director sees the reason and the
"提交整改报告" button again. Through `inspections.services.order_answers`; idempotent (only for an
order that has no answer yet)."""

from __future__ import annotations

from accounts.choices import Role
from accounts.models import User

from ..choices import OrderStatus
from ..models import OrderAnswer, RectificationOrder
from ..services import order_answers
from .common import DIRECTOR_LOGIN


def seed_order_answers(bureau: User) -> int:
    director = User.objects.filter(username=DIRECTOR_LOGIN, role=Role.DIRECTOR, is_active=True).first()
    if director is None or director.kindergarten_id is None:
        return 0
    order = (
        RectificationOrder.objects.filter(kindergarten_id=director.kindergarten_id, status=OrderStatus.OPEN)
        .exclude(pk__in=OrderAnswer.objects.values("order"))
        .select_related("issued_by")
        .first()
    )
    if order is None:
        return 0
    order_answers.order_answer(order=order, user=director, report="已制定整改方案，相关设施正在采购安装。")
    order_answers.order_answer_send_back(
        order=order, user=order.issued_by or bureau, reason="请补充整改完成后的现场照片及验收材料。"
    )
    return 1
