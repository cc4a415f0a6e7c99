"""Helpers every enrolment service uses: the ages reported, and whose name the history records."""

from __future__ import annotations

from django.db import models

from accounts.models import User

AGES = (2, 3, 4, 5, 6)
POPULATION_AGES = (0, 1, 2, 3, 4, 5, 6)


def with_user(instance: models.Model, user: User | None, reason: str = "") -> models.Model:
    """Marks `instance` so django-simple-history records `user` (not the request's) and `reason`."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance
