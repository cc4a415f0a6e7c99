"""The seat-shortfall map: each sub-district as a point sized and coloured by its forecast shortfall.

Shortfall = demand − seats of the stored seat forecast (`SeatForecast`, the nightly job's rows) for
the first forecast year of the snapshot date, the same figures as the dashboard's forecast panel.
A sub-district is drawn at its imported point (or the centre of its imported boundary,
`manage.py import_subdistrict_geojson`), else at the centre of its kindergartens' coordinates.
"""

from __future__ import annotations

from django.db.models import Avg
from django.urls import reverse
from django.views.generic import TemplateView

from kindergartens.geo import geometry_point
from kindergartens.models import Kindergarten

from .models import SeatForecast
from .views import ScopeMixin, requested_date


def shortfall_points(user, subdistrict=None, date=None) -> dict:
    """The map's data: the date and year shown and one point per sub-district with a forecast."""
    forecasts = SeatForecast.objects.visible_to(user)
    if subdistrict is not None:
        forecasts = forecasts.filter(subdistrict=subdistrict)
    dates = forecasts.order_by("-date").values_list("date", flat=True).distinct()
    if date is not None:
        dates = dates.filter(date__lte=date)
    shown = dates.first()
    if shown is None:
        return {"date": None, "year": None, "points": []}
    forecasts = forecasts.filter(date=shown)
    year = forecasts.order_by("year").values_list("year", flat=True).first()
    rows = list(
        forecasts.filter(year=year)
        .order_by("subdistrict__code")
        .values("subdistrict_id", "subdistrict__name", "subdistrict__geometry", "demand", "seats", "shortfall")
    )
    centres = {
        row["subdistrict"]: (float(row["lng"]), float(row["lat"]))
        for row in Kindergarten.objects.filter(
            subdistrict__in=[r["subdistrict_id"] for r in rows], latitude__isnull=False, longitude__isnull=False
        )
        .values("subdistrict")
        .annotate(lng=Avg("longitude"), lat=Avg("latitude"))
        .order_by()
    }
    url = reverse("reports:subdistrict_dashboard", args=[0]).replace("/0/", "/{}/")
    points = []
    for row in rows:
        where = geometry_point(row["subdistrict__geometry"]) or centres.get(row["subdistrict_id"])
        if where is None:
            continue
        points.append(
            {
                "name": row["subdistrict__name"],
                "lng": round(where[0], 6),
                "lat": round(where[1], 6),
                "demand": row["demand"],
                "seats": row["seats"],
                "shortfall": row["shortfall"],
                "url": url.format(row["subdistrict_id"]),
            }
        )
    return {"date": shown.isoformat(), "year": year, "points": points}


class ShortfallMapView(ScopeMixin, TemplateView):
    template_name = "reports/shortfall_map.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        subdistrict = self.get_subdistrict()
        data = shortfall_points(self.request.user, subdistrict, requested_date(self.request))
        context.update(subdistrict=subdistrict, map_data=data, without_point=data["points"] == [])
        return context
