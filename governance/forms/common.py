"""Pieces the governance forms share."""

from __future__ import annotations

from accounts.permissions import Act, kindergartens_for
from safety.forms.common import DATE_WIDGET


def filable_kindergartens(user):
    """Kindergartens the user files for: a director's own, or every one for bureau staff."""
    return (kindergartens_for(user, Act.FILL) | kindergartens_for(user, Act.MANAGE)).order_by("code")


__all__ = ["DATE_WIDGET", "filable_kindergartens"]
