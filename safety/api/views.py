from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from accounts.api import ScopedViewSetMixin

from ..filtersets import HazardFilterSet, SafetyProfileFilterSet
from ..models import Hazard, SafetyProfile
from ..services import may_keep_profile, profile_save
from .serializers import PROFILE_FIELDS, HazardSerializer, SafetyProfileSerializer


class SafetyProfileViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Safety profiles the caller may see; the director keeps their own, the bureau every one."""

    queryset = SafetyProfile.objects.select_related("kindergarten").order_by("kindergarten__code")
    serializer_class = SafetyProfileSerializer
    filterset_class = SafetyProfileFilterSet
    ordering_fields = ["kindergarten__code", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _save(self, serializer, kindergarten):
        fields = {k: v for k, v in serializer.validated_data.items() if k in PROFILE_FIELDS}
        try:
            serializer.instance = profile_save(kindergarten=kindergarten, user=self.request.user, **fields)
        except PermissionDenied as refused:
            raise ApiPermissionDenied(str(refused)) from refused

    def perform_create(self, serializer):
        kindergarten = serializer.validated_data["kindergarten"]
        if not may_keep_profile(self.request.user, kindergarten):
            raise ApiPermissionDenied(_("只有本园园长或区教委工作人员可以维护安全工作档案。"))
        self._save(serializer, kindergarten)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance.kindergarten)


class HazardViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Hazards the caller may see, with their loop's events and photos (read only: the pages write)."""

    queryset = (
        Hazard.objects.select_related("kindergarten")
        .prefetch_related("events__by", "photos")
        .order_by("deadline", "pk")
    )
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    ordering_fields = ["deadline", "found_on", "updated_at"]
