"""Certificates: one FilterSet for the expiry page and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import CertificateKind
from ..models import Certificate
from ..selectors import current_holders_at
from .common import visible_kindergartens, visible_subdistricts


class CertificateFilterSet(PortalFilterSet):
    # The field names describe the filters (API schema); the methods keep to current posts.
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"),
        field_name="person__posts__kindergarten__subdistrict",
        queryset=visible_subdistricts,
        method="filter_subdistrict",
    )
    kindergarten = django_filters.ModelChoiceFilter(
        label=_("幼儿园"),
        field_name="person__posts__kindergarten",
        queryset=visible_kindergartens,
        method="filter_kindergarten",
    )
    kind = django_filters.ChoiceFilter(label=_("证书类型"), choices=CertificateKind.choices)
    expires_before = django_filters.DateFilter(label=_("有效期早于"), field_name="expires_on", lookup_expr="lt")
    expires_after = django_filters.DateFilter(label=_("有效期不早于"), field_name="expires_on", lookup_expr="gte")

    class Meta:
        model = Certificate
        fields = ["subdistrict", "kindergarten", "kind", "expires_before", "expires_after"]

    def filter_subdistrict(self, queryset, name, value):
        return queryset.filter(person__in=current_holders_at(timezone.localdate(), kindergarten__subdistrict=value))

    def filter_kindergarten(self, queryset, name, value):
        return queryset.filter(person__in=current_holders_at(timezone.localdate(), kindergarten=value))
