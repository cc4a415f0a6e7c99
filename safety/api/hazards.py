"""/api/hazards/: hazards the caller may see, with the events and photos of their loop."""

from django.urls import reverse
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import HazardFilterSet
from ..models import Hazard, HazardEvent, HazardPhoto


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
