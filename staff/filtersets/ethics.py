"""Ethics records: one FilterSet for the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import EthicsKind, EthicsSeverity
from ..models import EthicsRecord
from .principals import visible_kindergartens, visible_subdistricts


class EthicsRecordFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("姓名或事实经过"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EthicsKind.choices)
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=EthicsSeverity.choices)
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="occurred_on", lookup_expr="year", min_value=1, max_value=9999
    )

    class Meta:
        model = EthicsRecord
        fields = ["q", "subdistrict", "kindergarten", "kind", "severity", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value) | Q(description__icontains=value))
