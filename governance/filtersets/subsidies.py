"""Aid recipients, disbursements and the subsidy facts (new places, rented premises): one FilterSet
each for the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import AidCategory
from ..models import AidRecipient, Disbursement, NewPlace, RentedPremises
from .common import visible_kindergartens, visible_subdistricts


class AidRecipientFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    school_year = django_filters.NumberFilter(label=_("学年（起始年份）"))
    category = django_filters.ChoiceFilter(label=_("资助类别"), choices=AidCategory.choices)

    class Meta:
        model = AidRecipient
        fields = ["subdistrict", "kindergarten", "school_year", "category"]


class DisbursementFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    month = django_filters.DateFilter(label=_("补助月份"))

    class Meta:
        model = Disbursement
        fields = ["subdistrict", "kindergarten", "month"]


class SubsidyFactFilterSet(PortalFilterSet):
    """New places or rented premises (both have a kindergarten): the page filters both alike."""

    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)

    class Meta:
        model = NewPlace
        fields = ["subdistrict", "kindergarten"]


class NewPlaceFilterSet(SubsidyFactFilterSet):
    class Meta:
        model = NewPlace
        fields = ["subdistrict", "kindergarten"]


class RentedPremisesFilterSet(SubsidyFactFilterSet):
    class Meta:
        model = RentedPremises
        fields = ["subdistrict", "kindergarten"]
