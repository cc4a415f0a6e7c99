"""FilterSets for enrolment data, serving the pages, the exports and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from common.filters import PortalFilterSet
from kindergartens.models import Kindergarten, Subdistrict

from .choices import ClassType, PopulationBasis, SubmissionStatus
from .models import ChildPopulation, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear


def _visible_subdistricts(request) -> QuerySet[Subdistrict]:
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


def _visible_kindergartens(request) -> QuerySet[Kindergarten]:
    return Kindergarten.objects.visible_to(getattr(request, "user", None)).only("id", "code", "name")


class SchoolYearFilterSet(PortalFilterSet):
    class Meta:
        model = SchoolYear
        fields = ["start_year", "locked"]


class KindergartenYearFilterSet(PortalFilterSet):
    """Filters shared by rows that belong to a kindergarten and a school year."""

    school_year = django_filters.NumberFilter(
        label=_("学年"), field_name="school_year__start_year", help_text=_("学年起始年份，如 2025")
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=_visible_kindergartens)
    kindergarten_code = django_filters.CharFilter(label=_("幼儿园编码"), field_name="kindergarten__code")
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=_visible_subdistricts
    )


class SchoolClassFilterSet(KindergartenYearFilterSet):
    class_type = django_filters.ChoiceFilter(label=_("班级类型"), choices=ClassType.choices)

    class Meta:
        model = SchoolClass
        fields = ["school_year", "kindergarten", "kindergarten_code", "subdistrict", "class_type"]


class EnrollmentByAgeFilterSet(KindergartenYearFilterSet):
    class Meta:
        model = EnrollmentByAge
        fields = ["school_year", "kindergarten", "kindergarten_code", "subdistrict", "age"]


class SubmissionFilterSet(KindergartenYearFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SubmissionStatus.choices)

    class Meta:
        model = EnrollmentSubmission
        fields = ["school_year", "kindergarten", "kindergarten_code", "subdistrict", "status"]


class ChildPopulationFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=_visible_subdistricts)
    year = django_filters.NumberFilter(label=_("年份"))
    year_from = django_filters.NumberFilter(label=_("起始年份"), field_name="year", lookup_expr="gte")
    year_to = django_filters.NumberFilter(label=_("截止年份"), field_name="year", lookup_expr="lte")
    basis = django_filters.ChoiceFilter(label=_("人口口径"), choices=PopulationBasis.choices)

    class Meta:
        model = ChildPopulation
        fields = ["subdistrict", "year", "year_from", "year_to", "age", "basis"]


class TrackerStatus:
    """Statuses on the submission tracker: the stored ones plus "not started" (no report yet)."""

    MISSING = "missing"
    UNREPORTED = "unreported"  # a draft or nothing: who still owes the report
    # No official figures for the year (selectors.reported_q): missing from every indicator's
    # figures and counted against its completeness. The dashboard links here.
    NO_FIGURES = "no_figures"
    CHOICES = [
        (SubmissionStatus.SUBMITTED, SubmissionStatus.SUBMITTED.label),
        (SubmissionStatus.CORRECTION, SubmissionStatus.CORRECTION.label),
        (SubmissionStatus.DRAFT, _("草稿（未报送）")),
        (MISSING, _("未填报")),
        (UNREPORTED, _("未报送（草稿或未填报）")),
        (NO_FIGURES, _("无正式数据（不计入指标）")),
    ]


class SubmissionTrackerFilterSet(PortalFilterSet):
    """Filters the tracker's kindergartens (annotated with `report_status` by the view)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("名称或编码"))
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=_visible_subdistricts)
    status = extend_schema_field({"type": "string", "enum": [value for value, _label in TrackerStatus.CHOICES]})(
        django_filters.ChoiceFilter(label=_("报送状态"), choices=TrackerStatus.CHOICES, method="filter_status")
    )
    late_min = django_filters.NumberFilter(
        label=_("逾期天数不少于"),
        method="filter_late",
        min_value=1,
        help_text=_("报送日期（未报送的按今天）晚于截止日期的天数"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("report_rank", "status"), ("report_lateness", "days_late"), ("code", "code")),
        choices=[
            ("status", _("报送状态（未填报在前）")),
            ("-status", _("报送状态（已报送在前）")),
            ("-days_late", _("逾期天数（多的在前）")),
            ("days_late", _("逾期天数（少的在前）")),
            ("code", _("幼儿园编码")),
        ],
    )

    class Meta:
        model = Kindergarten
        fields = ["q", "subdistrict", "status", "late_min", "ordering"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == TrackerStatus.MISSING:
            return queryset.filter(report_status__isnull=True)
        if value == TrackerStatus.NO_FIGURES:
            return queryset.filter(has_official_figures=False)
        if value == TrackerStatus.UNREPORTED:
            return queryset.filter(Q(report_status__isnull=True) | Q(report_status=SubmissionStatus.DRAFT))
        if value == SubmissionStatus.SUBMITTED:
            # A pending correction has reported too: its official figures stand until the bureau decides.
            return queryset.filter(report_status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.CORRECTION))
        return queryset.filter(report_status=value)

    def filter_late(self, queryset, name, value):
        # `report_lateness` is null when the year has no deadline: nobody is late then.
        return queryset.filter(report_lateness__gte=datetime.timedelta(days=int(value)))
