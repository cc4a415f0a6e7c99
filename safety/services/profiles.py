"""Writes to a kindergarten's safety profile and its drills: the director (own) or the bureau."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..models import Drill, SafetyProfile
from .common import validated_save


def may_keep_profile(user, kindergarten) -> bool:
    """The director fills their own kindergarten's profile; bureau staff keep every one."""
    return may(user, Act.MANAGE) or may(user, Act.FILL, kindergarten)


def _require_keeper(user, kindergarten) -> None:
    if not may_keep_profile(user, kindergarten):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以维护安全工作档案。"))


def profile_of(kindergarten: Kindergarten) -> SafetyProfile:
    """The kindergarten's profile, or a new unsaved one (everything zero / no)."""
    return SafetyProfile.objects.filter(kindergarten=kindergarten).first() or SafetyProfile(kindergarten=kindergarten)


@transaction.atomic
def profile_save(*, kindergarten: Kindergarten, user, **fields) -> SafetyProfile:
    """Creates or updates the profile with `fields` (model field names), validated, in the history."""
    _require_keeper(user, kindergarten)
    profile = SafetyProfile.objects.select_for_update().filter(kindergarten=kindergarten).first()
    profile = profile or SafetyProfile(kindergarten=kindergarten)
    for name, value in fields.items():
        setattr(profile, name, value)
    return validated_save(profile, user)


@transaction.atomic
def drill_record(
    *, kindergarten: Kindergarten, user, held_on: datetime.date, kind: str, participants: int = 0, note: str = ""
) -> Drill:
    _require_keeper(user, kindergarten)
    drill = Drill(
        kindergarten=kindergarten,
        held_on=held_on,
        kind=kind,
        participants=participants,
        note=note,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(drill, user)
