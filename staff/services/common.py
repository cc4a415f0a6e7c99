"""What the staff services share: who keeps a kindergarten's staff, validated saves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from accounts.permissions import Act, may


def may_keep_staff(user, kindergarten=None) -> bool:
    """The director keeps their own kindergarten's staff; bureau staff keep every kindergarten's."""
    return may(user, Act.MANAGE) or may(user, Act.FILL, kindergarten)


def require_keeper(user, kindergarten) -> None:
    if not may_keep_staff(user, kindergarten):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以维护教职工信息。"))


def validated_save(instance: models.Model, user, **clean_kwargs) -> models.Model:
    """`full_clean()`, then save with `user` in the history (not the request's, which may be absent)."""
    instance.full_clean(**clean_kwargs)
    instance._history_user = user if getattr(user, "pk", None) else None
    instance.save()
    return instance
