"""The bell's unread count on every page: one COUNT query, only when a page shows it, and none
for anonymous users."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not render the top bar (files, redirects) do not pay for the count.
    return {"unread_notification_count": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
