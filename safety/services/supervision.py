"""Major-hazard supervision (重大隐患督办): orders opened with their major hazard, escalated daily
up the ladder in force while the hazard stays overdue, closed with the hazard; interviews and
public notices recorded by the supervising authority; a link to an enforcement rectification order.

Who: opening (and linking) is an enforcement act (`Act.ENFORCE`: the bureau, an inspector on
assigned kindergartens, the same people who open hazards); interviews and notices are
`Act.SUPERVISE` (the bureau, a sub-district official in their area); escalation is the system's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require
from inspections.models import RectificationOrder

from ..choices import InterviewParty, Severity, SupervisionEventKind, SupervisionLevel, SupervisionStatus
from ..models import (
    Hazard,
    SupervisionEvent,
    SupervisionInterview,
    SupervisionLadder,
    SupervisionNotice,
    SupervisionOrder,
    level_rank,
)
from .common import store_file, validated_save

REFUSE_OPEN = gettext_lazy("只有负责该园的督学或区教委工作人员可以立案督办和关联整改通知。")
REFUSE_SUPERVISE = gettext_lazy("只有区教委或本街道/地区工作人员可以登记约谈和通报。")


def _person(user):
    return user if getattr(user, "pk", None) else None


def _event(order: SupervisionOrder, kind: str, user, day: datetime.date, **extra) -> SupervisionEvent:
    return validated_save(SupervisionEvent(order=order, kind=kind, day=day, by=_person(user), **extra), user)


@transaction.atomic
def supervision_open_for(hazard: Hazard, user) -> SupervisionOrder | None:
    """The order of a major hazard, created when it is opened (at the kindergarten's level).

    Called at the end of `hazard_open` (which has checked who may open it); a general hazard gets
    none, and a hazard that already has one keeps it.
    """
    if hazard.severity != Severity.MAJOR:
        return None
    existing = SupervisionOrder.objects.filter(hazard=hazard).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    order = validated_save(SupervisionOrder(hazard=hazard, issued_by=_person(user), issued_on=today), user)
    _event(order, SupervisionEventKind.OPENED, user, today, to_level=order.level)
    return order


@transaction.atomic
def supervision_open(*, hazard: Hazard, user) -> SupervisionOrder:
    """Opens an order by hand for a major hazard that has none (one opened before supervision existed)."""
    hazard = Hazard.objects.select_for_update().select_related("kindergarten").get(pk=hazard.pk)
    require(user, Act.ENFORCE, hazard.kindergarten, str(REFUSE_OPEN))
    if hazard.severity != Severity.MAJOR:
        raise ValidationError(_("只有重大隐患可以立案督办。"))
    if not hazard.is_open:
        raise ValidationError(_("隐患已销号，无需督办。"))
    if SupervisionOrder.objects.filter(hazard=hazard).exists():
        raise ValidationError(_("该隐患已在督办中。"))
    return supervision_open_for(hazard, user)


@transaction.atomic
def supervision_close_for(hazard: Hazard, user, day: datetime.date | None = None) -> SupervisionOrder | None:
    """The hazard is closed: so is its order (if it has an open one)."""
    order = SupervisionOrder.objects.select_for_update().filter(hazard=hazard, status=SupervisionStatus.OPEN).first()
    if order is None:
        return None
    day = day or hazard.closed_on or timezone.localdate()
    order.status, order.closed_on = SupervisionStatus.CLOSED, day
    validated_save(order, user)
    _event(order, SupervisionEventKind.CLOSED, user, day, reason=_("隐患已验收销号。"))
    return order


@dataclass
class EscalationSummary:
    today: datetime.date
    ladder: SupervisionLadder | None
    escalated: dict[str, int] = field(default_factory=dict)  # to level → orders
    closed: int = 0

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "ladder": self.ladder.pk if self.ladder else None,
            "escalated": self.escalated,
            "closed": self.closed,
        }


def _why(order: SupervisionOrder, days: int, to_level: str, ladder: SupervisionLadder, today: datetime.date) -> str:
    threshold = ladder.bureau_after_days if to_level == SupervisionLevel.BUREAU else ladder.subdistrict_after_days
    return _(
        "整改期限 %(deadline)s，至 %(today)s 已逾期 %(days)s 天；按“%(ladder)s”，逾期 %(threshold)s 天及以上由%(level)s督办。"
    ) % {
        "deadline": order.hazard.deadline.isoformat(),
        "today": today.isoformat(),
        "days": days,
        "ladder": ladder.name,
        "threshold": threshold,
        "level": SupervisionLevel(to_level).label,
    }


@transaction.atomic
def supervision_escalate(*, today: datetime.date | None = None) -> EscalationSummary:
    """Moves every open order whose hazard is overdue on `today` up the ladder in force that day.

    The system acts (the events have no user). Idempotent: an order already on the rung its days
    overdue call for is left alone, and orders never move down. Orders whose hazard was closed
    (by any path) are closed too.
    """
    today = today or timezone.localdate()
    summary = EscalationSummary(today=today, ladder=SupervisionLadder.objects.for_day(today))
    orders = (
        SupervisionOrder.objects.select_for_update(of=("self",))
        .select_related("hazard")
        .filter(status=SupervisionStatus.OPEN)
        .order_by("pk")
    )
    for order in orders:
        if not order.hazard.is_open:
            supervision_close_for(order.hazard, None)
            summary.closed += 1
            continue
        if summary.ladder is None:
            continue
        days = order.days_overdue(today)
        to_level = summary.ladder.level_for(days)
        if level_rank(to_level) <= level_rank(order.level):
            continue
        from_level, order.level = order.level, to_level
        validated_save(order, None)
        _event(
            order,
            SupervisionEventKind.ESCALATED,
            None,
            today,
            from_level=from_level,
            to_level=to_level,
            reason=_why(order, days, to_level, summary.ladder, today),
        )
        summary.escalated[to_level] = summary.escalated.get(to_level, 0) + 1
    return summary


def rectification_choices(order: SupervisionOrder, user):
    """Rectification orders the user may see, of the order's kindergarten (for the link's choices)."""
    return RectificationOrder.objects.visible_to(user).filter(kindergarten_id=order.hazard.kindergarten_id)


@transaction.atomic
def supervision_link(
    *, order: SupervisionOrder, rectification_order: RectificationOrder | None, user
) -> SupervisionOrder:
    """Refers the order to the enforcement rectification order the bureau issued (or removes the link)."""
    order = SupervisionOrder.objects.select_for_update().select_related("hazard__kindergarten").get(pk=order.pk)
    require(user, Act.ENFORCE, order.hazard.kindergarten, str(REFUSE_OPEN))
    if (
        rectification_order is not None
        and not rectification_choices(order, user).filter(pk=rectification_order.pk).exists()
    ):
        raise ValidationError({"rectification_order": _("请选择本园的整改通知。")})
    order.rectification_order = rectification_order
    validated_save(order, user)
    reason = str(rectification_order) if rectification_order else _("取消关联")
    _event(order, SupervisionEventKind.LINKED, user, timezone.localdate(), reason=reason)
    return order


def _supervised(order: SupervisionOrder, user) -> SupervisionOrder:
    order = SupervisionOrder.objects.select_related("hazard__kindergarten").get(pk=order.pk)
    require(user, Act.SUPERVISE, order.hazard.kindergarten, str(REFUSE_SUPERVISE))
    if not SupervisionOrder.objects.visible_to(user).filter(pk=order.pk).exists():
        # Not (yet) escalated to this user's level: not theirs to act on.
        raise ValidationError(_("该督办尚未升级到您所在的层级。"))
    return order


def _attach(row, attachment: UploadedFile | None, user):
    return store_file(row, attachment, user) if attachment else validated_save(row, user)


@transaction.atomic
def interview_record(
    *,
    order: SupervisionOrder,
    user,
    held_on: datetime.date,
    interviewer: str,
    party: str = InterviewParty.BOTH,
    attendees: str,
    summary: str,
    attachment: UploadedFile | None = None,
) -> SupervisionInterview:
    """An interview (约谈) of the kindergarten and/or its sponsor, with an optional file (minutes)."""
    order = _supervised(order, user)
    interview = SupervisionInterview(
        order=order, held_on=held_on, interviewer=interviewer, party=party, attendees=attendees, summary=summary
    )
    interview.uploaded_by = _person(user)
    return _attach(interview, attachment, user)


@transaction.atomic
def notice_record(
    *,
    order: SupervisionOrder,
    user,
    issued_on: datetime.date,
    issuer: str,
    party: str = InterviewParty.BOTH,
    audience: str,
    text: str,
    attachment: UploadedFile | None = None,
) -> SupervisionNotice:
    """A public notice (通报) about the kindergarten and/or its sponsor, with an optional file."""
    order = _supervised(order, user)
    notice = SupervisionNotice(
        order=order, issued_on=issued_on, issuer=issuer, party=party, audience=audience, text=text
    )
    notice.uploaded_by = _person(user)
    return _attach(notice, attachment, user)
