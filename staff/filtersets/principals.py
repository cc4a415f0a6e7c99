"""Principals (posts annotated by `staff.selectors_development`) and the course catalogue:
one FilterSet each, for the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet
from kindergartens.models import Kindergarten, Subdistrict

from ..choices import CareerStage, TrainingLevel, TrainingMode
from ..models import Course, StaffMember


def visible_subdistricts(request):
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


def visible_kindergartens(request):
    return Kindergarten.objects.visible_to(getattr(request, "user", None))


class PrincipalFilterSet(PortalFilterSet):
    """Over principal posts annotated with ``stage`` (and ``completed`` / ``dual`` where present)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("姓名或幼儿园"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    stage = django_filters.ChoiceFilter(label=_("发展阶段"), choices=CareerStage.choices, method="filter_stage")
    behind = django_filters.BooleanFilter(label=_("学分未达标"), method="filter_behind")
    dual = django_filters.BooleanFilter(label=_("双证齐全"), method="filter_dual")

    class Meta:
        model = StaffMember
        fields = ["q", "subdistrict", "kindergarten", "stage", "behind", "dual"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value) | Q(kindergarten__name__icontains=value))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage=value)

    def filter_behind(self, queryset, name, value):
        if "completed" not in queryset.query.annotations:
            return queryset
        return queryset.filter(completed=not value)

    def filter_dual(self, queryset, name, value):
        if "dual" not in queryset.query.annotations:
            return queryset
        return queryset.filter(dual=value)


class CourseFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("课程名称或主办单位"))
    level = django_filters.ChoiceFilter(label=_("培训层级"), choices=TrainingLevel.choices)
    mode = django_filters.ChoiceFilter(label=_("培训方式"), choices=TrainingMode.choices)
    for_principals = django_filters.BooleanFilter(label=_("园长培训"))
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="starts_on", lookup_expr="year", min_value=1, max_value=9999
    )

    class Meta:
        model = Course
        fields = ["q", "level", "mode", "for_principals", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(organiser__icontains=value))
