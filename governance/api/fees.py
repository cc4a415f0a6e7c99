"""/api/fee-filings/: fee filings the caller may see, with their items (read only: filing goes
through the service, which checks caps and raises alerts)."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import FeeFilingFilterSet
from ..models import FeeFiling, FeeItem


class FeeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["item", "description", "monthly_amount"]


class FeeFilingSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    items = FeeItemSerializer(many=True, read_only=True)

    class Meta:
        model = FeeFiling
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "school_year",
            "grade",
            "filed_on",
            "note",
            "items",
        ]


class FeeFilingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FeeFiling.objects.select_related("kindergarten").prefetch_related("items").order_by("-school_year", "pk")
    serializer_class = FeeFilingSerializer
    filterset_class = FeeFilingFilterSet
    ordering_fields = ["school_year", "filed_on"]
