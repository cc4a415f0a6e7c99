"""The security-event log's filters (the bureau administrator's page)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from .models import SecurityEvent


class SecurityEventFilterSet(PortalFilterSet):
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="icontains")
    ip_address = django_filters.CharFilter(label=_("来源地址"), lookup_expr="startswith")
    since = django_filters.DateFilter(label=_("自"), field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("至"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = SecurityEvent
        fields = ["kind"]
