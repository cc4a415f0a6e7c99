"""Research clusters and pairings: one FilterSet each for the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from common.filters import PortalFilterSet

from ..models import Pairing, ResearchCluster
from .principals import visible_kindergartens


class ResearchClusterFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("片区或幼儿园名称"))
    kindergarten = django_filters.ModelChoiceFilter(
        label=_("成员园"), field_name="members", queryset=visible_kindergartens, distinct=True
    )

    class Meta:
        model = ResearchCluster
        fields = ["q", "kindergarten"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(members__name__icontains=value)).distinct()


class PairingFilterSet(PortalFilterSet):
    # Either side of the pairing: a method filter, so the schema is told it takes a kindergarten id.
    kindergarten = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            label=_("幼儿园"), queryset=visible_kindergartens, method="filter_kindergarten"
        )
    )
    active = django_filters.BooleanFilter(label=_("进行中"), field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Pairing
        fields = ["kindergarten", "active"]

    def filter_kindergarten(self, queryset, name, value):
        return queryset.filter(Q(strong=value) | Q(weak=value))
