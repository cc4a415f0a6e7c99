"""/api/safety-profiles/: the director keeps their own profile, the bureau every one."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from accounts.api import ScopedViewSetMixin
from common.api import ModelCleanSerializer
from kindergartens.models import Kindergarten

from ..choices import CoveredArea
from ..filtersets import SafetyProfileFilterSet
from ..models import SafetyProfile
from ..services import may_keep_profile, profile_save

PROFILE_FIELDS = [
    "staff_count",
    "safety_manager",
    "safety_manager_phone",
    "full_time_safety_managers",
    "guards_full_time",
    "guards_part_time",
    "guard_company",
    "guard_company_licensed",
    "guard_certificates",
    "guard_certificates_expiry",
    "carers_per_class",
    "alarm_installed",
    "alarm_linked",
    "alarm_last_tested",
    "cameras",
    "video_areas",
    "video_blind_spots",
    "video_retention_days",
    "video_linked",
    "intrusion_alarm_installed",
    "intrusion_log_days",
    "access_control_installed",
    "access_log_days",
    "closed_campus",
]


class SafetyProfileSerializer(ModelCleanSerializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=Kindergarten.objects.all())
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    video_areas = serializers.ListField(child=serializers.ChoiceField(choices=CoveredArea.choices), required=False)

    class Meta:
        model = SafetyProfile
        fields = ["id", "kindergarten", "kindergarten_name", *PROFILE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["kindergarten"].read_only = True  # a profile stays with its kindergarten
        return fields


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
