"""Training records and title applications: one FilterSet each for the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import TitleApplicationStatus, TrainingLevel, TrainingMode, TrainingSource
from ..models import TitleApplication, TrainingRecord
from .principals import visible_kindergartens, visible_subdistricts


class TrainingRecordFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("姓名或培训内容"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="attended_on", lookup_expr="year", min_value=1, max_value=9999
    )
    level = django_filters.ChoiceFilter(label=_("培训层级"), choices=TrainingLevel.choices)
    mode = django_filters.ChoiceFilter(label=_("培训方式"), choices=TrainingMode.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=TrainingSource.choices)

    class Meta:
        model = TrainingRecord
        fields = ["q", "subdistrict", "kindergarten", "year", "level", "mode", "source", "person", "course"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value) | Q(title__icontains=value))


class TitleApplicationFilterSet(PortalFilterSet):
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TitleApplicationStatus.choices)
    year = django_filters.NumberFilter(
        label=_("申报年度"), field_name="applied_on", lookup_expr="year", min_value=1, max_value=9999
    )

    class Meta:
        model = TitleApplication
        fields = ["kindergarten", "status", "year"]
