"""/api/credit-records/: the credit records the caller may see, with their events, level history,
appeals and exits (read only: refresh, appeals and exits go through the services)."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import CreditRecordFilterSet
from ..models import CreditAppeal, CreditEvent, CreditExit, CreditLevelChange, CreditRecord, TransferPlanLine


class CreditAppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditAppeal
        fields = ["id", "grounds", "filed_on", "status", "decided_on", "decision_note"]


class CreditEventSerializer(serializers.ModelSerializer):
    appeals = CreditAppealSerializer(many=True, read_only=True)

    class Meta:
        model = CreditEvent
        fields = ["id", "kind", "occurred_on", "detail", "status", "source_url", "appeals"]


class CreditLevelChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditLevelChange
        fields = ["subject", "day", "score", "level", "previous_level", "reason"]


class TransferPlanLineSerializer(serializers.ModelSerializer):
    receiving_name = serializers.CharField(source="receiving.name", read_only=True)

    class Meta:
        model = TransferPlanLine
        fields = ["receiving", "receiving_name", "children"]


class CreditExitSerializer(serializers.ModelSerializer):
    transfers = TransferPlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = CreditExit
        fields = ["kind", "decided_on", "effective_on", "reason", "children_to_place", "transfers"]


class CreditRecordSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    events = CreditEventSerializer(many=True, read_only=True)
    level_changes = CreditLevelChangeSerializer(many=True, read_only=True)
    exits = CreditExitSerializer(many=True, read_only=True)

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "sponsor_name",
            "principal_name",
            "score",
            "level",
            "sponsor_score",
            "sponsor_level",
            "principal_score",
            "principal_level",
            "computed_on",
            "events",
            "level_changes",
            "exits",
        ]


class CreditRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (
        CreditRecord.objects.select_related("kindergarten")
        .prefetch_related(
            Prefetch("events", queryset=CreditEvent.objects.prefetch_related("appeals")),
            "level_changes",
            Prefetch("exits", queryset=CreditExit.objects.prefetch_related("transfers__receiving")),
        )
        .order_by("kindergarten__code")
    )
    serializer_class = CreditRecordSerializer
    filterset_class = CreditRecordFilterSet
    ordering_fields = ["score", "level", "computed_on"]
