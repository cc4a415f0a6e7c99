"""/api/supervision-orders/: the supervision orders the caller may see (a sub-district official:
those of their area escalated to the sub-district or the bureau), with events, interviews and notices."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import SupervisionOrderFilterSet
from ..models import SupervisionEvent, SupervisionInterview, SupervisionNotice, SupervisionOrder


class SupervisionEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", read_only=True, default="")

    class Meta:
        model = SupervisionEvent
        fields = ["kind", "from_level", "to_level", "day", "reason", "by", "at"]


def _file_url(row) -> str | None:
    return row.get_file_url() if row.file else None


class SupervisionInterviewSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionInterview
        fields = ["id", "held_on", "interviewer", "party", "attendees", "summary", "original_name", "file_url"]

    def get_file_url(self, row) -> str | None:
        return _file_url(row)


class SupervisionNoticeSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionNotice
        fields = ["id", "issued_on", "issuer", "party", "audience", "text", "original_name", "file_url"]

    def get_file_url(self, row) -> str | None:
        return _file_url(row)


class SupervisionOrderSerializer(serializers.ModelSerializer):
    kindergarten = serializers.IntegerField(source="hazard.kindergarten_id", read_only=True)
    kindergarten_name = serializers.CharField(source="hazard.kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="hazard.kindergarten.subdistrict_id", read_only=True)
    hazard_deadline = serializers.DateField(source="hazard.deadline", read_only=True)
    hazard_status = serializers.CharField(source="hazard.status", read_only=True)
    events = SupervisionEventSerializer(many=True, read_only=True)
    interviews = SupervisionInterviewSerializer(many=True, read_only=True)
    notices = SupervisionNoticeSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "hazard",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "hazard_deadline",
            "hazard_status",
            "issued_on",
            "level",
            "status",
            "closed_on",
            "rectification_order",
            "events",
            "interviews",
            "notices",
            "created_at",
            "updated_at",
        ]


class SupervisionOrderViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Supervision orders the caller may see (read only: the pages and the daily escalation write)."""

    queryset = (
        SupervisionOrder.objects.select_related("hazard__kindergarten")
        .prefetch_related("events__by", "interviews", "notices")
        .order_by("-issued_on", "-pk")
    )
    serializer_class = SupervisionOrderSerializer
    filterset_class = SupervisionOrderFilterSet
    ordering_fields = ["issued_on", "updated_at"]
