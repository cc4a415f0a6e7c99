"""The quality-evaluation API: framework versions, cycles, the cycle plan and self-assessments.

Every viewset is scoped through `restrict(user, action)` (`ScopedViewSetMixin`): a director
sees only their own kindergarten's self-assessments, an inspector the assigned ones, a
sub-district official their area's, read only. Writes go through `inspections.services`, so
the API enforces exactly what the pages enforce (a submitted self-assessment is frozen for
everybody; only the bureau reviews; only the own director fills).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chaoyang_preschool.api import ScopedViewSetMixin

from .. import services
from ..filtersets import (
    CycleAssignmentFilterSet,
    EvaluationCycleFilterSet,
    FrameworkVersionFilterSet,
    SelfAssessmentFilterSet,
)
from ..models import (
    Area,
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    SelfAssessment,
)
from .serializers import (
    AttachmentUploadSerializer,
    CycleAssignmentSerializer,
    EvaluationCycleSerializer,
    FrameworkVersionSerializer,
    ReviewSerializer,
    SelfAssessmentAttachmentSerializer,
    SelfAssessmentDraftSerializer,
    SelfAssessmentSerializer,
    SelfAssessmentStartSerializer,
)


@contextmanager
def service_errors():
    """A service's Django ValidationError becomes the API's 400 with the same keys."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class FrameworkVersionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Framework versions with their areas → key indicators → points. Drafts: bureau only."""

    queryset = FrameworkVersion.objects.select_related("rating_scale").prefetch_related(
        "rating_scale__levels",
        Prefetch(
            "areas",
            queryset=Area.objects.order_by("order", "pk").prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=KeyIndicator.objects.order_by("order", "pk").prefetch_related(
                        Prefetch("points", queryset=AssessmentPoint.objects.order_by("order", "pk"))
                    ),
                )
            ),
        ),
    )
    serializer_class = FrameworkVersionSerializer
    filterset_class = FrameworkVersionFilterSet
    ordering_fields = ["version", "published_at"]


class EvaluationCycleViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EvaluationCycle.objects.all()
    serializer_class = EvaluationCycleSerializer
    filterset_class = EvaluationCycleFilterSet
    ordering_fields = ["start_year"]

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str | None = None) -> Response:
        """Assigned / evaluated / overdue / due this year, per sub-district of the caller's scope."""
        cycle = self.get_object()
        today = timezone.localdate()
        visible = CycleAssignment.objects.visible_to(request.user).filter(cycle=cycle)
        rows = [
            {
                "subdistrict": row.pop("kindergarten__subdistrict_id"),
                "subdistrict_name": row.pop("kindergarten__subdistrict__name"),
                "subdistrict_code": row.pop("kindergarten__subdistrict__code"),
                **row,
            }
            for row in visible.coverage_by_subdistrict(today)
        ]
        return Response({"date": today, "totals": visible.coverage_totals(today), "subdistricts": rows})


class CycleAssignmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The cycle plan: each kindergarten's evaluation year and progress (the bureau edits it in the portal)."""

    queryset = CycleAssignment.objects.select_related("kindergarten")
    serializer_class = CycleAssignmentSerializer
    filterset_class = CycleAssignmentFilterSet
    ordering_fields = ["planned_year", "self_assessment_due"]

    def get_queryset(self):
        return super().get_queryset().with_progress()


class SelfAssessmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Self-assessments in the caller's scope. The list shows the latest version of each
    (`?all_versions=true` for all); every version stays retrievable by id.

    A director creates (`POST`, `{"cycle": id}`), fills (`PATCH` with `summary` and
    `ratings: [{point, level, evidence_note}]`), uploads (`POST …/attachments/`, multipart),
    and submits (`POST …/submit/`) their own; the bureau returns (`POST …/return/` with a
    comment) or accepts (`POST …/accept/`); a returned one is revised as a new version
    (`POST …/revise/`).
    """

    queryset = SelfAssessment.objects.select_related("kindergarten").prefetch_related("ratings__level", "attachments")
    serializer_class = SelfAssessmentSerializer
    filterset_class = SelfAssessmentFilterSet
    ordering_fields = ["due_date", "submitted_at", "version"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def filter_queryset(self, queryset):
        # Filters (including "latest versions only") shape lists; a version is always reachable by id.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _detail(self, assessment: SelfAssessment, code: int = status.HTTP_200_OK) -> Response:
        fresh = SelfAssessment.objects.select_related("kindergarten").prefetch_related("ratings__level", "attachments")
        fresh = fresh.get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=SelfAssessmentStartSerializer, responses={201: SelfAssessmentSerializer})
    def create(self, request: Request) -> Response:
        data = SelfAssessmentStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.is_director:
            raise exceptions.PermissionDenied(_("只有园长可以填写本园的自评。"))
        with service_errors():
            assessment = services.self_assessment_start(
                kindergarten=request.user.kindergarten, cycle=data.validated_data["cycle"], user=request.user
            )
        return self._detail(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=SelfAssessmentDraftSerializer, responses={200: SelfAssessmentSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        data = SelfAssessmentDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ratings = {
            r["point"]: services.RatingInput(r.get("level"), r.get("evidence_note") or "")
            for r in data.validated_data.get("ratings", [])
        }
        with service_errors():
            services.self_assessment_save(
                assessment=assessment, user=request.user, ratings=ratings, summary=data.validated_data.get("summary")
            )
        return self._detail(assessment)

    @extend_schema(request=SelfAssessmentDraftSerializer, responses={200: SelfAssessmentSerializer})
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(request=None, responses={200: SelfAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        try:
            services.self_assessment_submit(assessment=assessment, user=request.user)
        except services.IncompleteAssessment as incomplete:
            # The unrated points by key (as the form shows them) and as a list of ids.
            detail = serializers.as_serializer_error(incomplete)
            detail["missing_points"] = [p.pk for p in incomplete.missing]
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self._detail(assessment)

    @extend_schema(request=ReviewSerializer, responses={200: SelfAssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_kindergarten(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.self_assessment_return(
                assessment=assessment, user=request.user, comment=data.validated_data["comment"]
            )
        return self._detail(assessment)

    @extend_schema(request=ReviewSerializer, responses={200: SelfAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.self_assessment_accept(
                assessment=assessment, user=request.user, comment=data.validated_data["comment"]
            )
        return self._detail(assessment)

    @extend_schema(request=None, responses={201: SelfAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        with service_errors():
            revision = services.self_assessment_revise(assessment=assessment, user=request.user)
        return self._detail(revision, status.HTTP_201_CREATED)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: SelfAssessmentAttachmentSerializer})
    @action(detail=True, methods=["post"])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            attachment = services.self_assessment_attachment_add(
                assessment=assessment,
                user=request.user,
                file=data.validated_data["file"],
                point=data.validated_data.get("point"),
            )
        return Response(
            SelfAssessmentAttachmentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
