"""Public pages (no login): kindergartens with their latest published evaluation result.

What anybody may see is fixed here and in `inspections.results`: registry facts a parent needs
(name, sub-district, address, phone, ownership and inclusive type, licence status) and
*published* evaluation results (grade, cycle, dates, the summary). Never drafts or results
waiting for approval, never issue lists, ratings, findings or attachments, never people (no
principal, no evaluators). Closed and unlicensed kindergartens have no public page (404).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from kindergartens.map import map_points
from kindergartens.models import Subdistrict

from .. import results


def public_link(pk: int, code: str) -> str:
    return reverse("public:kindergarten_detail", args=[code])


class PublicKindergartenListView(ListView):
    template_name = "public/index.html"
    context_object_name = "kindergartens"
    paginate_by = 20

    @cached_property
    def subdistricts(self) -> list[Subdistrict]:
        return list(Subdistrict.objects.only("id", "name", "code"))

    @cached_property
    def subdistrict(self) -> Subdistrict | None:
        wanted = self.request.GET.get("subdistrict", "")
        return next((s for s in self.subdistricts if str(s.pk) == wanted), None)

    @property
    def search(self) -> str:
        return self.request.GET.get("q", "").strip()[:50]

    def get_queryset(self):
        kindergartens = results.public_kindergartens().only(
            "id", "code", "name", "address", "sponsor_type", "inclusive_status", "licence_status", "subdistrict__name"
        )
        if self.search:
            kindergartens = kindergartens.filter(Q(name__icontains=self.search) | Q(address__icontains=self.search))
        if self.subdistrict is not None:
            kindergartens = kindergartens.filter(subdistrict=self.subdistrict)
        return kindergartens.order_by("subdistrict__code", "name", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = []
        if self.search:
            query.append(("q", self.search))
        if self.subdistrict is not None:
            query.append(("subdistrict", self.subdistrict.pk))
        context.update(
            subdistricts=self.subdistricts,
            subdistrict=self.subdistrict,
            search=self.search,
            page_query=urlencode(query),
            # The whole filtered set on the map, not just this page; links go to the public pages.
            map_data={"points": map_points(self.object_list, link=public_link)},
        )
        return context


class PublicKindergartenDetailView(TemplateView):
    template_name = "public/kindergarten_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kindergarten = get_object_or_404(
            results.public_kindergartens().only(
                "id",
                "code",
                "name",
                "address",
                "phone",
                "sponsor_type",
                "inclusive_status",
                "licence_status",
                "subdistrict__name",
            ),
            code=self.kwargs["code"],
        )
        context.update(kindergarten=kindergarten, results=list(results.published_results(kindergarten)))
        return context
