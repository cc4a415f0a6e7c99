"""The API of the three-year cycle: cycles with their coverage, and the plan of kindergartens."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin

from ..filtersets import CycleAssignmentFilterSet, EvaluationCycleFilterSet
from ..models import CycleAssignment, EvaluationCycle


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
