from django.utils import timezone
from rest_framework import serializers

from accounts.permissions import Act, may
from common.api import ModelCleanSerializer

from ..estates import EstateRow
from ..models import EstateGap, Kindergarten, Subdistrict


class SubdistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subdistrict
        fields = ["id", "code", "name", "kind"]


class KindergartenSerializer(ModelCleanSerializer):
    subdistrict = serializers.PrimaryKeyRelatedField(queryset=Subdistrict.objects.all())
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    ownership = serializers.CharField(read_only=True)
    name_violations = serializers.JSONField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="kindergarten-detail")

    class Meta:
        model = Kindergarten
        fields = [
            "id",
            "url",
            "code",
            "name",
            "subdistrict",
            "subdistrict_name",
            "address",
            "latitude",
            "longitude",
            "phone",
            "principal",
            "sponsor_type",
            "sponsor_name",
            "ownership",
            "inclusive_status",
            "recognition_date",
            "recognition_expiry",
            "licence_status",
            "is_village_centre",
            "branch_of",
            "is_estate_kindergarten",
            "estate_name",
            "estate_stage",
            "estate_planning_gap",
            "estate_construction_gap",
            "estate_handover_gap",
            "estate_use_gap",
            "entrusted_management_expiry",
            "approved_capacity",
            "international_seats",
            "has_toddler_classes",
            "day_type",
            "name_compliant",
            "name_violations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name_compliant", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # Those who do not manage the registry (directors) keep only their own contact fields.
        if request is not None and request.user.is_authenticated and not may(request.user, Act.MANAGE):
            for name, field in fields.items():
                if name not in Kindergarten.DIRECTOR_EDITABLE_FIELDS:
                    field.read_only = True
        return fields


class EstateGapSerializer(serializers.ModelSerializer):
    days_lasted = serializers.SerializerMethodField()

    class Meta:
        model = EstateGap
        fields = ["id", "kind", "since", "resolved_on", "owner", "note", "days_lasted"]

    def get_days_lasted(self, gap: EstateGap) -> int:
        return gap.days_lasted(timezone.localdate())


class EstateKindergartenSerializer(serializers.ModelSerializer):
    """A board row: the registry's estate fields, the stage's start, the open gaps, the flags."""

    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    stage_since = serializers.DateField(read_only=True)
    is_private = serializers.BooleanField(read_only=True)
    open_gaps = EstateGapSerializer(many=True, read_only=True)
    agreement_state = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="kindergarten-detail")

    class Meta:
        model = Kindergarten
        fields = [
            "id",
            "url",
            "code",
            "name",
            "subdistrict",
            "subdistrict_name",
            "sponsor_type",
            "is_private",
            "estate_name",
            "estate_stage",
            "stage_since",
            "estate_planning_gap",
            "estate_construction_gap",
            "estate_handover_gap",
            "estate_use_gap",
            "open_gaps",
            "entrusted_management_expiry",
            "agreement_state",
        ]
        read_only_fields = fields

    def get_agreement_state(self, kindergarten: Kindergarten) -> str:
        return EstateRow(kindergarten, timezone.localdate()).agreement_state
