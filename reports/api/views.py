"""Read-only API of the indicator engine. Snapshots, forecasts and warnings are scoped like every
other resource (`ScopedViewSetMixin`); district-wide and ownership rows have no sub-district, so
only bureau staff see them. Computation runs are the bureau's alone."""

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from accounts.api import BureauOnlyPermission, ScopedViewSetMixin

from ..filtersets import (
    ComputationRunFilterSet,
    EarlyWarningFilterSet,
    IndicatorSnapshotFilterSet,
    SeatForecastFilterSet,
)
from ..models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from .serializers import (
    ComputationRunSerializer,
    EarlyWarningSerializer,
    IndicatorSnapshotSerializer,
    SeatForecastSerializer,
)


class IndicatorSnapshotViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Dated indicator values per scope: filter by date (or `date=latest`), scope and indicator code."""

    queryset = IndicatorSnapshot.objects.select_related("subdistrict")
    serializer_class = IndicatorSnapshotSerializer
    filterset_class = IndicatorSnapshotFilterSet
    ordering_fields = ["date", "scope_type", "scope_key", "indicator", "value"]


class SeatForecastViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = SeatForecast.objects.select_related("subdistrict")
    serializer_class = SeatForecastSerializer
    filterset_class = SeatForecastFilterSet
    ordering_fields = ["date", "year", "shortfall"]


class EarlyWarningViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EarlyWarning.objects.select_related("subdistrict", "kindergarten").order_by(
        "-date", "kind", "-shortfall", "pk"
    )
    serializer_class = EarlyWarningSerializer
    filterset_class = EarlyWarningFilterSet
    ordering_fields = ["date", "year", "shortfall", "kind"]


class ComputationRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the nightly computation (start, end, status, error): bureau staff only."""

    queryset = ComputationRun.objects.select_related("triggered_by")
    serializer_class = ComputationRunSerializer
    filterset_class = ComputationRunFilterSet
    permission_classes = [IsAuthenticated, BureauOnlyPermission]
    ordering_fields = ["started_at", "date"]
