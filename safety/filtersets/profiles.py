"""Safety profiles: one FilterSet for the overview and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..models import SafetyProfile
from .common import visible_subdistricts


class SafetyProfileFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    alarm_linked = django_filters.BooleanFilter(label=_("一键式报警联网"))
    video_linked = django_filters.BooleanFilter(label=_("视频监控联网"))
    closed_campus = django_filters.BooleanFilter(label=_("封闭式管理"))

    class Meta:
        model = SafetyProfile
        fields = ["subdistrict", "alarm_linked", "video_linked", "closed_campus"]
