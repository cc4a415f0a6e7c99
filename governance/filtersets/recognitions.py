"""Recognitions: one FilterSet for the list page and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import KindergartenGrade, RecognitionStatus
from ..models import Recognition
from ..selectors import warning_days
from .common import visible_kindergartens, visible_subdistricts


class RecognitionFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="kindergarten__name", lookup_expr="icontains")
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecognitionStatus.choices)
    grade = django_filters.ChoiceFilter(label=_("办园等级"), choices=KindergartenGrade.choices)
    expiring = django_filters.BooleanFilter(label=_("已到期或即将到期"), method="filter_expiring")

    class Meta:
        model = Recognition
        fields = ["q", "subdistrict", "kindergarten", "status", "grade", "expiring"]

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        expiring = Recognition.objects.expiring(today, warning_days(today)).values("pk")
        return queryset.filter(pk__in=expiring) if value else queryset.exclude(pk__in=expiring)
