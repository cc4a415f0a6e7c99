"""/api/research-clusters/ and /api/pairings/: clusters with their teams, pairings with their reviews."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import PairingFilterSet, ResearchClusterFilterSet
from ..models import Pairing, PairingReview, ResearchCluster, ResearchTeam


class ResearchTeamSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ResearchTeam
        fields = ["id", "name", "topic", "leader", "members"]


class ResearchClusterSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    teams = ResearchTeamSerializer(many=True, read_only=True)

    class Meta:
        model = ResearchCluster
        fields = ["id", "name", "lead", "lead_name", "members", "description", "teams"]


class ResearchClusterViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Clusters one of whose member kindergartens the caller may see."""

    queryset = (
        ResearchCluster.objects.select_related("lead").prefetch_related("members", "teams__members").order_by("name")
    )
    serializer_class = ResearchClusterSerializer
    filterset_class = ResearchClusterFilterSet


class PairingReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingReview
        fields = ["year", "rating", "progress", "reviewed_on"]


class PairingSerializer(serializers.ModelSerializer):
    strong_name = serializers.CharField(source="strong.name", read_only=True)
    weak_name = serializers.CharField(source="weak.name", read_only=True)
    reviews = PairingReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "strong", "strong_name", "weak", "weak_name", "started_on", "ended_on", "goals", "reviews"]


class PairingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Pairings either of whose kindergartens the caller may see."""

    queryset = (
        Pairing.objects.select_related("strong", "weak").prefetch_related("reviews").order_by("-started_on", "pk")
    )
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
