"""Fee filings and fee alerts: one FilterSet each for the list page, the API and the export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet
from kindergartens.choices import SponsorType

from ..choices import AlertKind, AlertStatus, KindergartenGrade
from ..models import FeeAlert, FeeFiling
from .common import visible_kindergartens, visible_subdistricts


class FeeFilingFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="kindergarten__name", lookup_expr="icontains")
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    school_year = django_filters.NumberFilter(label=_("学年（起始年份）"))
    sponsor_type = django_filters.ChoiceFilter(
        label=_("举办者类型"), field_name="kindergarten__sponsor_type", choices=SponsorType.choices
    )
    grade = django_filters.ChoiceFilter(label=_("办园等级"), choices=KindergartenGrade.choices)

    class Meta:
        model = FeeFiling
        fields = ["q", "subdistrict", "kindergarten", "school_year", "sponsor_type", "grade"]


class FeeAlertFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=AlertKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AlertStatus.choices)

    class Meta:
        model = FeeAlert
        fields = ["subdistrict", "kindergarten", "kind", "status"]
