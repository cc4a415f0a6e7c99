"""The enforcement API: rectification orders, unlicensed kindergartens' cases and conduct cases.

Scoped like every resource (`ScopedViewSetMixin` → `restrict(user, action)`): a director reads
their own kindergarten's orders and no case; a sub-district official reads their area's; an
inspector reads and changes those of their assigned kindergartens; the bureau everything.
Filters are the list pages' FilterSets. Writes go through `inspections.services.enforcement`,
so a refused input answers 400 with the same field keys as the forms, and nothing is written.

- `/api/rectification-orders/`: `POST` issues, `PATCH` corrects or extends an open order;
  `POST …/follow-ups/` records a visit (`rectified: true` closes the order), `POST …/rectify/`,
  `POST …/penalise/`.
- `/api/unlicensed-cases/`: `POST` registers, `PATCH` corrects; `POST …/transition/` with
  `status` and `on` moves the case on (`note` optional).
- `/api/conduct-cases/`: `POST` registers, `PATCH` corrects or records progress (`outcome`);
  `POST …/close/` with `outcome` and `closed_on`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten, Subdistrict

from ..choices import OPEN_UNLICENSED_STATUSES, ConductCaseKind, OrderReason, PenaltyKind, UnlicensedCaseStatus
from ..filtersets import ConductCaseFilterSet, RectificationOrderFilterSet, UnlicensedCaseFilterSet
from ..models import (
    ConductCase,
    FollowUpVisit,
    OrderAnswer,
    OrderAnswerAttachment,
    RectificationOrder,
    UnlicensedCase,
)
from ..services import enforcement as services
from ..services import order_answers as answer_services
from .common import service_errors

# --- read serializers -------------------------------------------------------------------------------


class FollowUpVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpVisit
        fields = ["id", "visited_on", "rectified", "note", "inspector"]
        read_only_fields = fields


class OrderAnswerFileSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = OrderAnswerAttachment
        fields = ["id", "original_name", "content_type", "size", "url"]
        read_only_fields = fields


class OrderAnswerSerializer(serializers.ModelSerializer):
    files = OrderAnswerFileSerializer(many=True, read_only=True)

    class Meta:
        model = OrderAnswer
        fields = [
            "id",
            "report",
            "answered_by",
            "answered_at",
            "decision",
            "reason",
            "decided_by",
            "decided_at",
            "files",
        ]
        read_only_fields = fields


class RectificationOrderSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="rectificationorder-detail")
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    follow_ups = FollowUpVisitSerializer(many=True, read_only=True)
    answers = OrderAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "url",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "reason",
            "description",
            "issued_on",
            "deadline",
            "status",
            "is_overdue",
            "rectified_on",
            "penalty_kind",
            "penalty_note",
            "penalised_on",
            "issued_by",
            "follow_ups",
            "answers",
        ]
        read_only_fields = fields


class UnlicensedCaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="unlicensedcase-detail")
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = UnlicensedCase
        fields = [
            "id",
            "url",
            "subdistrict",
            "subdistrict_name",
            "kindergarten",
            "name",
            "address",
            "operator",
            "children",
            "discovered_on",
            "status",
            "is_open",
            "ordered_on",
            "resolved_on",
            "note",
            "created_by",
        ]
        read_only_fields = fields

    def get_is_open(self, case: UnlicensedCase) -> bool:
        return case.status in OPEN_UNLICENSED_STATUSES


class ConductCaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="conductcase-detail")
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True, default=None)

    class Meta:
        model = ConductCase
        fields = [
            "id",
            "url",
            "kind",
            "subdistrict",
            "subdistrict_name",
            "kindergarten",
            "kindergarten_name",
            "institution_name",
            "reported_on",
            "description",
            "status",
            "outcome",
            "closed_on",
            "created_by",
        ]
        read_only_fields = fields


# --- inputs (plain; the services decide) ------------------------------------------------------------


class OrderInputSerializer(serializers.Serializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=Kindergarten.objects.all())
    reason = serializers.ChoiceField(choices=OrderReason.choices)
    description = serializers.CharField(max_length=3000)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    deadline = serializers.DateField()


class OrderUpdateSerializer(OrderInputSerializer):
    kindergarten = None  # an order stays with its kindergarten


class FollowUpInputSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    rectified = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=2000)


class RectifyInputSerializer(serializers.Serializer):
    rectified_on = serializers.DateField()


class PenaltyInputSerializer(serializers.Serializer):
    penalty_kind = serializers.ChoiceField(choices=PenaltyKind.choices)
    penalty_note = serializers.CharField(max_length=2000)
    penalised_on = serializers.DateField()


class AnswerInputSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=3000)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class SendBackReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class UnlicensedCaseInputSerializer(serializers.Serializer):
    subdistrict = serializers.PrimaryKeyRelatedField(queryset=Subdistrict.objects.all())
    kindergarten = serializers.PrimaryKeyRelatedField(
        queryset=Kindergarten.objects.all(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    operator = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    children = serializers.IntegerField(min_value=0, required=False, default=0)
    discovered_on = serializers.DateField()
    note = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class TransitionInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=UnlicensedCaseStatus.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ConductCaseInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConductCaseKind.choices)
    subdistrict = serializers.PrimaryKeyRelatedField(queryset=Subdistrict.objects.all())
    kindergarten = serializers.PrimaryKeyRelatedField(
        queryset=Kindergarten.objects.all(), required=False, allow_null=True, default=None
    )
    institution_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reported_on = serializers.DateField()
    description = serializers.CharField(max_length=3000)


class ConductCaseUpdateSerializer(ConductCaseInputSerializer):
    outcome = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class CloseInputSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=3000)
    closed_on = serializers.DateField()


def _valid(serializer_class, request: Request, *, partial_of: dict | None = None) -> dict:
    """The request's data checked by `serializer_class`; for a PATCH, over the current values."""
    data = request.data
    # Only an object is merged; anything else (a list, a string) the serializer refuses with a 400.
    if partial_of is not None and isinstance(data, Mapping):
        data = {**partial_of, **data}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _ensure_enforcer(request: Request) -> None:
    if not may(request.user, Act.ENFORCE):
        raise exceptions.PermissionDenied(_("只有区教委工作人员和督学可以执行此操作。"))


# --- viewsets --------------------------------------------------------------------------------------


class WriteThroughServicesMixin(ScopedViewSetMixin):
    """list / retrieve / create / update, where create and update call a service."""

    read_serializer = None

    def _detail(self, instance, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset_for_read().get(pk=instance.pk)
        return Response(self.read_serializer(fresh, context=self.get_serializer_context()).data, status=code)

    def get_queryset_for_read(self):
        return self.queryset.all().restrict(self.request.user, "view")

    def update(self, request: Request, pk: str | None = None) -> Response:
        return self.partial_update(request, pk)


class RectificationOrderViewSet(
    WriteThroughServicesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    accepts_uploads = True  # the upload body limit (common.limits)
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404 at routing, also for the `answer` action
    queryset = RectificationOrder.objects.select_related("kindergarten").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUpVisit.objects.order_by("visited_on", "pk")),
        Prefetch("answers", queryset=OrderAnswer.objects.prefetch_related("files")),
    )
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = RectificationOrderSerializer
    read_serializer = RectificationOrderSerializer
    filterset_class = RectificationOrderFilterSet
    ordering_fields = ["issued_on", "deadline"]

    @extend_schema(request=OrderInputSerializer, responses={201: RectificationOrderSerializer})
    def create(self, request: Request) -> Response:
        _ensure_enforcer(request)
        data = _valid(OrderInputSerializer, request)
        with service_errors():
            order = services.order_issue(user=request.user, **data)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderUpdateSerializer, responses={200: RectificationOrderSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        current = {
            "reason": order.reason,
            "description": order.description,
            "issued_on": order.issued_on,
            "deadline": order.deadline,
        }
        data = _valid(OrderUpdateSerializer, request, partial_of=current)
        with service_errors():
            services.order_update(order=order, user=request.user, **data)
        return self._detail(order)

    @extend_schema(request=FollowUpInputSerializer, responses={201: RectificationOrderSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups", url_name="follow-ups")
    def follow_ups(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = _valid(FollowUpInputSerializer, request)
        with service_errors():
            services.order_follow_up(order=order, user=request.user, **data)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(request=RectifyInputSerializer, responses={200: RectificationOrderSerializer})
    @action(detail=True, methods=["post"])
    def rectify(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = _valid(RectifyInputSerializer, request)
        with service_errors():
            services.order_rectify(order=order, user=request.user, **data)
        return self._detail(order)

    @extend_schema(request=PenaltyInputSerializer, responses={200: RectificationOrderSerializer})
    @action(detail=True, methods=["post"])
    def penalise(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = _valid(PenaltyInputSerializer, request)
        with service_errors():
            services.order_penalise(order=order, user=request.user, **data)
        return self._detail(order)

    @extend_schema(request=AnswerInputSerializer, responses={201: RectificationOrderSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """The director answers with `report` and `files` (multipart); 403 for anyone else who sees it."""
        # Directors only read orders, so the order is looked up in the read scope; the service
        # then requires `Act.REPORT` on its kindergarten.
        order = get_object_or_404(self.get_queryset_for_read(), pk=pk)
        data = request.data
        if hasattr(data, "getlist"):  # multipart: several `files`
            data = {"report": data.get("report", ""), "files": request.FILES.getlist("files")}
        serializer = AnswerInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        cleaned = dict(serializer.validated_data)
        with service_errors():
            answer_services.order_answer(order=order, user=request.user, **cleaned)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RectificationOrderSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        with service_errors():
            answer_services.order_answer_accept(order=order, user=request.user)
        return self._detail(order)

    @extend_schema(request=SendBackReasonSerializer, responses={200: RectificationOrderSerializer})
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = _valid(SendBackReasonSerializer, request)
        with service_errors():
            answer_services.order_answer_send_back(order=order, user=request.user, **data)
        return self._detail(order)


class UnlicensedCaseViewSet(
    WriteThroughServicesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = UnlicensedCase.objects.select_related("subdistrict")
    serializer_class = UnlicensedCaseSerializer
    read_serializer = UnlicensedCaseSerializer
    filterset_class = UnlicensedCaseFilterSet
    ordering_fields = ["discovered_on", "children"]

    @extend_schema(request=UnlicensedCaseInputSerializer, responses={201: UnlicensedCaseSerializer})
    def create(self, request: Request) -> Response:
        _ensure_enforcer(request)
        data = _valid(UnlicensedCaseInputSerializer, request)
        with service_errors():
            case = services.unlicensed_case_create(user=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=UnlicensedCaseInputSerializer, responses={200: UnlicensedCaseSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        current = {
            field: getattr(case, f"{field}_id" if field in ("subdistrict", "kindergarten") else field)
            for field in UnlicensedCaseInputSerializer().fields
        }
        data = _valid(UnlicensedCaseInputSerializer, request, partial_of=current)
        with service_errors():
            services.unlicensed_case_update(case=case, user=request.user, **data)
        return self._detail(case)

    @extend_schema(request=TransitionInputSerializer, responses={200: UnlicensedCaseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = _valid(TransitionInputSerializer, request)
        with service_errors():
            services.unlicensed_case_transition(case=case, user=request.user, **data)
        return self._detail(case)


class ConductCaseViewSet(
    WriteThroughServicesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = ConductCase.objects.select_related("subdistrict", "kindergarten")
    serializer_class = ConductCaseSerializer
    read_serializer = ConductCaseSerializer
    filterset_class = ConductCaseFilterSet
    ordering_fields = ["reported_on", "closed_on"]

    @extend_schema(request=ConductCaseInputSerializer, responses={201: ConductCaseSerializer})
    def create(self, request: Request) -> Response:
        _ensure_enforcer(request)
        data = _valid(ConductCaseInputSerializer, request)
        with service_errors():
            case = services.conduct_case_create(user=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=ConductCaseUpdateSerializer, responses={200: ConductCaseSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        current = {
            field: getattr(case, f"{field}_id" if field in ("subdistrict", "kindergarten") else field)
            for field in ConductCaseUpdateSerializer().fields
        }
        data = _valid(ConductCaseUpdateSerializer, request, partial_of=current)
        with service_errors():
            services.conduct_case_update(case=case, user=request.user, **data)
        return self._detail(case)

    @extend_schema(request=CloseInputSerializer, responses={200: ConductCaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = _valid(CloseInputSerializer, request)
        with service_errors():
            services.conduct_case_close(case=case, user=request.user, **data)
        return self._detail(case)
