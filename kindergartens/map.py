"""Map data for the registry: the filtered kindergartens as points, one query, only what the map draws."""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views import View

from .choices import PUBLIC_SPONSORS, InclusiveStatus
from .filtersets import KindergartenFilterSet
from .models import Kindergarten

# The point colours of the map legend (static/js/map.js knows the same three keys).
PUBLIC, INCLUSIVE_PRIVATE, OTHER_PRIVATE = "public", "inclusive_private", "other_private"
POINT_FIELDS = ("id", "name", "lng", "lat", "category", "url")


def category_of(sponsor_type: str, inclusive_status: str) -> str:
    if sponsor_type in PUBLIC_SPONSORS:
        return PUBLIC
    return INCLUSIVE_PRIVATE if inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE else OTHER_PRIVATE


def detail_link(pk: int, code: str) -> str:
    return reverse("kindergartens:kindergarten_detail", args=[pk])


def map_points(rows, link: Callable[[int, str], str] = detail_link) -> list[dict]:
    """Points for the kindergartens of `rows` that have coordinates; `link` gives a point's page."""
    values = (
        rows.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .values_list("id", "code", "name", "longitude", "latitude", "sponsor_type", "inclusive_status")
    )
    return [
        dict(
            zip(
                POINT_FIELDS,
                (pk, name, float(lng), float(lat), category_of(sponsor, inclusive), link(pk, code)),
                strict=True,
            )
        )
        for pk, code, name, lng, lat, sponsor, inclusive in values
    ]


class KindergartenMapDataView(LoginRequiredMixin, View):
    """The registry list's filtered set (same FilterSet, same scope) as map points."""

    def get(self, request: HttpRequest) -> JsonResponse:
        queryset = Kindergarten.objects.restrict(request.user, "view")
        filterset = KindergartenFilterSet(request.GET or None, queryset=queryset, request=request)
        # As the list page: an invalid filter yields nothing rather than everything.
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
        return JsonResponse({"points": map_points(rows)})
