"""The home page (`/`): each role's day in the portal.

Directors and inspectors get their to-do list; those who watch a dashboard (sub-district
officials, bureau staff) get their dashboard with what is late on top. The items come from the
apps' providers (`common.due`), so this module knows no app's records: it sits above every app
(the project package) only because it reuses the dashboard's view.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import Act, may
from common.due import Severity, due_items
from reports.views import DashboardView

# The bureau's dashboard lists only the first few things needing attention.
ATTENTION_ITEMS = 6


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if may(user, Act.DASHBOARD):
            # A sub-district official's dashboard is their area's; bureau staff see the district.
            scope = {} if may(user, Act.MANAGE) else {"pk": user.subdistrict_id}
            return DashboardHomeView.as_view()(request, **scope)
        return ToDoHomeView.as_view()(request)


class ToDoHomeView(TemplateView):
    """A director's or an inspector's list: late first, then by date, each with its button."""

    template_name = "home/todo.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        items = due_items(self.request.user, today)
        context.update(
            today=today,
            items=items,
            late_count=sum(1 for item in items if item.is_late),
            is_director=may(self.request.user, Act.FILL),
        )
        return context


class DashboardHomeView(DashboardView):
    """The dashboard, with the late items of the user's scope above it."""

    template_name = "home/dashboard.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        items = due_items(self.request.user, timezone.localdate(), only=[Severity.LATE, Severity.DUE])
        bureau = may(self.request.user, Act.MANAGE)
        context.update(
            attention=items[:ATTENTION_ITEMS] if bureau else items,
            attention_more=max(0, len(items) - ATTENTION_ITEMS) if bureau else 0,
            home=True,
        )
        return context
