"""Helpers every enrolment service uses: who may act as the bureau, and whose name the history records."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import User

AGES = (2, 3, 4, 5, 6)
POPULATION_AGES = (0, 1, 2, 3, 4, 5, 6)


def with_user(instance: models.Model, user: User | None, reason: str = "") -> models.Model:
    """Marks `instance` so django-simple-history records `user` (not the request's) and `reason`."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance


def ensure_bureau(user: User) -> None:
    if not (user and user.is_authenticated and user.is_bureau):
        raise PermissionDenied(_("只有区教委工作人员可以执行此操作。"))
