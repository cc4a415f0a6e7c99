"""`/api/enrollment-submissions/`: the tracker as a resource — each kindergarten that owes a
report, with its report's status, when it was submitted and how many days late (read-only).

One row per operating kindergarten in the caller's scope (a kindergarten that has not started
its report appears with status "missing"), for `?year=<start year>` or the current school year.
The tracker page's FilterSet filters it: `status` (submitted, correction, draft, missing,
unreported), `late_min`, `subdistrict`, `q`, and `ordering` (`status`, `days_late`, `code`,
each with `-` for descending).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin
from kindergartens.models import Kindergarten

from ..filtersets import SubmissionTrackerFilterSet, TrackerStatus
from ..models import SchoolYear
from ..selectors import REPORTED, days_late, owing_reports, with_report


class EnrollmentSubmissionStatusSerializer(serializers.ModelSerializer):
    # A row is a kindergarten's report for the year: it is addressed by the kindergarten's id.
    id = serializers.IntegerField(source="pk", read_only=True)
    kindergarten = serializers.IntegerField(source="pk", read_only=True)
    kindergarten_code = serializers.CharField(source="code", read_only=True)
    kindergarten_name = serializers.CharField(source="name", read_only=True)
    subdistrict = serializers.CharField(source="subdistrict.name", read_only=True)
    school_year = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(source="report_submitted_at", read_only=True, allow_null=True)
    submission_due = serializers.DateField(source="report_deadline", read_only=True, allow_null=True)
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = Kindergarten
        fields = [
            "id",
            "kindergarten",
            "kindergarten_code",
            "kindergarten_name",
            "subdistrict",
            "school_year",
            "status",
            "submitted_at",
            "submission_due",
            "days_late",
            "principal",
            "phone",
        ]
        read_only_fields = fields

    def get_school_year(self, row: Kindergarten) -> int:
        return self.context["school_year"].start_year

    def get_status(self, row: Kindergarten) -> str:
        return row.report_status or TrackerStatus.MISSING

    def get_days_late(self, row: Kindergarten) -> int:
        reported_on = row.report_day if row.report_status in REPORTED else None
        return days_late(row.report_deadline, reported_on, self.context["today"])


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="学年起始年份；默认为当前学年")]
    ),
    retrieve=extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="学年起始年份；默认为当前学年")]
    ),
)
class EnrollmentSubmissionStatusViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Who has reported for a school year and how late (addressed by the kindergarten's id)."""

    queryset = Kindergarten.objects.all()
    serializer_class = EnrollmentSubmissionStatusSerializer
    filterset_class = SubmissionTrackerFilterSet
    # The FilterSet's `ordering` sorts; the list keeps the tracker's order otherwise.
    ordering_fields: list[str] = []

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise Http404
            self.school_year = get_object_or_404(SchoolYear, start_year=int(year))
        else:
            self.school_year = SchoolYear.objects.current()
            if self.school_year is None:
                raise Http404
        self.today = timezone.localdate()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Kindergarten.objects.none()
        # The mixin restricts to the caller's scope; then the tracker's reading of each report.
        return with_report(owing_reports(super().get_queryset()), self.school_year, self.today)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context.update(school_year=getattr(self, "school_year", None), today=getattr(self, "today", None))
        return context
