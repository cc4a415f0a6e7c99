"""One FilterSet per model, serving both the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from .choices import PUBLIC_SPONSORS, InclusiveStatus, LicenceStatus, Ownership, SponsorType
from .models import Kindergarten, Subdistrict


class SubdistrictFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = Subdistrict
        fields = ["kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class KindergartenFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("名称、编码、地址或园长"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), queryset=lambda request: Subdistrict.objects.visible_to(getattr(request, "user", None))
    )
    ownership = django_filters.ChoiceFilter(label=_("公办/民办"), choices=Ownership.choices, method="filter_ownership")
    sponsor_type = django_filters.MultipleChoiceFilter(label=_("举办者类型"), choices=SponsorType.choices)
    inclusive_status = django_filters.ChoiceFilter(label=_("普惠性质"), choices=InclusiveStatus.choices)
    licence_status = django_filters.ChoiceFilter(label=_("办园许可状态"), choices=LicenceStatus.choices)
    name_compliant = django_filters.BooleanFilter(label=_("名称合规"))
    is_village_centre = django_filters.BooleanFilter(label=_("村中心园"))
    is_estate_kindergarten = django_filters.BooleanFilter(label=_("居住区配套园"))
    has_toddler_classes = django_filters.BooleanFilter(label=_("开设托班"))

    class Meta:
        model = Kindergarten
        fields = [
            "q",
            "subdistrict",
            "ownership",
            "sponsor_type",
            "inclusive_status",
            "licence_status",
            "name_compliant",
            "is_village_centre",
            "is_estate_kindergarten",
            "has_toddler_classes",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(address__icontains=value)
            | Q(principal__icontains=value)
        )

    def filter_ownership(self, queryset, name, value):
        if value == Ownership.PUBLIC:
            return queryset.filter(sponsor_type__in=PUBLIC_SPONSORS)
        return queryset.exclude(sponsor_type__in=PUBLIC_SPONSORS)
