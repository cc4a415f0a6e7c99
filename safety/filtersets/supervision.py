"""Supervision orders: one FilterSet for the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import OPEN_HAZARD_STATUSES, SupervisionLevel, SupervisionStatus
from ..models import SupervisionOrder
from .common import visible_kindergartens, visible_subdistricts


class SupervisionOrderFilterSet(PortalFilterSet):
    level = django_filters.ChoiceFilter(label=_("督办层级"), choices=SupervisionLevel.choices)
    status = django_filters.ChoiceFilter(label=_("督办状态"), choices=SupervisionStatus.choices)
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="hazard__kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(
        label=_("幼儿园"), field_name="hazard__kindergarten", queryset=visible_kindergartens
    )
    overdue = django_filters.BooleanFilter(label=_("隐患已逾期"), method="filter_overdue")

    class Meta:
        model = SupervisionOrder
        fields = ["level", "status", "subdistrict", "kindergarten", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(hazard__status__in=OPEN_HAZARD_STATUSES, hazard__deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
