from django.urls import reverse
from rest_framework import serializers

from common.api import ModelCleanSerializer
from kindergartens.models import Kindergarten

from ..choices import CoveredArea
from ..models import Hazard, HazardEvent, HazardPhoto, SafetyProfile

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


class HazardEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", read_only=True, default="")

    class Meta:
        model = HazardEvent
        fields = ["action", "note", "by", "at"]


class HazardPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = HazardPhoto
        fields = ["id", "stage", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, photo: HazardPhoto) -> str:
        return reverse("safety:hazard_photo", args=[photo.pk])


class HazardSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    events = HazardEventSerializer(many=True, read_only=True)
    photos = HazardPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "category",
            "severity",
            "description",
            "location",
            "found_on",
            "deadline",
            "owner",
            "status",
            "closed_on",
            "events",
            "photos",
            "created_at",
            "updated_at",
        ]
