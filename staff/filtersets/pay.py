"""Pay filings: one FilterSet for the list page and the API (flags from `PayFilingQuerySet.with_flags`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..models import PayFiling
from .principals import visible_kindergartens, visible_subdistricts


class PayFilingFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    year = django_filters.NumberFilter(label=_("年度"))
    flagged = django_filters.BooleanFilter(label=_("民办园预警"), method="filter_flag")
    below_benchmark = django_filters.BooleanFilter(label=_("低于公办园参照"), method="filter_flag")
    uncovered = django_filters.BooleanFilter(label=_("社保公积金未全覆盖"), method="filter_flag")

    class Meta:
        model = PayFiling
        fields = ["subdistrict", "kindergarten", "year", "flagged", "below_benchmark", "uncovered"]

    def filter_flag(self, queryset, name, value):
        if name not in queryset.query.annotations:
            queryset = queryset.with_flags()
        return queryset.filter(**{name: value})
