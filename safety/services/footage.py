"""The footage access register: an entry is recorded and may be corrected while pending; the
kindergarten's director (own) or bureau staff approve or refuse it, after which it never
changes; the hand-over of an approved copy is recorded once. Mistakes in a decided entry are
corrected by a new entry referring to it (`footage_request_correct`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergartens.models import Kindergarten

from ..choices import FootageStatus
from ..models import FootageHandover, FootageRequest, RecordLocked
from ..models.footage import LOCKED
from .common import validated_save
from .records import require_record_keeper

REFUSE = gettext_lazy("只有本园园长或区教委工作人员可以登记和审批监控调取。")

REQUEST_FIELDS = ("access", "requester_name", "requester_org", "purpose", "cameras", "period_from", "period_to")


def _locked(entry: FootageRequest) -> FootageRequest:
    return FootageRequest.objects.select_for_update().select_related("kindergarten").get(pk=entry.pk)


def _user(user):
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def footage_request_record(
    *, kindergarten: Kindergarten, user, requested_at: datetime.datetime | None = None, **fields
) -> FootageRequest:
    """A new entry (pending); fields: `REQUEST_FIELDS`."""
    require_record_keeper(user, kindergarten, REFUSE)
    entry = FootageRequest(
        kindergarten=kindergarten, recorded_by=_user(user), requested_at=requested_at or timezone.now()
    )
    for name in REQUEST_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    return validated_save(entry, user)


@transaction.atomic
def footage_request_update(*, entry: FootageRequest, user, **fields) -> FootageRequest:
    """Corrects a pending entry in place; a decided one is locked (`RecordLocked`)."""
    entry = _locked(entry)
    require_record_keeper(user, entry.kindergarten, REFUSE)
    if entry.is_decided:
        raise RecordLocked(str(LOCKED))
    for name in REQUEST_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    return validated_save(entry, user)


@transaction.atomic
def footage_request_delete(*, entry: FootageRequest, user) -> None:
    """Withdraws a pending entry recorded by mistake; a decided one is locked (`RecordLocked`)."""
    entry = _locked(entry)
    require_record_keeper(user, entry.kindergarten, REFUSE)
    if entry.is_decided:
        raise RecordLocked(str(LOCKED))
    entry._history_user = _user(user)
    entry.delete()


@transaction.atomic
def footage_request_decide(*, entry: FootageRequest, user, approve: bool, note: str = "") -> FootageRequest:
    """Approves or refuses a pending entry: by whom and when are recorded, and the entry is locked."""
    entry = _locked(entry)
    require_record_keeper(user, entry.kindergarten, REFUSE)
    if entry.is_decided:
        raise RecordLocked(str(LOCKED))
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("不予批准时请说明理由。")})
    entry.status = FootageStatus.APPROVED if approve else FootageStatus.REFUSED
    entry.decided_by = _user(user)
    entry.decided_at = timezone.now()
    entry.decision_note = note
    return validated_save(entry, user)


@transaction.atomic
def footage_handover_record(
    *, entry: FootageRequest, user, copied: str, handed_to: str, handed_at: datetime.datetime
) -> FootageHandover:
    """What was copied and handed to whom, once, after approval; never changed afterwards."""
    entry = _locked(entry)
    require_record_keeper(user, entry.kindergarten, REFUSE)
    if entry.status != FootageStatus.APPROVED:
        raise ValidationError(_("只有已批准的调取登记才能登记移交。"))
    if FootageHandover.objects.filter(request=entry).exists():
        raise RecordLocked(_("该调取登记已有移交记录，不能重复登记。"))
    handover = FootageHandover(
        request=entry, copied=copied, handed_to=handed_to, handed_at=handed_at, recorded_by=_user(user)
    )
    return validated_save(handover, user)


@transaction.atomic
def footage_request_correct(*, original: FootageRequest, user, reason: str, **fields) -> FootageRequest:
    """A new pending entry correcting a decided one: its fields start from the original's,
    changed by `fields`; the original stays as it was."""
    original = _locked(original)
    require_record_keeper(user, original.kindergarten, REFUSE)
    if not original.is_decided:
        raise ValidationError(_("待审批的登记可直接修改，无需更正。"))
    values = {name: getattr(original, name) for name in REQUEST_FIELDS}
    values.update({name: value for name, value in fields.items() if name in REQUEST_FIELDS})
    entry = FootageRequest(
        kindergarten=original.kindergarten,
        recorded_by=_user(user),
        requested_at=original.requested_at,
        corrects=original,
        correction_reason=reason,
        **values,
    )
    return validated_save(entry, user)
