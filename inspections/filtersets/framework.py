"""The FilterSet of handbook versions (the API's `/api/framework-versions/`)."""

from __future__ import annotations

import django_filters

from ..models import FrameworkVersion


class FrameworkVersionFilterSet(django_filters.FilterSet):
    class Meta:
        model = FrameworkVersion
        fields = ["status", "is_demo"]
