"""The parents' pages and the public JSON endpoint (no login): see `search` and `disclosure`.

The search page and `/public/api/kindergartens/` read the same `Search` and rows; the
kindergarten page and `/public/api/kindergartens/<code>/` the same `disclosure()`. Closed and
unlicensed kindergartens answer 404 everywhere.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from kindergartens.map import map_points
from kindergartens.models import Kindergarten, Subdistrict

from . import disclosure as disclosure_list
from .limits import public_view
from .search import TYPES, Search, annotate_rows, public_queryset

PAGE_SIZE = 20
API_PAGE_SIZE = 50


def _search(request) -> tuple[Search, list[Subdistrict]]:
    subdistricts = list(Subdistrict.objects.only("id", "name", "code").order_by("code"))
    return Search.from_query(request.GET, subdistricts), subdistricts


def _page(request, search: Search, size: int):
    paginator = Paginator(search.apply(public_queryset()), size)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = annotate_rows(page.object_list, search.point)
    return paginator, page


def _public_link(pk: int, code: str) -> str:
    return reverse("public:kindergarten_detail", args=[code])


@require_GET
@public_view
def index(request):
    search, subdistricts = _search(request)
    paginator, page = _page(request, search, PAGE_SIZE)
    context = {
        "search": search,
        "subdistricts": subdistricts,
        "types": list(TYPES.items()),
        "kindergartens": page.object_list,
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "page_query": urlencode(search.query_items()),
        # The whole filtered set on the map, not just this page; points link to the public pages.
        "map_data": {"points": map_points(search.apply(public_queryset()), link=_public_link)},
    }
    return TemplateResponse(request, "public/index.html", context)


@require_GET
@public_view
def kindergarten_detail(request, code: str):
    try:
        kg = disclosure_list.get_public_kindergarten(code)
    except Kindergarten.DoesNotExist:
        raise Http404 from None
    return TemplateResponse(
        request, "public/kindergarten_detail.html", {"kindergarten": kg, "d": disclosure_list.disclosure(kg)}
    )


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
@public_view
def api_kindergartens(request):
    search, _subdistricts = _search(request)
    paginator, page = _page(request, search, API_PAGE_SIZE)
    base = request.path
    query = search.query_items()
    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": f"{base}?{urlencode([*query, ('page', page.next_page_number())])}" if page.has_next() else None,
            "previous": f"{base}?{urlencode([*query, ('page', page.previous_page_number())])}"
            if page.has_previous()
            else None,
            "origin": None
            if search.point is None
            else {"latitude": search.point.latitude, "longitude": search.point.longitude, "label": search.point.label},
            "address_unmatched": search.address_unmatched,
            "results": [disclosure_list.list_item(kg) for kg in page.object_list],
        }
    )


@require_GET
@public_view
def api_kindergarten(request, code: str):
    try:
        kg = disclosure_list.get_public_kindergarten(code)
    except Kindergarten.DoesNotExist:
        return _json({"detail": "not found"}, status=404)
    return _json(disclosure_list.disclosure(kg))
