"""The director's side of a rectification order: answer with a report and evidence, and the
inspector's (or the bureau's) decision on it.

- the director (`Act.REPORT` on their own kindergarten) answers an OPEN order that has no answer
  waiting for a decision;
- whoever may enforce on that kindergarten (`Act.ENFORCE`: the assigned — issuing — inspector or
  the bureau) accepts the waiting answer (the order is closed as rectified on that day) or sends
  it back with a reason (the director may then answer again);
- evidence files are checked by `common.files.check_upload` before anything is saved, and stored
  under random names outside the web root (`store_attachment`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, may
from common.files import check_upload

from ..choices import OrderStatus
from ..models import OrderAnswer, OrderAnswerAttachment, RectificationOrder
from ..models.order_answers import AnswerDecision
from .common import store_attachment, validated_save
from .enforcement import _open_order


def pending_answer(order: RectificationOrder) -> OrderAnswer | None:
    return OrderAnswer.objects.filter(order=order, decision=AnswerDecision.PENDING).first()


def may_answer(user, order: RectificationOrder) -> bool:
    return (
        order.status == OrderStatus.OPEN
        and may(user, Act.REPORT, order.kindergarten_id)
        and pending_answer(order) is None
    )


def may_decide(user, order: RectificationOrder) -> bool:
    return (
        order.status == OrderStatus.OPEN
        and may(user, Act.ENFORCE, order.kindergarten_id)
        and pending_answer(order) is not None
    )


@transaction.atomic
def order_answer(
    *, order: RectificationOrder, user: User | None, report: str, files: Sequence[UploadedFile] = ()
) -> OrderAnswer:
    """The director answers the order with a report and evidence files."""
    if not may(user, Act.REPORT, order.kindergarten_id):
        raise PermissionDenied(_("只有本园园长可以提交本园的整改报告。"))
    order = _open_order(order)
    if pending_answer(order) is not None:
        raise ValidationError(_("上一份整改报告尚待审核，审核后才能再次提交。"), code="pending")
    errors: dict[str, list] = {}
    report = (report or "").strip()
    if not report:
        errors.setdefault("report", []).append(_("请写明整改的做法和结果。"))
    elif len(report) > 3000:
        errors.setdefault("report", []).append(_("整改报告不能超过 3000 字。"))
    for file in files:
        try:
            check_upload(file)
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    answer = validated_save(OrderAnswer(order=order, report=report, answered_by=user), user)
    for file in files:
        file.seek(0)
        store_attachment(OrderAnswerAttachment(answer=answer), file, user, exclude=["answer"])
    return answer


def _pending_for_decision(order: RectificationOrder, user: User | None) -> tuple[RectificationOrder, OrderAnswer]:
    if not may(user, Act.ENFORCE, order.kindergarten_id):
        raise PermissionDenied(_("只有下达整改通知的督学或区教委工作人员可以审核整改报告。"))
    order = _open_order(order)
    answer = OrderAnswer._base_manager.select_for_update().filter(order=order, decision=AnswerDecision.PENDING).first()
    if answer is None:
        raise ValidationError(_("没有待审核的整改报告。"), code="no_answer")
    return order, answer


@transaction.atomic
def order_answer_accept(*, order: RectificationOrder, user: User | None) -> OrderAnswer:
    """Accepts the waiting answer: the order is closed as rectified today."""
    order, answer = _pending_for_decision(order, user)
    answer.decision = AnswerDecision.ACCEPTED
    answer.decided_by, answer.decided_at = user, timezone.now()
    validated_save(answer, user)
    order.status = OrderStatus.RECTIFIED
    order.rectified_on = timezone.localdate()
    validated_save(order, user)
    return answer


@transaction.atomic
def order_answer_send_back(*, order: RectificationOrder, user: User | None, reason: str) -> OrderAnswer:
    """Sends the waiting answer back with a reason; the order stays open for another answer."""
    if not (reason or "").strip():
        # Checked before the lock so the refusal names the field even for a stale page.
        if not may(user, Act.ENFORCE, order.kindergarten_id):
            raise PermissionDenied(_("只有下达整改通知的督学或区教委工作人员可以审核整改报告。"))
        raise ValidationError({"reason": [_("请说明退回的理由。")]})
    order, answer = _pending_for_decision(order, user)
    answer.decision = AnswerDecision.SENT_BACK
    answer.reason = reason.strip()
    answer.decided_by, answer.decided_at = user, timezone.now()
    return validated_save(answer, user)


def answers_of(order: RectificationOrder) -> list[OrderAnswer]:
    """The order's answers, oldest first, with who answered and decided and their files (3 queries)."""
    return list(
        OrderAnswer.objects.filter(order=order).select_related("answered_by", "decided_by").prefetch_related("files")
    )
