"""What the staff services share: who keeps a kindergarten's staff, validated saves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import Act, may


def may_keep_staff(user, kindergarten=None) -> bool:
    """The director keeps their own kindergarten's staff; bureau staff keep every kindergarten's."""
    return may(user, Act.MANAGE) or may(user, Act.FILL, kindergarten)


def require_keeper(user, kindergarten) -> None:
    if not may_keep_staff(user, kindergarten):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以维护教职工信息。"))
