"""The notifications page and its actions. Every view finds notifications through
`Notification.objects.restrict(user)` — the user's own — so another user's answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from accounts.mixins import ScopedQuerysetMixin

from . import services
from .filtersets import NotificationFilterSet
from .models import Notification, is_local_path


def _safe_local(link: str) -> bool:
    return bool(link) and is_local_path(link) and url_has_allowed_host_and_scheme(link, allowed_hosts=set())


class NotificationListView(ScopedQuerysetMixin, FilterView):
    """Newest first, unread ones highlighted; `?unread=true` shows only those."""

    model = Notification
    filterset_class = NotificationFilterSet
    template_name = "notifications/notification_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        context["only_unread"] = self.request.GET.get("unread") in ("true", "True", "1")
        return context


class NotificationObjectMixin(LoginRequiredMixin):
    def get_notification(self, request: HttpRequest, pk: int) -> Notification:
        return get_object_or_404(Notification.objects.restrict(request.user, "change"), pk=pk)


class NotificationOpenView(NotificationObjectMixin, View):
    """Clicking a notification (on the page or in its email): mark it read, go to what it is about.

    A GET, so the link works from an email; marking one's own notification read is harmless.
    Only same-site paths are followed; anything else lands on the notifications page.
    """

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = services.notification_mark_read(
            notification=self.get_notification(request, pk), user=request.user
        )
        if _safe_local(notification.link):
            return redirect(notification.link)
        return redirect("notifications:notification_list")


class NotificationMarkReadView(NotificationObjectMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.notification_mark_read(notification=self.get_notification(request, pk), user=request.user)
        return _back_to_list(request)


class NotificationMarkAllReadView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
        return _back_to_list(request)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Back to the page of the list the form was on (`next`, a same-site path only)."""
    target = request.POST.get("next", "")
    if _safe_local(target):
        return redirect(target)
    return redirect("notifications:notification_list")
