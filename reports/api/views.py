"""Read-only API of the indicator engine. Snapshots, forecasts and warnings are scoped like every
other resource (`ScopedViewSetMixin`); district-wide and ownership rows have no sub-district, so
only bureau staff see them. Computation runs are the bureau's alone."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api import BureauOnlyPermission, ScopedViewSetMixin
from common.api import NoCountPagination

from ..filtersets import (
    ComputationRunFilterSet,
    EarlyWarningFilterSet,
    IndicatorSnapshotFilterSet,
    SeatForecastFilterSet,
)
from ..follow_up_services import warning_follow_up, with_follow_up
from ..models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from .serializers import (
    ComputationRunSerializer,
    EarlyWarningSerializer,
    FollowUpActionSerializer,
    IndicatorSnapshotSerializer,
    SeatForecastSerializer,
)


class IndicatorSnapshotViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Dated indicator values per scope: filter by date (or `date=latest`), scope and indicator code.

    Without `date`, `date_after` or `date_before` the list shows the latest date only (the latest
    among the rows matching the other filters); give a range for several dates. Pages carry
    `next` and `previous` but no `count`: counting every snapshot of every date costs more than
    the page.
    """

    queryset = IndicatorSnapshot.objects.select_related("subdistrict")
    serializer_class = IndicatorSnapshotSerializer
    filterset_class = IndicatorSnapshotFilterSet
    ordering_fields = ["date", "scope_type", "scope_key", "indicator", "value"]
    pagination_class = NoCountPagination
    DATE_PARAMS = ("date", "date_after", "date_before")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and not any(self.request.query_params.get(name) for name in self.DATE_PARAMS):
            latest = queryset.order_by().aggregate(latest=Max("date"))["latest"]
            queryset = queryset.filter(date=latest) if latest else queryset.none()
        return queryset


class SeatForecastViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = SeatForecast.objects.select_related("subdistrict")
    serializer_class = SeatForecastSerializer
    filterset_class = SeatForecastFilterSet
    ordering_fields = ["date", "year", "shortfall"]


class EarlyWarningViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Warnings with their follow-up state; `POST …/follow-up/` changes it (district-wide dashboard users)."""

    queryset = with_follow_up(EarlyWarning.objects.select_related("subdistrict", "kindergarten")).order_by(
        "-date", "kind", "-shortfall", "pk"
    )
    serializer_class = EarlyWarningSerializer
    filterset_class = EarlyWarningFilterSet
    ordering_fields = ["date", "year", "shortfall", "kind"]

    @extend_schema(request=FollowUpActionSerializer, responses=EarlyWarningSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        warning = self.get_object()
        data = FollowUpActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {key: data.validated_data[key] for key in ("status", "owner") if key in data.validated_data}
        try:
            warning_follow_up(warning=warning, user=request.user, note=data.validated_data.get("note", ""), **changes)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=warning.pk)).data)


class ComputationRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the nightly computation (start, end, status, error): bureau staff only."""

    queryset = ComputationRun.objects.select_related("triggered_by")
    serializer_class = ComputationRunSerializer
    filterset_class = ComputationRunFilterSet
    permission_classes = [IsAuthenticated, BureauOnlyPermission]
    ordering_fields = ["started_at", "date"]
