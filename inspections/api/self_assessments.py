"""The API of self-assessments: read in the caller's scope; start, save, submit, upload evidence
(directors) and review (the bureau), all through the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin
from accounts.permissions import Act, may

from .. import services
from ..filtersets import SelfAssessmentFilterSet
from ..models import AssessmentPoint, EvaluationCycle, SelfAssessment, SelfAssessmentAttachment, SelfAssessmentRating
from .common import service_errors


class SelfAssessmentRatingSerializer(serializers.ModelSerializer):
    level_value = serializers.IntegerField(source="level.value", read_only=True, allow_null=True)

    class Meta:
        model = SelfAssessmentRating
        fields = ["point", "level", "level_value", "evidence_note"]


class SelfAssessmentAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SelfAssessmentAttachment
        fields = ["id", "point", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, attachment: SelfAssessmentAttachment) -> str:
        path = reverse("inspections:self_assessment_attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SelfAssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="selfassessment-detail")
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    ratings = SelfAssessmentRatingSerializer(many=True, read_only=True)
    attachments = SelfAssessmentAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "url",
            "kindergarten",
            "kindergarten_name",
            "cycle",
            "framework_version",
            "version",
            "revised_from",
            "status",
            "summary",
            "due_date",
            "created_at",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "ratings",
            "attachments",
        ]
        read_only_fields = fields


class SelfAssessmentStartSerializer(serializers.Serializer):
    """Starts (or returns) the caller's self-assessment for a cycle; the kindergarten is the
    director's own unless given (and then it must be)."""

    cycle = serializers.PrimaryKeyRelatedField(queryset=EvaluationCycle.objects.all())


class RatingInputSerializer(serializers.Serializer):
    point = serializers.IntegerField()
    level = serializers.IntegerField(allow_null=True, required=False, default=None)
    evidence_note = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)


class SelfAssessmentDraftSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, required=False, max_length=3000)
    ratings = RatingInputSerializer(many=True, required=False, default=list)


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=3000)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    point = serializers.PrimaryKeyRelatedField(queryset=AssessmentPoint.objects.all(), required=False, allow_null=True)


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

    accepts_uploads = True  # the upload body limit (common.limits)

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
        if not may(request.user, Act.FILL):  # a director, of their own kindergarten
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
