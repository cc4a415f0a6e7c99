"""FilterSets for the reports app, serving the pages, the exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from common.filters import PortalFilterSet
from kindergartens.models import Subdistrict

from . import registry
from .choices import RunStatus, ScopeType, ScorecardStatus, WarningKind
from .follow_up import FollowUpStatus
from .follow_up_services import owner_choices, with_follow_up
from .models import ComputationRun, EarlyWarning, IndicatorSnapshot, Scorecard, SeatForecast


def _visible_subdistricts(request) -> QuerySet[Subdistrict]:
    return Subdistrict.objects.visible_to(getattr(request, "user", None))


class EarlyWarningFilterSet(PortalFilterSet):
    date = django_filters.DateFilter(label=_("统计日期"), help_text=_("如 2025-11-28"))
    kind = django_filters.ChoiceFilter(label=_("预警类型"), choices=WarningKind.choices)
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=_visible_subdistricts)
    year = django_filters.NumberFilter(label=_("年份"))
    shortfall_min = django_filters.NumberFilter(label=_("缺口不少于"), field_name="shortfall", lookup_expr="gte")
    status = django_filters.ChoiceFilter(label=_("跟进状态"), choices=FollowUpStatus.choices, method="filter_status")
    # A user id; typed for the schema, which must not evaluate the owners (a query) to describe it.
    owner = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            label=_("负责人"), queryset=lambda request: owner_choices(), method="filter_owner"
        )
    )

    class Meta:
        model = EarlyWarning
        fields = ["date", "kind", "subdistrict", "year", "shortfall_min", "status", "owner"]

    # The follow-up lives in its own model (it survives recomputation): filter on its annotation.
    def filter_status(self, queryset, name, value):
        if "follow_up_status" not in queryset.query.annotations:
            queryset = with_follow_up(queryset)
        return queryset.filter(follow_up_status=value)

    def filter_owner(self, queryset, name, value):
        if "follow_up_owner" not in queryset.query.annotations:
            queryset = with_follow_up(queryset)
        return queryset.filter(follow_up_owner=value.pk)


LATEST = "latest"


class DateOrLatestField(forms.DateField):
    """A date, or the word "latest" for the most recent date among the matching rows."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip().lower() == LATEST:
            return LATEST
        return super().to_python(value)


class DateOrLatestFilter(django_filters.Filter):
    """`?date=2025-10-01` or `?date=latest`; "latest" is applied by `LatestDateFilterSet` last."""

    field_class = DateOrLatestField

    def filter(self, qs, value):
        if value in (None, "", LATEST):
            return qs
        return qs.filter(**{self.field_name: value})


class LatestDateFilterSet(PortalFilterSet):
    """Resolves `date=latest` after every other filter, so it means "the latest date of these rows"."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("date") == LATEST:
            latest = queryset.aggregate(latest=Max("date"))["latest"]
            queryset = queryset.filter(date=latest) if latest else queryset.none()
        return queryset


class IndicatorSnapshotFilterSet(LatestDateFilterSet):
    date = DateOrLatestFilter(
        label=_("统计日期"),
        help_text=_("如 2025-10-01，或 latest 表示最近一次；不给任何日期条件时只列最近一次"),
    )
    date_after = django_filters.DateFilter(label=_("统计日期不早于"), field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(label=_("统计日期不晚于"), field_name="date", lookup_expr="lte")
    scope_type = django_filters.ChoiceFilter(label=_("范围类型"), choices=ScopeType.choices)
    scope_key = django_filters.CharFilter(label=_("范围"), help_text=_("district、街道统计代码或举办者类型代码"))
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=_visible_subdistricts)
    # Read at each use: the codes are those the installed apps declare (reports.registry). A column
    # IN (…) cannot repeat a row: without distinct=False the API's "latest date" became a MAX over a
    # DISTINCT of every matching row of every date (0.3 s at 2.7 million snapshots).
    indicator = django_filters.MultipleChoiceFilter(label=_("指标"), choices=registry.CHOICES, distinct=False)
    met = django_filters.BooleanFilter(label=_("是否达标"))

    class Meta:
        model = IndicatorSnapshot
        fields = ["date", "date_after", "date_before", "scope_type", "scope_key", "subdistrict", "indicator", "met"]


class SeatForecastFilterSet(LatestDateFilterSet):
    date = DateOrLatestFilter(label=_("统计日期"), help_text=_("如 2025-10-01，或 latest 表示最近一次"))
    subdistrict = django_filters.ModelChoiceFilter(label=_("街道/地区"), queryset=_visible_subdistricts)
    year = django_filters.NumberFilter(label=_("预测年份"))
    short = django_filters.BooleanFilter(label=_("存在缺口"), method="filter_short")

    class Meta:
        model = SeatForecast
        fields = ["date", "subdistrict", "year", "short"]

    def filter_short(self, queryset, name, value):
        return queryset.filter(shortfall__gt=0) if value else queryset.filter(shortfall__lte=0)


class ComputationRunFilterSet(PortalFilterSet):
    date = django_filters.DateFilter(label=_("统计日期"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RunStatus.choices)

    class Meta:
        model = ComputationRun
        fields = ["date", "status"]


class ScorecardFilterSet(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("学年"))
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), queryset=lambda request: Subdistrict.objects.visible_to(getattr(request, "user", None))
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ScorecardStatus.choices)

    class Meta:
        model = Scorecard
        fields = ["year", "subdistrict", "status"]
