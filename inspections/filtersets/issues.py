"""The FilterSet of the issue lists (问题清单), serving the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import IssueSource, IssueStatus
from ..models import Area, EvaluationCycle, QualityIssue
from .common import visible_kindergartens, visible_subdistricts


def area_choices() -> list[tuple[str, str]]:
    """The framework's five areas by name: handbook versions copy them, so a name means the same
    area in every cycle (version 1, seeded by the data migration, has them all)."""
    names = Area.objects.filter(framework_version__version=1).order_by("order").values_list("name", flat=True)
    return [(name, name) for name in names]


class QualityIssueFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码、问题描述"))
    cycle = django_filters.ModelChoiceFilter(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=IssueStatus.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=IssueSource.choices)
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    area = django_filters.ChoiceFilter(
        label=_("评估方面"), choices=area_choices, field_name="point__key_indicator__area__name"
    )

    class Meta:
        model = QualityIssue
        fields = ["q", "cycle", "status", "source", "subdistrict", "kindergarten", "overdue", "area"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(kindergarten__name__icontains=value)
            | Q(kindergarten__code__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=IssueStatus.VERIFIED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
