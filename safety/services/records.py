"""Who keeps a kindergarten's safety records (incidents, disputes, the footage register, posts):
the same people who keep its safety profile — its director (`Act.FILL`, own) and bureau staff
(`Act.MANAGE`). One question, one function: `profiles.may_keep_profile`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .profiles import may_keep_profile


def require_record_keeper(user, kindergarten, message) -> None:
    if not may_keep_profile(user, kindergarten):
        raise PermissionDenied(str(message))
