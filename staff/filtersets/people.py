"""Staff members (posts): one FilterSet for the list page, the export and the API."""

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import CertificateState, Establishment, StaffRole
from ..models import StaffMember
from .common import visible_kindergartens, visible_subdistricts


class StaffMemberFilterSet(PortalFilterSet):
    """Current posts unless `current` says otherwise (pages, export and API alike). Certificate
    state filters need the queryset annotated by `selectors.with_certificate_state`."""

    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("姓名、身份证号码后四位或幼儿园"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    role = django_filters.ChoiceFilter(label=_("岗位"), choices=StaffRole.choices)
    establishment = django_filters.ChoiceFilter(label=_("编制情况"), choices=Establishment.choices)
    full_time = django_filters.BooleanFilter(label=_("专职"))
    current = django_filters.BooleanFilter(label=_("在职"), method="filter_current")
    certificates = django_filters.ChoiceFilter(
        label=_("证书情况"), choices=CertificateState.choices, method="filter_certificates"
    )

    class Meta:
        model = StaffMember
        fields = ["q", "subdistrict", "kindergarten", "role", "establishment", "full_time", "current", "certificates"]

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is None or "current" not in data:
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["current"] = "true"
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(person__id_last4=value.upper())
            | Q(kindergarten__name__icontains=value)
        )

    def filter_current(self, queryset, name, value):
        return queryset.filter(left_on__isnull=value)

    def filter_certificates(self, queryset, name, value):
        if value == CertificateState.COMPLETE:
            return queryset.filter(lacks_certificate=False, certificate_expired=False)
        field = {
            CertificateState.MISSING: "lacks_certificate",
            CertificateState.EXPIRING: "certificate_expiring",
            CertificateState.EXPIRED: "certificate_expired",
        }[value]
        return queryset.filter(**{field: True})
