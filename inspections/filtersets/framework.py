"""The FilterSet of handbook versions (the API's `/api/framework-versions/`)."""

from __future__ import annotations

from common.filters import PortalFilterSet

from ..models import FrameworkVersion


class FrameworkVersionFilterSet(PortalFilterSet):
    class Meta:
        model = FrameworkVersion
        fields = ["status", "is_demo"]
