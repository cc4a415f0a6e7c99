"""Validated saves that name their author in the history, for every app's services."""

from __future__ import annotations

from django.db import models


def validated_save(instance: models.Model, user, **clean_kwargs) -> models.Model:
    """`full_clean()`, then save with `user` in the history (not the request's, which may be absent).

    A principal without a primary key (the nightly job's SYSTEM, an anonymous user) is recorded as
    nobody rather than failing the history's foreign key.
    """
    instance.full_clean(**clean_kwargs)
    instance._history_user = user if getattr(user, "pk", None) else None
    instance.save()
    return instance
