"""One FilterSet per list, serving both the page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten, Subdistrict

from .choices import AssessmentStatus
from .models import CycleAssignment, EvaluationCycle, FrameworkVersion, SelfAssessment


def _subdistricts(request):
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


def _kindergartens(request):
    return Kindergarten.objects.visible_to(getattr(request, "user", None))


class FrameworkVersionFilterSet(django_filters.FilterSet):
    class Meta:
        model = FrameworkVersion
        fields = ["status", "is_demo"]


class EvaluationCycleFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("包含年份"), method="filter_year")

    class Meta:
        model = EvaluationCycle
        fields = ["year", "framework_version"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class CycleAssignmentFilterSet(django_filters.FilterSet):
    PROGRESS = (
        ("evaluated", _("已完成评估")),
        ("overdue", _("逾期未评估")),
        ("self_assessment_overdue", _("自评逾期未提交")),
        ("pending", _("尚未完成")),
    )
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=_subdistricts
    )
    planned_year = django_filters.NumberFilter(label=_("评估年度"))
    progress = django_filters.ChoiceFilter(label=_("进度"), choices=PROGRESS, method="filter_progress")

    class Meta:
        model = CycleAssignment
        fields = ["q", "subdistrict", "planned_year", "progress"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(kindergarten__name__icontains=value) | Q(kindergarten__code__icontains=value))

    def filter_progress(self, queryset, name, value):
        today = timezone.localdate()
        if value == "evaluated":
            return queryset.filter(CycleAssignment.objects.evaluated_condition())
        if value == "overdue":
            return queryset.overdue(today)
        if value == "self_assessment_overdue":
            return queryset.self_assessment_overdue(today)
        return queryset.exclude(CycleAssignment.objects.evaluated_condition())


class SelfAssessmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    cycle = django_filters.ModelChoiceFilter(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentStatus.choices)
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=_kindergartens)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    all_versions = django_filters.BooleanFilter(label=_("包括已退回的旧版本"), method="filter_all_versions")

    class Meta:
        model = SelfAssessment
        fields = ["q", "cycle", "status", "subdistrict", "kindergarten", "overdue", "all_versions"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(kindergarten__name__icontains=value) | Q(kindergarten__code__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=AssessmentStatus.DRAFT, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_all_versions(self, queryset, name, value):
        return queryset  # applied in `qs`: the default is the latest version of each

    @property
    def qs(self):
        queryset = super().qs
        all_versions = self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("all_versions")
        return queryset if all_versions else queryset.latest_versions()
