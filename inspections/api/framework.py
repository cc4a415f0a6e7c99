"""The API of the handbook: framework versions with their areas, key indicators, points and
rating scales (read only: the bureau maintains the handbook in the portal)."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import FrameworkVersionFilterSet
from ..models import Area, AssessmentPoint, FrameworkVersion, KeyIndicator, RatingLevel, RatingScale


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
