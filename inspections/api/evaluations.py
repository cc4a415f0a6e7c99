"""`/api/evaluation-teams/` and `/api/evaluations/`: supervisory (external) evaluations.

Both are scoped through `restrict(user, action)`: the bureau sees everything, an evaluator the
teams they belong to and the evaluations of their assigned kindergartens, a sub-district
official the evaluations of their sub-district (read only), a director only the published
evaluation of their own kindergarten. Evaluations are listed and retrieved with their ratings
and attachments. Writes go through `inspections.services.evaluations`, as the pages do: a team
member saves the draft (`PATCH`) and submits it (`POST …/submit/`); the bureau publishes
(`POST …/publish/`, with a grade unless one was proposed) or returns it (`POST …/return/`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin
from accounts.models import User

from ..choices import ResultGrade
from ..filtersets import ExternalEvaluationFilterSet
from ..models import EvaluationTeam, ExternalEvaluation, ExternalEvaluationAttachment, ExternalRating
from ..services import evaluations as services
from .common import service_errors

# --- serializers -------------------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


class EvaluationTeamSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="evaluationteam-detail")
    members = TeamMemberSerializer(many=True, read_only=True)
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)

    class Meta:
        model = EvaluationTeam
        fields = ["id", "url", "cycle", "cycle_name", "name", "leader", "members", "note"]
        read_only_fields = fields


class ExternalRatingSerializer(serializers.ModelSerializer):
    level_value = serializers.IntegerField(source="level.value", read_only=True, allow_null=True)

    class Meta:
        model = ExternalRating
        fields = ["point", "level", "level_value", "findings"]
        read_only_fields = fields


class ExternalEvaluationAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExternalEvaluationAttachment
        fields = ["id", "point", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: ExternalEvaluationAttachment) -> str:
        path = reverse("inspections:external_evaluation_attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ExternalEvaluationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="externalevaluation-detail")
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    ratings = ExternalRatingSerializer(many=True, read_only=True)
    attachments = ExternalEvaluationAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ExternalEvaluation
        fields = [
            "id",
            "url",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "cycle",
            "framework_version",
            "team",
            "team_name",
            "visit_date",
            "status",
            "summary",
            "grade",
            "grade_display",
            "submitted_at",
            "submitted_by",
            "review_comment",
            "published_at",
            "published_by",
            "ratings",
            "attachments",
        ]
        read_only_fields = fields


class FindingInputSerializer(serializers.Serializer):
    point = serializers.IntegerField()
    level = serializers.IntegerField(allow_null=True, required=False, default=None)
    findings = serializers.CharField(allow_blank=True, required=False, default="", max_length=services.FINDINGS_MAX)


class EvaluationDraftSerializer(serializers.Serializer):
    visit_date = serializers.DateField(required=False)
    summary = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    grade = serializers.ChoiceField(choices=[("", "—"), *ResultGrade.choices], required=False, allow_blank=True)
    ratings = FindingInputSerializer(many=True, required=False, default=list)


class PublishSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=ResultGrade.choices, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=3000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=3000)


# --- viewsets -------------------------------------------------------------------------------------


class EvaluationTeamViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Evaluation teams: the bureau sees all, an evaluator their own (formed in the portal)."""

    queryset = EvaluationTeam.objects.select_related("cycle").prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("username"))
    )
    serializer_class = EvaluationTeamSerializer
    filterset_fields = ["cycle"]
    ordering_fields = ["name"]


def _detail_queryset():
    return ExternalEvaluation.objects.select_related("kindergarten", "team").prefetch_related(
        Prefetch("ratings", queryset=ExternalRating.objects.select_related("level").order_by("point_id")),
        "attachments",
    )


class ExternalEvaluationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Supervisory evaluations in the caller's scope, with their ratings and attachments.

    A member of the evaluation's team saves the draft (`PATCH` with `visit_date`, `summary`,
    `grade` and `ratings: [{point, level, findings}]`) and submits it (`POST …/submit/`); the
    bureau publishes it (`POST …/publish/`) or returns it to the team (`POST …/return/`).
    """

    queryset = _detail_queryset()
    serializer_class = ExternalEvaluationSerializer
    filterset_class = ExternalEvaluationFilterSet
    ordering_fields = ["visit_date", "published_at", "submitted_at"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def _detail(self, evaluation: ExternalEvaluation) -> Response:
        fresh = _detail_queryset().get(pk=evaluation.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=EvaluationDraftSerializer, responses={200: ExternalEvaluationSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = EvaluationDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        ratings = {r["point"]: services.FindingInput(r.get("level"), r.get("findings") or "") for r in given["ratings"]}
        with service_errors():
            services.evaluation_save(
                evaluation=evaluation,
                user=request.user,
                ratings=ratings,
                visit_date=given.get("visit_date"),
                summary=given.get("summary"),
                grade=given.get("grade"),
            )
        return self._detail(evaluation)

    @extend_schema(request=None, responses={200: ExternalEvaluationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        try:
            services.evaluation_submit(evaluation=evaluation, user=request.user)
        except services.IncompleteEvaluation as incomplete:
            detail = serializers.as_serializer_error(incomplete)
            detail["missing_points"] = [p.pk for p in incomplete.missing]
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self._detail(evaluation)

    @extend_schema(request=PublishSerializer, responses={200: ExternalEvaluationSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.evaluation_publish(
                evaluation=evaluation,
                user=request.user,
                grade=data.validated_data.get("grade"),
                comment=data.validated_data["comment"],
            )
        return self._detail(evaluation)

    @extend_schema(request=ReturnSerializer, responses={200: ExternalEvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_team(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.evaluation_return(evaluation=evaluation, user=request.user, comment=data.validated_data["comment"])
        return self._detail(evaluation)
