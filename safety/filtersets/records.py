"""Incidents, disputes, the footage register and peak-hour posts: one FilterSet per model for the
list page, the API and (incidents) the xlsx export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import FootageAccess, FootageStatus, IncidentSeverity, InsuranceStatus, PostKind, RecordStatus
from ..models import Dispute, FootageRequest, Incident, SafetyPost
from .common import visible_kindergartens, visible_subdistricts


def _subdistrict():
    return django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )


def _kindergarten():
    return django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)


class IncidentFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("地点、经过或幼儿园"))
    subdistrict = _subdistrict()
    kindergarten = _kindergarten()
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=IncidentSeverity.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecordStatus.choices)
    insurance_status = django_filters.ChoiceFilter(label=_("理赔状态"), choices=InsuranceStatus.choices)
    occurred_from = django_filters.DateFilter(label=_("发生日期自"), field_name="occurred_at", lookup_expr="date__gte")
    occurred_to = django_filters.DateFilter(label=_("发生日期至"), field_name="occurred_at", lookup_expr="date__lte")

    class Meta:
        model = Incident
        fields = [
            "q",
            "subdistrict",
            "kindergarten",
            "severity",
            "status",
            "insurance_status",
            "occurred_from",
            "occurred_to",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(place__icontains=value) | Q(what_happened__icontains=value) | Q(kindergarten__name__icontains=value)
        )


class DisputeFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("事由、当事方或幼儿园"))
    subdistrict = _subdistrict()
    kindergarten = _kindergarten()
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecordStatus.choices)

    class Meta:
        model = Dispute
        fields = ["q", "subdistrict", "kindergarten", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(subject__icontains=value) | Q(parties__icontains=value) | Q(kindergarten__name__icontains=value)
        )


class FootageRequestFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("申请人、单位、理由或幼儿园"))
    subdistrict = _subdistrict()
    kindergarten = _kindergarten()
    access = django_filters.ChoiceFilter(label=_("申请事项"), choices=FootageAccess.choices)
    status = django_filters.ChoiceFilter(label=_("审批结果"), choices=FootageStatus.choices)

    class Meta:
        model = FootageRequest
        fields = ["q", "subdistrict", "kindergarten", "access", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(requester_name__icontains=value)
            | Q(requester_org__icontains=value)
            | Q(purpose__icontains=value)
            | Q(kindergarten__name__icontains=value)
        )


class SafetyPostFilterSet(PortalFilterSet):
    subdistrict = _subdistrict()
    kindergarten = _kindergarten()
    kind = django_filters.ChoiceFilter(label=_("岗位类型"), choices=PostKind.choices)
    active = django_filters.BooleanFilter(label=_("在岗"))

    class Meta:
        model = SafetyPost
        fields = ["subdistrict", "kindergarten", "kind", "active"]
