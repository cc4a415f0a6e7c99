"""FilterSets of the enforcement lists (rectification orders, unlicensed and conduct cases),
each serving both the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import (
    OPEN_UNLICENSED_STATUSES,
    CaseStatus,
    ConductCaseKind,
    OrderReason,
    OrderStatus,
    UnlicensedCaseStatus,
)
from ..models import ConductCase, RectificationOrder, UnlicensedCase
from .common import visible_kindergartens, visible_subdistricts


class RectificationOrderFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    reason = django_filters.ChoiceFilter(label=_("整改事由"), choices=OrderReason.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=OrderStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("逾期未整改"), method="filter_overdue")

    class Meta:
        model = RectificationOrder
        fields = ["q", "subdistrict", "kindergarten", "reason", "status", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(kindergarten__name__icontains=value) | Q(kindergarten__code__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=OrderStatus.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class UnlicensedCaseFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("名称、地址或举办者"))
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=visible_subdistricts)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=UnlicensedCaseStatus.choices)
    open = django_filters.BooleanFilter(label=_("仅未清零（仍在办园）"), method="filter_open")

    class Meta:
        model = UnlicensedCase
        fields = ["q", "subdistrict", "status", "open"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(operator__icontains=value))

    def filter_open(self, queryset, name, value):
        open_q = Q(status__in=OPEN_UNLICENSED_STATUSES)
        return queryset.filter(open_q) if value else queryset.exclude(open_q)


class ConductCaseFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("机构或幼儿园名称、案情"))
    kind = django_filters.ChoiceFilter(label=_("案件类型"), choices=ConductCaseKind.choices)
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=visible_subdistricts)
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices)

    class Meta:
        model = ConductCase
        fields = ["q", "kind", "subdistrict", "kindergarten", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(institution_name__icontains=value)
            | Q(kindergarten__name__icontains=value)
            | Q(description__icontains=value)
        )
