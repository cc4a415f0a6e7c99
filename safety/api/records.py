"""/api/incidents/, /api/footage-requests/ and /api/safety-posts/ (public contract names).

Reads are scoped (`ScopedViewSetMixin`); writes go through the services, by the director (own
kindergarten) or bureau staff. A decided footage entry refuses PUT, PATCH and DELETE with 409
and the reason; corrections are new entries (POST with `corrects`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin
from common.api import ModelCleanSerializer

from ..choices import Weekday, days_mask, mask_days
from ..filtersets import FootageRequestFilterSet, IncidentFilterSet, SafetyPostFilterSet
from ..forms import keepable_kindergartens
from ..models import FootageHandover, FootageRequest, Incident, RecordLocked, SafetyPost
from ..services import (
    footage_handover_record,
    footage_request_correct,
    footage_request_decide,
    footage_request_delete,
    footage_request_record,
    footage_request_update,
    incident_record,
    incident_update,
    post_record,
    post_update,
)
from ..services.footage import REQUEST_FIELDS
from ..services.incidents import INCIDENT_FIELDS
from ..services.posts import POST_FIELDS


class Locked(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "locked"


def _through_service(call):
    """Runs a service; its validation errors become field errors (400), a locked record 409."""
    try:
        return call()
    except RecordLocked as locked:
        raise Locked(str(locked)) from locked
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class KeptKindergartenMixin:
    """The `kindergarten` of a new record is one the caller keeps; it never changes afterwards."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if "kindergarten" in fields and request is not None:
            fields["kindergarten"].queryset = keepable_kindergartens(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple) and "kindergarten" in fields:
            fields["kindergarten"].read_only = True
        return fields


class IncidentSerializer(KeptKindergartenMixin, ModelCleanSerializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=keepable_kindergartens(None))
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    days_to_resolution = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            *INCIDENT_FIELDS,
            "days_to_resolution",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class IncidentViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Incidents the caller may see; the director records their own kindergarten's, the bureau any."""

    queryset = Incident.objects.select_related("kindergarten").order_by("-occurred_at", "-pk")
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ["occurred_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        kindergarten = data.pop("kindergarten")
        serializer.instance = _through_service(
            lambda: incident_record(kindergarten=kindergarten, user=self.request.user, **data)
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _through_service(
            lambda: incident_update(incident=serializer.instance, user=self.request.user, **data)
        )


class FootageHandoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = FootageHandover
        fields = ["copied", "handed_to", "handed_at", "created_at"]
        read_only_fields = ["created_at"]


class FootageRequestSerializer(KeptKindergartenMixin, ModelCleanSerializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=keepable_kindergartens(None))
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    decided_by = serializers.CharField(source="decided_by.get_full_name", read_only=True, default="")
    handover = FootageHandoverSerializer(read_only=True)

    class Meta:
        model = FootageRequest
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            *REQUEST_FIELDS,
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "corrects",
            "correction_reason",
            "handover",
            "created_at",
        ]
        read_only_fields = ["requested_at", "status", "decided_at", "decision_note", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["corrects"].queryset = FootageRequest.objects.restrict(getattr(request, "user", None), "change")
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["corrects"].read_only = True
            fields["correction_reason"].read_only = True
        return fields


class FootageDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FootageRequestViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """The footage register the caller may see. Pending entries are written by the director (own)
    or the bureau; `decide/` and `handover/` take the next steps; decided entries never change."""

    queryset = FootageRequest.objects.select_related("kindergarten", "decided_by", "handover").order_by(
        "-requested_at", "-pk"
    )
    serializer_class = FootageRequestSerializer
    filterset_class = FootageRequestFilterSet
    ordering_fields = ["requested_at", "decided_at"]

    def _refuse_if_decided(self) -> FootageRequest:
        entry = self.get_object()
        if entry.is_decided:
            raise Locked(_("该调取登记已审批，不能再修改或删除；如需更正，请新建一条更正登记。"))
        return entry

    def update(self, request, *args, **kwargs):
        self._refuse_if_decided()
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        entry = self._refuse_if_decided()
        _through_service(lambda: footage_request_delete(entry=entry, user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        kindergarten = data.pop("kindergarten")
        original = data.pop("corrects", None)
        reason = data.pop("correction_reason", "")
        if original is not None:
            serializer.instance = _through_service(
                lambda: footage_request_correct(original=original, user=self.request.user, reason=reason, **data)
            )
        else:
            serializer.instance = _through_service(
                lambda: footage_request_record(kindergarten=kindergarten, user=self.request.user, **data)
            )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in REQUEST_FIELDS}
        serializer.instance = _through_service(
            lambda: footage_request_update(entry=serializer.instance, user=self.request.user, **data)
        )

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        entry = self.get_object()
        decision = FootageDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        entry = _through_service(
            lambda: footage_request_decide(entry=entry, user=request.user, **decision.validated_data)
        )
        return Response(self.get_serializer(entry).data)

    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        entry = self.get_object()
        given = FootageHandoverSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        _through_service(lambda: footage_handover_record(entry=entry, user=request.user, **given.validated_data))
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema_field({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 6}})
class DaysField(serializers.Field):
    """The days of a post as a list of weekday numbers (0 = Monday … 6 = Sunday)."""

    def to_representation(self, value: int) -> list[int]:
        return mask_days(value or 0)

    def to_internal_value(self, data) -> int:
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(_("请选择至少一天（0 = 周一 … 6 = 周日）。"))
        if any(not isinstance(d, int) or d not in Weekday.values for d in data):
            raise serializers.ValidationError(_("星期只能是 0（周一）到 6（周日）。"))
        return days_mask(data)


class SafetyPostSerializer(KeptKindergartenMixin, ModelCleanSerializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=keepable_kindergartens(None))
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    days = DaysField()

    class Meta:
        model = SafetyPost
        fields = ["id", "kindergarten", "kindergarten_name", *POST_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class SafetyPostViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Peak-hour posts the caller may see; kept by the director (own) or the bureau."""

    queryset = SafetyPost.objects.select_related("kindergarten").order_by("kindergarten__code", "start_time", "pk")
    serializer_class = SafetyPostSerializer
    filterset_class = SafetyPostFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        kindergarten = data.pop("kindergarten")
        serializer.instance = _through_service(
            lambda: post_record(kindergarten=kindergarten, user=self.request.user, **data)
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _through_service(
            lambda: post_update(post=serializer.instance, user=self.request.user, **data)
        )
