"""/api/safety-checks/ (scoped, with their results nested) and /api/checklist-templates/ (the published
versions and their items; bureau staff see drafts too). Read only: checks are written through the
pages' services."""

from django.db.models import Prefetch
from django.urls import reverse
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import SafetyCheckFilterSet
from ..models import ChecklistItem, ChecklistTemplate, ChecklistVersion, CheckPhoto, CheckResult, SafetyCheck


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "category", "text", "order", "severity"]


class ChecklistVersionSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "status", "note", "published_at", "items"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    versions = ChecklistVersionSerializer(many=True, read_only=True, source="visible_versions")

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "name", "frequency", "description", "versions"]


class ChecklistTemplateViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Checklist templates with the versions the caller may read (published ones; the bureau's drafts too)."""

    queryset = ChecklistTemplate.objects.order_by("name")
    serializer_class = ChecklistTemplateSerializer

    def get_queryset(self):
        versions = ChecklistVersion.objects.visible_to(self.request.user).order_by("-number").prefetch_related("items")
        return (
            super().get_queryset().prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
        )


class CheckPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CheckPhoto
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, photo: CheckPhoto) -> str:
        return reverse("safety:check_photo", args=[photo.pk])


class CheckResultSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="item.category", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    severity = serializers.CharField(source="item.severity", read_only=True)
    photos = CheckPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = CheckResult
        fields = ["item", "category", "text", "severity", "outcome", "note", "hazard", "photos"]


class SafetyCheckSerializer(serializers.ModelSerializer):
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    template = serializers.IntegerField(source="version.template_id", read_only=True)
    template_name = serializers.CharField(source="version.template.name", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    failures = serializers.IntegerField(read_only=True)
    results = CheckResultSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyCheck
        fields = [
            "id",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "template",
            "template_name",
            "version",
            "version_number",
            "kind",
            "status",
            "checked_on",
            "team",
            "findings",
            "failures",
            "submitted_at",
            "results",
            "created_at",
            "updated_at",
        ]


class SafetyCheckViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Checks the caller may see, each with its results (outcome, note, the hazard a failure opened)."""

    queryset = (
        SafetyCheck.objects.select_related("kindergarten", "version__template")
        .with_counts()
        .prefetch_related(
            Prefetch(
                "results",
                queryset=CheckResult.objects.select_related("item")
                .prefetch_related("photos")
                .order_by("item__order", "item__pk"),
            )
        )
        .order_by("-checked_on", "-pk")
    )
    serializer_class = SafetyCheckSerializer
    filterset_class = SafetyCheckFilterSet
    ordering_fields = ["checked_on", "updated_at"]
