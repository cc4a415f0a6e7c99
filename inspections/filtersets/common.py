"""What the inspections FilterSets share: the choices of sub-district and kindergarten, limited to
what the requesting user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from kindergartens.models import Kindergarten, Subdistrict


def visible_subdistricts(request) -> QuerySet[Subdistrict]:
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


def visible_kindergartens(request) -> QuerySet[Kindergarten]:
    return Kindergarten.objects.visible_to(getattr(request, "user", None))
