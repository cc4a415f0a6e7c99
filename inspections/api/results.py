"""`/api/evaluation-results/`: published supervisory evaluation results, read only.

The record-keeping resource of external evaluations (drafts, ratings, workflow) is
`/api/evaluations/`; this one holds only what counts as a result — published evaluations —
with the kindergarten's facts and the cycle's open and overdue issue counts, scoped like
external evaluations (a director their own, an evaluator the assigned kindergartens, a
sub-district official their sub-district).
"""

from __future__ import annotations

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from .. import results
from ..filtersets import EvaluationResultFilterSet
from ..models import ExternalEvaluation


class EvaluationResultSerializer(serializers.ModelSerializer):
    kindergarten_code = serializers.CharField(source="kindergarten.code", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    subdistrict_name = serializers.CharField(source="kindergarten.subdistrict.name", read_only=True)
    ownership = serializers.CharField(source="result_ownership", read_only=True)
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    open_issues = serializers.IntegerField(read_only=True)
    overdue_issues = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExternalEvaluation
        fields = [
            "id",
            "kindergarten",
            "kindergarten_code",
            "kindergarten_name",
            "subdistrict",
            "subdistrict_name",
            "ownership",
            "cycle",
            "cycle_name",
            "grade",
            "grade_display",
            "visit_date",
            "published_at",
            "summary",
            "open_issues",
            "overdue_issues",
        ]
        read_only_fields = fields


class EvaluationResultViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published evaluation results in the caller's scope, newest cycle first."""

    queryset = ExternalEvaluation.objects.all()
    serializer_class = EvaluationResultSerializer
    filterset_class = EvaluationResultFilterSet
    ordering_fields = ["published_at", "visit_date", "grade"]

    def get_queryset(self):
        scoped = super().get_queryset().published()
        return (
            results.with_issue_counts(scoped)
            .select_related("kindergarten__subdistrict", "cycle")
            .annotate(result_ownership=results.ownership_expression())
            .order_by("-cycle__start_year", "kindergarten__code")
        )
