"""One FilterSet per model, serving both the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from .choices import (
    PUBLIC_SPONSORS,
    EstateGapKind,
    EstateOwner,
    EstateStage,
    InclusiveStatus,
    LicenceStatus,
    Ownership,
    SponsorType,
)
from .estates import agreement_horizon, open_gap_exists
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


class EstateKindergartenFilterSet(PortalFilterSet):
    """The residential-estate board and `/api/estate-kindergartens/`."""

    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("名称、编码或居住区"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), queryset=lambda request: Subdistrict.objects.visible_to(getattr(request, "user", None))
    )
    estate_stage = django_filters.ChoiceFilter(label=_("所处阶段"), choices=EstateStage.choices)
    gap = django_filters.ChoiceFilter(label=_("不到位类型"), choices=EstateGapKind.choices, method="filter_gap")
    owner = django_filters.ChoiceFilter(label=_("责任主体"), choices=EstateOwner.choices, method="filter_owner")
    private = django_filters.BooleanFilter(label=_("民办配套园"), method="filter_private")
    agreement_expiring = django_filters.BooleanFilter(
        label=_("委托协议将到期"), method="filter_agreement", help_text=_("180 天内到期或已到期")
    )

    class Meta:
        model = Kindergarten
        fields = ["q", "subdistrict", "estate_stage", "gap", "owner", "private", "agreement_expiring"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(estate_name__icontains=value))

    def filter_gap(self, queryset, name, value):
        return queryset.filter(open_gap_exists(kind=value))

    def filter_owner(self, queryset, name, value):
        return queryset.filter(open_gap_exists(owner=value))

    def filter_private(self, queryset, name, value):
        if value:
            return queryset.exclude(sponsor_type__in=PUBLIC_SPONSORS)
        return queryset.filter(sponsor_type__in=PUBLIC_SPONSORS)

    def filter_agreement(self, queryset, name, value):
        expiring = Q(entrusted_management_expiry__lte=agreement_horizon(timezone.localdate()))
        return queryset.filter(expiring) if value else queryset.exclude(expiring)
