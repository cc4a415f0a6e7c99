"""/api/recognitions/: recognitions the caller may see, with the steps of their workflow (read only:
the pages and services write)."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import RecognitionFilterSet
from ..models import Recognition, RecognitionEvent


class RecognitionEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", read_only=True, default="")

    class Meta:
        model = RecognitionEvent
        fields = ["action", "note", "day", "by", "at"]


class RecognitionSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    events = RecognitionEventSerializer(many=True, read_only=True)

    class Meta:
        model = Recognition
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "status",
            "grade",
            "monthly_fee",
            "conditions_met",
            "conditions_total",
            "evaluation_grade",
            "evaluation_cycle",
            "applied_on",
            "subdistrict_opinion",
            "subdistrict_note",
            "valid_from",
            "valid_to",
            "last_reviewed_on",
            "revoked_on",
            "events",
        ]


class RecognitionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Recognition.objects.select_related("kindergarten").prefetch_related("events__by").order_by("-pk")
    serializer_class = RecognitionSerializer
    filterset_class = RecognitionFilterSet
    ordering_fields = ["applied_on", "valid_to"]
