"""/api/subsidies/ (disbursements recorded against the entitlement) and /api/aid-recipients/
(children by initials and category only), /api/new-places/ and /api/rented-premises/ (the facts
the new-place and rent subsidies are computed from), scoped to what the caller may see (read only)."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import AidRecipientFilterSet, DisbursementFilterSet, NewPlaceFilterSet, RentedPremisesFilterSet
from ..models import AidRecipient, Disbursement, NewPlace, RentedPremises


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


class NewPlaceSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = NewPlace
        fields = ["id", "kindergarten", "kindergarten_name", "approved_on", "places", "reference", "note"]


class NewPlaceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = NewPlace.objects.select_related("kindergarten").order_by("-approved_on", "pk")
    serializer_class = NewPlaceSerializer
    filterset_class = NewPlaceFilterSet


class RentedPremisesSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)

    class Meta:
        model = RentedPremises
        fields = ["id", "kindergarten", "kindergarten_name", "area_m2", "rent_from", "rent_to", "lessor", "note"]


class RentedPremisesViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = RentedPremises.objects.select_related("kindergarten").order_by("kindergarten__code", "-rent_from")
    serializer_class = RentedPremisesSerializer
    filterset_class = RentedPremisesFilterSet
