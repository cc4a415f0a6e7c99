"""`/api/scorecards/`: the sub-district scorecards a caller may read (`Scorecard.objects.for_reader`):
bureau staff all, drafts included; a sub-district official their own published cards."""

from rest_framework import serializers, viewsets

from .. import registry
from ..filtersets import ScorecardFilterSet
from ..models import Scorecard


class ScorecardItemSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    indicator_label = serializers.SerializerMethodField()
    weight = serializers.DecimalField(max_digits=8, decimal_places=2)
    rule = serializers.CharField()
    direction = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=6, allow_null=True)
    target = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    cap = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    points = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, help_text="null: no data")
    lost = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)

    def get_indicator_label(self, item: dict) -> str:
        return registry.label(item["indicator"])


class ScorecardSerializer(serializers.ModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    method_name = serializers.CharField(source="method.name", read_only=True)
    items = ScorecardItemSerializer(many=True, read_only=True)
    trend = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "year",
            "subdistrict",
            "subdistrict_name",
            "date",
            "method",
            "method_name",
            "score",
            "rank",
            "previous_score",
            "trend",
            "status",
            "published_at",
            "items",
        ]
        read_only_fields = fields


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilterSet
    ordering_fields = ["year", "rank", "score"]

    def get_queryset(self):
        return Scorecard.objects.for_reader(self.request.user).select_related("subdistrict", "method")
