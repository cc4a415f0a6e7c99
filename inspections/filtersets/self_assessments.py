"""The FilterSet of self-assessments, serving the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import AssessmentStatus
from ..models import EvaluationCycle, SelfAssessment
from .common import visible_kindergartens, visible_subdistricts


class SelfAssessmentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    cycle = django_filters.ModelChoiceFilter(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentStatus.choices)
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
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
