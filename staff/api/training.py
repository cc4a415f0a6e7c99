"""/api/trainings/: training records the caller may see (hours and credits by level and mode)."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import TrainingRecordFilterSet
from ..models import TrainingRecord


class TrainingRecordSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "person",
            "person_name",
            "kindergarten",
            "kindergarten_name",
            "course",
            "activity",
            "title",
            "attended_on",
            "hours",
            "credits",
            "level",
            "mode",
            "source",
        ]


class TrainingRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Training records of the kindergartens the caller may see (written through the pages and imports)."""

    queryset = TrainingRecord.objects.select_related("person", "kindergarten").order_by("-attended_on", "pk")
    serializer_class = TrainingRecordSerializer
    filterset_class = TrainingRecordFilterSet
    ordering_fields = ["attended_on", "hours", "credits"]
