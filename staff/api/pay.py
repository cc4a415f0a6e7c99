"""/api/pay-filings/: yearly pay filings with their lines, benchmarks and flags."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import PayFilingFilterSet
from ..models import PayFiling, PayLine


class PayLineSerializer(serializers.ModelSerializer):
    benchmark = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = PayLine
        fields = ["role", "establishment", "headcount", "average_monthly_pay", "benchmark"]


class PayFilingSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    lines = serializers.SerializerMethodField()
    below_benchmark = serializers.BooleanField(read_only=True)
    uncovered = serializers.BooleanField(read_only=True)
    flagged = serializers.BooleanField(read_only=True)

    class Meta:
        model = PayFiling
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "year",
            "insurance_required",
            "insurance_covered",
            "housing_required",
            "housing_covered",
            "leave_entitled",
            "leave_taken",
            "rotation_arranged",
            "lines",
            "below_benchmark",
            "uncovered",
            "flagged",
            "updated_at",
        ]

    def get_lines(self, filing: PayFiling) -> list[dict]:
        return PayLineSerializer(filing.benchmarked_lines, many=True).data


class PayFilingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Pay filings of the kindergartens the caller may see; `flagged` marks private kindergartens
    below the public benchmark or with uncovered staff (written through the filing page)."""

    queryset = (
        PayFiling.objects.with_flags()
        .select_related("kindergarten")
        .prefetch_related(Prefetch("lines", queryset=PayLine.objects.with_benchmark(), to_attr="benchmarked_lines"))
        .order_by("-year", "kindergarten__code")
    )
    serializer_class = PayFilingSerializer
    filterset_class = PayFilingFilterSet
    ordering_fields = ["year", "kindergarten__code"]
