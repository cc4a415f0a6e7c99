"""One FilterSet for the notifications page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from .choices import NotificationKind
from .models import Notification


class NotificationFilterSet(PortalFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("只看未读"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("类型"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
