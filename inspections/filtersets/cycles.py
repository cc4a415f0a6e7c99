"""FilterSets of the three-year cycle: cycles and the plan of kindergartens (page and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..models import CycleAssignment, EvaluationCycle
from .common import visible_subdistricts


class EvaluationCycleFilterSet(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("包含年份"), method="filter_year")

    class Meta:
        model = EvaluationCycle
        fields = ["year", "framework_version"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class CycleAssignmentFilterSet(PortalFilterSet):
    PROGRESS = (
        ("evaluated", _("已完成评估")),
        ("overdue", _("逾期未评估")),
        ("self_assessment_overdue", _("自评逾期未提交")),
        ("pending", _("尚未完成")),
    )
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
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
