"""/api/subsidies/ (disbursements recorded against the entitlement) and /api/aid-recipients/
(children by initials and category only), scoped to what the caller may see (read only)."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import AidRecipientFilterSet, DisbursementFilterSet
from ..models import AidRecipient, Disbursement


class DisbursementSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = Disbursement
        fields = ["id", "kindergarten", "kindergarten_name", "month", "amount", "paid_on", "note"]


class DisbursementViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Disbursement.objects.select_related("kindergarten").order_by("-month", "pk")
    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilterSet


class AidRecipientSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = AidRecipient
        fields = ["id", "kindergarten", "kindergarten_name", "school_year", "initials", "category", "amount"]


class AidRecipientViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AidRecipient.objects.select_related("kindergarten").order_by("-school_year", "pk")
    serializer_class = AidRecipientSerializer
    filterset_class = AidRecipientFilterSet
