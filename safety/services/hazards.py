"""The hazard loop: an inspector (assigned kindergartens) or the bureau opens and verifies; the
director reports rectification on their own kindergarten. Each step re-reads the hazard under a
row lock, checks the permission layer, then its state, and records an event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require
from kindergartens.models import Kindergarten

from ..choices import HazardAction, HazardStatus, PhotoStage
from ..models import Hazard, HazardEvent, HazardPhoto, SafetyRuleSet
from .common import store_file, validated_save
from .supervision import supervision_close_for, supervision_open_for

REFUSE_OPEN = gettext_lazy("只有负责该园的督学或区教委工作人员可以登记和验收隐患。")
REFUSE_REPORT = gettext_lazy("只有本园园长可以报告整改情况。")


def _event(hazard: Hazard, action: str, user, note: str = "") -> HazardEvent:
    event = HazardEvent(hazard=hazard, action=action, note=note, by=user if getattr(user, "pk", None) else None)
    return validated_save(event, user)


def _photos(hazard: Hazard, event: HazardEvent, stage: str, files: Iterable[UploadedFile], user) -> list[HazardPhoto]:
    return [store_file(HazardPhoto(hazard=hazard, event=event, stage=stage), f, user) for f in files]


def _locked(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update().select_related("kindergarten").get(pk=hazard.pk)


def _expect(hazard: Hazard, *statuses: str) -> None:
    if hazard.status not in statuses:
        raise ValidationError(
            _("隐患当前状态为“%(status)s”，不能执行此操作。") % {"status": hazard.get_status_display()}
        )


@transaction.atomic
def hazard_open(
    *,
    kindergarten: Kindergarten,
    user,
    category: str,
    severity: str,
    description: str,
    owner: str,
    found_on: datetime.date | None = None,
    location: str = "",
    photos: Iterable[UploadedFile] = (),
) -> Hazard:
    """Registers a hazard; its deadline follows the severity rules of the rule set in force."""
    require(user, Act.ENFORCE, kindergarten, str(REFUSE_OPEN))
    return _create_hazard(
        kindergarten=kindergarten,
        user=user,
        category=category,
        severity=severity,
        description=description,
        owner=owner,
        found_on=found_on,
        location=location,
        photos=photos,
    )


def _create_hazard(
    *,
    kindergarten: Kindergarten,
    user,
    category: str,
    severity: str,
    description: str,
    owner: str,
    found_on: datetime.date | None = None,
    location: str = "",
    photos: Iterable[UploadedFile] = (),
    note: str = "",
) -> Hazard:
    """Opens a hazard in `user`'s name, without asking who they are: the caller has checked its own
    permission (`hazard_open` for direct opening, the check service for a failed check item)."""
    found_on = found_on or timezone.localdate()
    rules = SafetyRuleSet.objects.for_day(found_on)
    if rules is None:
        raise ValidationError(_("%(day)s 没有生效的安全规则版本，无法确定整改期限。") % {"day": found_on})
    hazard = Hazard(
        kindergarten=kindergarten,
        category=category,
        severity=severity,
        description=description,
        location=location,
        found_on=found_on,
        deadline=rules.deadline_for(severity, found_on),
        owner=owner,
        opened_by=user if getattr(user, "pk", None) else None,
    )
    validated_save(hazard, user)
    event = _event(hazard, HazardAction.OPENED, user, note)
    _photos(hazard, event, PhotoStage.BEFORE, photos, user)
    supervision_open_for(hazard, user)
    return hazard


@transaction.atomic
def hazard_start(*, hazard: Hazard, user, note: str = "") -> Hazard:
    hazard = _locked(hazard)
    require(user, Act.REPORT, hazard.kindergarten, str(REFUSE_REPORT))
    _expect(hazard, HazardStatus.OPEN)
    hazard.status = HazardStatus.RECTIFYING
    validated_save(hazard, user)
    _event(hazard, HazardAction.STARTED, user, note)
    return hazard


@transaction.atomic
def hazard_submit(*, hazard: Hazard, user, note: str, photos: Iterable[UploadedFile]) -> Hazard:
    """The director reports the rectification done, with at least one photo as evidence."""
    hazard = _locked(hazard)
    require(user, Act.REPORT, hazard.kindergarten, str(REFUSE_REPORT))
    _expect(hazard, HazardStatus.OPEN, HazardStatus.RECTIFYING)
    photos = list(photos)
    if not photos:
        raise ValidationError({"photos": _("请上传至少一张整改后的照片作为证据。")})
    if not note.strip():
        raise ValidationError({"note": _("请说明整改情况。")})
    hazard.status = HazardStatus.SUBMITTED
    validated_save(hazard, user)
    event = _event(hazard, HazardAction.SUBMITTED, user, note)
    _photos(hazard, event, PhotoStage.AFTER, photos, user)
    return hazard


@transaction.atomic
def hazard_close(*, hazard: Hazard, user, note: str = "", day: datetime.date | None = None) -> Hazard:
    """Verified on site (or from the evidence): the hazard is closed (销号)."""
    hazard = _locked(hazard)
    require(user, Act.ENFORCE, hazard.kindergarten, str(REFUSE_OPEN))
    _expect(hazard, HazardStatus.SUBMITTED)
    hazard.status = HazardStatus.CLOSED
    hazard.closed_on = day or timezone.localdate()
    validated_save(hazard, user)
    _event(hazard, HazardAction.CLOSED, user, note)
    supervision_close_for(hazard, user)
    return hazard


@transaction.atomic
def hazard_send_back(*, hazard: Hazard, user, note: str) -> Hazard:
    """The evidence does not convince: back to rectifying, with the reason."""
    hazard = _locked(hazard)
    require(user, Act.ENFORCE, hazard.kindergarten, str(REFUSE_OPEN))
    _expect(hazard, HazardStatus.SUBMITTED)
    if not note.strip():
        raise ValidationError({"note": _("请说明退回原因。")})
    hazard.status = HazardStatus.RECTIFYING
    validated_save(hazard, user)
    _event(hazard, HazardAction.SENT_BACK, user, note)
    return hazard
