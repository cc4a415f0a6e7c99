"""Hazards: one FilterSet for the list page and the API."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import OPEN_HAZARD_STATUSES, HazardCategory, HazardStatus, Severity
from ..models import Hazard
from .common import visible_kindergartens, visible_subdistricts


class HazardFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("描述、位置、责任人或幼儿园"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    category = django_filters.ChoiceFilter(label=_("隐患类别"), choices=HazardCategory.choices)
    severity = django_filters.ChoiceFilter(label=_("隐患等级"), choices=Severity.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HazardStatus.choices)
    open = django_filters.BooleanFilter(label=_("未销号"), method="filter_open")
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    # The closure rate's drill-down: hazards due in its period, closed by their deadline or not.
    deadline_from = django_filters.DateFilter(label=_("整改期限自"), field_name="deadline", lookup_expr="gte")
    deadline_to = django_filters.DateFilter(label=_("整改期限至"), field_name="deadline", lookup_expr="lte")
    on_time = django_filters.BooleanFilter(label=_("按期销号"), method="filter_on_time")

    class Meta:
        model = Hazard
        fields = [
            "q",
            "subdistrict",
            "kindergarten",
            "category",
            "severity",
            "status",
            "open",
            "overdue",
            "deadline_from",
            "deadline_to",
            "on_time",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(description__icontains=value)
            | Q(location__icontains=value)
            | Q(owner__icontains=value)
            | Q(kindergarten__name__icontains=value)
        )

    def filter_open(self, queryset, name, value):
        still_open = Q(status__in=OPEN_HAZARD_STATUSES)
        return queryset.filter(still_open) if value else queryset.exclude(still_open)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_HAZARD_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_on_time(self, queryset, name, value):
        on_time = Q(closed_on__isnull=False, closed_on__lte=F("deadline"))
        return queryset.filter(on_time) if value else queryset.exclude(on_time)
