"""The sub-district scorecard pages: the bureau's ranking (publish, export) and a card.

Who sees what (`Scorecard.objects.for_reader`): bureau staff every card, drafts included; a
sub-district official only their own sub-district's published cards (another one's is a 404);
directors and inspectors have no scorecard (403, as the dashboard).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import Act, may
from common.spreadsheets import xlsx_response

from .choices import ScorecardStatus
from .models import Scorecard
from .scorecards import (
    compute_scorecards,
    export_sheets,
    item_rows,
    method_rows,
    school_year_of,
    scorecards_publish,
)
from .services import local_today
from .views import DashboardAccessMixin

SORTS = {
    "rank": ("rank", "subdistrict__code"),
    "-rank": ("-rank", "subdistrict__code"),
    "name": ("subdistrict__code",),
    "score": ("score", "subdistrict__code"),
    "-score": ("-score", "subdistrict__code"),
}


def readable_cards(user):
    return Scorecard.objects.for_reader(user).select_related("subdistrict", "method")


def requested_year(request: HttpRequest, cards) -> int | None:
    """`?year=` when given (and a number), else the latest year with a card the user may read."""
    raw = request.GET.get("year", "").strip()
    if raw:
        try:
            return int(raw)
        except ValueError as exc:
            raise Http404 from exc
    return cards.order_by("-year").values_list("year", flat=True).first()


def card_context(card: Scorecard) -> dict:
    rows = item_rows(card)
    losing = sorted((r for r in rows if r.lost), key=lambda r: r.lost, reverse=True)
    return {"card": card, "items": rows, "losing": losing, "method": method_rows(card.method)}


class ScorecardListView(DashboardAccessMixin, TemplateView):
    """The bureau's ranking of a year's cards; a sub-district official's own card."""

    template_name = "reports/scorecard_list.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cards = readable_cards(user)
        year = requested_year(self.request, cards)
        context["years"] = list(cards.order_by("-year").values_list("year", flat=True).distinct())
        context["year"] = year
        context["is_bureau"] = may(user, Act.REVIEW)
        year_cards = cards.filter(year=year)
        if context["is_bureau"]:
            sort = self.request.GET.get("sort", "rank")
            context["sort"] = sort if sort in SORTS else "rank"
            context["cards"] = list(year_cards.order_by(*SORTS[context["sort"]]))
            context["drafts"] = any(c.status == ScorecardStatus.DRAFT for c in context["cards"])
            if context["cards"]:
                context["method"] = method_rows(context["cards"][0].method)
                context["method_obj"] = context["cards"][0].method
        else:
            card = year_cards.filter(subdistrict=user.subdistrict_id).first()
            if card is not None:
                context.update(card_context(card))
        return context


class ScorecardDetailView(DashboardAccessMixin, TemplateView):
    template_name = "reports/scorecard_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        card = get_object_or_404(
            readable_cards(self.request.user), year=self.kwargs["year"], subdistrict=self.kwargs["subdistrict"]
        )
        context.update(card_context(card))
        return context


class ScorecardPublishView(DashboardAccessMixin, View):
    def test_func(self) -> bool:
        return may(self.request.user, Act.REVIEW)

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        try:
            count = scorecards_publish(year=year, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已发布 %(year)d 学年考核结果 %(count)d 份。") % {"year": year, "count": count})
        return redirect(f"{reverse('scorecards:scorecard_list')}?year={year}")


class ScorecardComputeView(DashboardAccessMixin, View):
    """Recompute a year's draft cards now (the nightly job does it for the current year)."""

    def test_func(self) -> bool:
        return may(self.request.user, Act.REVIEW)

    def post(self, request: HttpRequest) -> HttpResponse:
        raw = request.POST.get("year", "")
        year = int(raw) if raw.isdigit() else school_year_of(local_today())
        if compute_scorecards(year=year, user=request.user):
            messages.success(request, _("已重新计算 %(year)d 学年考核结果。") % {"year": year})
        else:
            messages.warning(request, _("未重新计算：该学年已发布，或没有指标快照。"))
        return redirect(f"{reverse('scorecards:scorecard_list')}?year={year}")


class ScorecardExportView(DashboardAccessMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        cards = readable_cards(request.user)
        year = requested_year(request, cards)
        rows = list(cards.filter(year=year).order_by("rank", "subdistrict__code"))
        return xlsx_response(
            _("街道考核_%(year)s.xlsx") % {"year": year}, export_sheets(rows), fallback=f"scorecards-{year}.xlsx"
        )
