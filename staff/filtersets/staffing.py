"""The staffing overview of kindergartens (a page of its own; the API lists staff and certificates)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet
from kindergartens.models import Kindergarten

from ..choices import StaffingCheck
from .common import visible_subdistricts


class KindergartenStaffingFilterSet(PortalFilterSet):
    """Works on kindergartens annotated by `selectors.with_staffing_checks`."""

    q = django_filters.CharFilter(label=_("幼儿园"), field_name="name", lookup_expr="icontains")
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=visible_subdistricts)
    staffing = django_filters.BooleanFilter(label=_("配备达标"), field_name="meets_staffing")
    unmet = django_filters.ChoiceFilter(label=_("未达标项"), choices=StaffingCheck.choices, method="filter_unmet")

    class Meta:
        model = Kindergarten
        fields = ["q", "subdistrict", "staffing", "unmet"]

    def filter_unmet(self, queryset, name, value):
        return queryset.filter(**{f"meets_{value}": False})
