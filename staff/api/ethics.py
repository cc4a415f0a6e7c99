"""/api/ethics-records/: warnings and violations of the kindergartens the caller may see."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import EthicsRecordFilterSet
from ..models import EthicsRecord


class EthicsRecordSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = EthicsRecord
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "person",
            "person_name",
            "kind",
            "severity",
            "occurred_on",
            "description",
            "outcome",
            "decided_on",
            "conduct_case",
        ]


class EthicsRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EthicsRecord.objects.select_related("person", "kindergarten").order_by("-occurred_on", "pk")
    serializer_class = EthicsRecordSerializer
    filterset_class = EthicsRecordFilterSet
