"""Credit records: one FilterSet for the list page, the API and the export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet
from kindergartens.choices import SponsorType

from ..choices import CreditLevel
from ..models import CreditRecord
from .common import visible_subdistricts


class CreditRecordFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="kindergarten__name", lookup_expr="icontains")
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    level = django_filters.ChoiceFilter(label=_("幼儿园信用等级"), choices=CreditLevel.choices)
    sponsor_level = django_filters.ChoiceFilter(label=_("举办者信用等级"), choices=CreditLevel.choices)
    principal_level = django_filters.ChoiceFilter(label=_("园长信用等级"), choices=CreditLevel.choices)
    sponsor_type = django_filters.ChoiceFilter(
        label=_("举办者类型"),
        field_name="kindergarten__sponsor_type",
        choices=[(v, label) for v, label in SponsorType.choices if v.startswith("private")],
    )

    class Meta:
        model = CreditRecord
        fields = ["q", "subdistrict", "level", "sponsor_level", "principal_level", "sponsor_type"]
