"""Safety checks: one FilterSet for the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import CheckKind, CheckStatus
from ..models import ChecklistTemplate, SafetyCheck
from .common import visible_kindergartens, visible_subdistricts


def visible_templates(request):
    return ChecklistTemplate.objects.visible_to(getattr(request, "user", None))


class SafetyCheckFilterSet(PortalFilterSet):
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=CheckKind.choices)
    template = django_filters.ModelChoiceFilter(
        label=_("检查表"), field_name="version__template", queryset=visible_templates
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CheckStatus.choices)
    checked_after = django_filters.DateFilter(label=_("检查日期不早于"), field_name="checked_on", lookup_expr="gte")
    checked_before = django_filters.DateFilter(label=_("检查日期不晚于"), field_name="checked_on", lookup_expr="lte")
    has_failures = django_filters.BooleanFilter(label=_("有不合格项"), method="filter_has_failures")

    class Meta:
        model = SafetyCheck
        fields = [
            "subdistrict",
            "kindergarten",
            "kind",
            "template",
            "status",
            "checked_after",
            "checked_before",
            "has_failures",
        ]

    def filter_has_failures(self, queryset, name, value):
        failing = queryset.with_failures()
        return failing if value else queryset.exclude(pk__in=failing.values("pk"))
