"""Enrolment API: school years, classes, children by age, submissions and child population.

Every viewset is scoped by `restrict(user, action)`. Classes and children by age are the official
figures: only bureau staff write them row by row. Directors report through `/api/submissions/`:
POST a whole report to save it as a draft (the official figures stay as they are) or submit it;
bureau staff accept a correction (`accept`) or return a report (`return`). Population is written
by bureau staff only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import BureauCreatesPermission, BureauWritesPermission, ScopedViewSetMixin

from .. import services
from ..filtersets import (
    ChildPopulationFilterSet,
    EnrollmentByAgeFilterSet,
    SchoolClassFilterSet,
    SchoolYearFilterSet,
    SubmissionFilterSet,
)
from ..models import ChildPopulation, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear
from .serializers import (
    ChildPopulationSerializer,
    EnrollmentByAgeSerializer,
    ReportSerializer,
    SchoolClassSerializer,
    SchoolYearSerializer,
    SubmissionSerializer,
)


class SchoolYearViewSet(viewsets.ModelViewSet):
    """School years, addressed by their start year (`/api/school-years/2025/`). Bureau staff manage them."""

    queryset = SchoolYear.objects.select_related("locked_by")
    serializer_class = SchoolYearSerializer
    filterset_class = SchoolYearFilterSet
    permission_classes = [*viewsets.ModelViewSet.permission_classes, BureauWritesPermission]
    lookup_field = "start_year"
    ordering_fields = ["start_year"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @action(detail=True, methods=["post"])
    def lock(self, request: Request, start_year: str | None = None) -> Response:
        try:
            school_year = services.school_year_lock(school_year=self.get_object(), user=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(self.get_serializer(school_year).data)

    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, start_year: str | None = None) -> Response:
        school_year = services.school_year_unlock(school_year=self.get_object(), user=request.user)
        return Response(self.get_serializer(school_year).data)


class SchoolClassViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = SchoolClass.objects.select_related("kindergarten", "school_year")
    serializer_class = SchoolClassSerializer
    filterset_class = SchoolClassFilterSet
    ordering_fields = ["kindergarten__code", "school_year__start_year", "class_type", "name", "enrolled"]

    def perform_destroy(self, instance: SchoolClass) -> None:
        services.school_class_delete(school_class=instance, user=self.request.user)


class EnrollmentByAgeViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = EnrollmentByAge.objects.select_related("kindergarten", "school_year")
    serializer_class = EnrollmentByAgeSerializer
    filterset_class = EnrollmentByAgeFilterSet
    ordering_fields = ["kindergarten__code", "school_year__start_year", "age"]

    def perform_destroy(self, instance: EnrollmentByAge) -> None:
        services.enrollment_by_age_delete(row=instance, user=self.request.user)


class SubmissionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EnrollmentSubmission.objects.select_related("kindergarten", "school_year", "submitted_by")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    ordering_fields = ["kindergarten__code", "school_year__start_year", "submitted_at"]

    def _done(self, submission: EnrollmentSubmission, code: int = status.HTTP_200_OK) -> Response:
        return Response(SubmissionSerializer(submission, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ReportSerializer, responses={201: SubmissionSerializer})
    def create(self, request: Request) -> Response:
        """Saves a kindergarten's report for a year as a draft, or submits it (see the module's docstring)."""
        report = ReportSerializer(data=request.data, context=self.get_serializer_context())
        report.is_valid(raise_exception=True)
        try:
            submission = services.enrollment_report_save(
                kindergarten=report.validated_data["kindergarten"],
                school_year=report.validated_data["school_year"],
                report=report.report(),
                submit=report.validated_data["submit"],
                user=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self._done(submission, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Bureau staff accept a pending correction: it replaces the official figures."""
        try:
            submission = services.correction_accept(submission=self.get_object(), user=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self._done(submission)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        """Bureau staff return a submitted report or a correction to the director (退回修改)."""
        return self._done(services.submission_return(submission=self.get_object(), user=request.user))


class ChildPopulationViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = ChildPopulation.objects.select_related("subdistrict")
    serializer_class = ChildPopulationSerializer
    filterset_class = ChildPopulationFilterSet
    permission_classes = [*viewsets.ModelViewSet.permission_classes, BureauCreatesPermission]
    ordering_fields = ["subdistrict__code", "year", "age"]

    def perform_destroy(self, instance: ChildPopulation) -> None:
        services.population_delete(row=instance, user=self.request.user)
