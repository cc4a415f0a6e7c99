"""The issue-list API (问题清单 / 改进成效): `/api/issues/`.

Scoped like every resource (`ScopedViewSetMixin` → `restrict(user, action)`): a director sees
their own kindergarten's issues, an inspector the assigned kindergartens', a sub-district
official their area's (read only), the bureau everything. Filters are the list page's
FilterSet (`cycle`, `status`, `source`, `subdistrict`, `kindergarten`, `overdue`, `area`, `q`).
Each issue comes with its improvement steps (events) and their evidence files.

Writes go through `inspections.services.issues`, so a refused input answers 400 with the same
field keys as the forms and nothing is written; a user who may not take the step gets 403:

- `POST /api/issues/` adds one issue (bureau, or an inspector for an assigned kindergarten);
- `POST …/report/` (the kindergarten's director; JSON or multipart with `note` and `files`);
- `POST …/verify/` (`note` optional) and `POST …/send-back/` (`note` required): the evaluator
  or the bureau;
- `PATCH /api/issues/<id>/` corrects `description` and/or moves `deadline` (with `reason`, required
  when the deadline moves) of an issue not yet verified: the evaluator or the bureau. Fields
  left out keep their values.
"""

from __future__ import annotations

from django.db.models import Prefetch
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
from kindergartens.models import Kindergarten

from ..choices import IssueSource
from ..filtersets import QualityIssueFilterSet
from ..models import AssessmentPoint, EvaluationCycle, IssueAttachment, IssueEvent, QualityIssue
from ..services import issues as services
from .common import service_errors


class IssueAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = IssueAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment: IssueAttachment) -> str:
        path = reverse("inspections:issue_attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class IssueEventSerializer(serializers.ModelSerializer):
    attachments = IssueAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = IssueEvent
        fields = ["id", "kind", "note", "created_at", "created_by", "attachments"]
        read_only_fields = fields


class QualityIssueSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="qualityissue-detail")
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    area = serializers.CharField(source="point.key_indicator.area.name", read_only=True)
    key_indicator = serializers.CharField(source="point.key_indicator.name", read_only=True)
    point_text = serializers.CharField(source="point.text", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    events = IssueEventSerializer(many=True, read_only=True)

    class Meta:
        model = QualityIssue
        fields = [
            "id",
            "url",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "cycle",
            "point",
            "area",
            "key_indicator",
            "point_text",
            "source",
            "self_assessment",
            "external_evaluation",
            "description",
            "deadline",
            "status",
            "is_overdue",
            "created_at",
            "created_by",
            "verified_at",
            "verified_by",
            "events",
        ]
        read_only_fields = fields


class IssueInputSerializer(serializers.Serializer):
    kindergarten = serializers.PrimaryKeyRelatedField(queryset=Kindergarten.objects.all())
    cycle = serializers.PrimaryKeyRelatedField(queryset=EvaluationCycle.objects.all())
    point = serializers.PrimaryKeyRelatedField(queryset=AssessmentPoint.objects.all())
    source = serializers.ChoiceField(choices=IssueSource.choices)
    description = serializers.CharField(max_length=2000)
    deadline = serializers.DateField()


class IssueUpdateInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000, required=False)
    deadline = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=services.REASON_MAX_LENGTH, required=False, allow_blank=True, default="")


class ReportInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class VerifyInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SendBackInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class QualityIssueViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    accepts_uploads = True  # the upload body limit (common.limits)
    queryset = QualityIssue.objects.select_related("kindergarten", "point__key_indicator__area").prefetch_related(
        Prefetch(
            "events",
            queryset=IssueEvent.objects.order_by("created_at", "pk").prefetch_related(
                Prefetch("attachments", queryset=IssueAttachment.objects.order_by("uploaded_at", "pk"))
            ),
        )
    )
    serializer_class = QualityIssueSerializer
    filterset_class = QualityIssueFilterSet
    ordering_fields = ["deadline", "created_at", "verified_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _detail(self, issue: QualityIssue, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.queryset.all().restrict(self.request.user, "view").get(pk=issue.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=IssueInputSerializer, responses={201: QualityIssueSerializer})
    def create(self, request: Request) -> Response:
        if not may(request.user, Act.EVALUATE):
            raise exceptions.PermissionDenied(_("只有区教委工作人员和督学可以列入问题。"))
        data = _valid(IssueInputSerializer, request.data)
        with service_errors():
            issue = services.issue_create(user=request.user, **data)
        return self._detail(issue, status.HTTP_201_CREATED)

    @extend_schema(request=IssueUpdateInputSerializer, responses={200: QualityIssueSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        cleaned = _valid(IssueUpdateInputSerializer, request.data)
        with service_errors():
            services.issue_update(
                issue=issue,
                user=request.user,
                description=cleaned.get("description", issue.description),
                deadline=cleaned.get("deadline", issue.deadline),
                reason=cleaned["reason"],
            )
        return self._detail(issue)

    @extend_schema(request=ReportInputSerializer, responses={200: QualityIssueSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        data = request.data
        if hasattr(data, "getlist"):  # multipart: several `files`
            data = {"note": data.get("note", ""), "files": request.FILES.getlist("files")}
        cleaned = _valid(ReportInputSerializer, data)
        with service_errors():
            services.issue_report(issue=issue, user=request.user, note=cleaned["note"], files=cleaned["files"])
        return self._detail(issue)

    @extend_schema(request=VerifyInputSerializer, responses={200: QualityIssueSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        cleaned = _valid(VerifyInputSerializer, request.data)
        with service_errors():
            services.issue_verify(issue=issue, user=request.user, note=cleaned["note"])
        return self._detail(issue)

    @extend_schema(request=SendBackInputSerializer, responses={200: QualityIssueSerializer})
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        cleaned = _valid(SendBackInputSerializer, request.data)
        with service_errors():
            services.issue_send_back(issue=issue, user=request.user, note=cleaned["note"])
        return self._detail(issue)
