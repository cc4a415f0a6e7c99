"""Serializers of the quality-evaluation API. Reads are nested; writes are plain inputs that
the views hand to `inspections.services`, where the rules live."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import (
    Area,
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    RatingLevel,
    RatingScale,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)


class RatingLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["id", "value", "label", "description"]


class RatingScaleSerializer(serializers.ModelSerializer):
    levels = RatingLevelSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScale
        fields = ["id", "name", "description", "source", "levels"]


class AssessmentPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentPoint
        fields = [
            "id",
            "order",
            "text",
            "guidance",
            "evidence_expected",
            "rating_scale",
            "origin",
            "source",
            "carried_from",
        ]


class KeyIndicatorSerializer(serializers.ModelSerializer):
    points = AssessmentPointSerializer(many=True, read_only=True)

    class Meta:
        model = KeyIndicator
        fields = ["id", "order", "name", "points"]


class AreaSerializer(serializers.ModelSerializer):
    indicators = KeyIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = ["id", "order", "name", "indicators"]


class FrameworkVersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="frameworkversion-detail")
    rating_scale = RatingScaleSerializer(read_only=True)
    areas = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = FrameworkVersion
        fields = [
            "id",
            "url",
            "name",
            "version",
            "status",
            "based_on",
            "source",
            "description",
            "is_demo",
            "rating_scale",
            "published_at",
            "areas",
        ]


class EvaluationCycleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="evaluationcycle-detail")
    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = EvaluationCycle
        fields = ["id", "url", "name", "start_year", "end_year", "years", "framework_version", "due_month", "due_day"]


class CycleAssignmentSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    evaluated = serializers.BooleanField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    self_assessment_submitted = serializers.BooleanField(read_only=True)
    self_assessment_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = CycleAssignment
        fields = [
            "id",
            "cycle",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "planned_year",
            "self_assessment_due",
            "note",
            "evaluated",
            "overdue",
            "self_assessment_submitted",
            "self_assessment_overdue",
        ]


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
