"""The FilterSet of supervisory (external) evaluations: the list page and `/api/evaluations/`."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet

from ..choices import EvaluationStatus, ResultGrade
from ..models import EvaluationCycle, EvaluationTeam, ExternalEvaluation
from .common import visible_kindergartens, visible_subdistricts


def _teams(request):
    return EvaluationTeam.objects.restrict(getattr(request, "user", None)).select_related("cycle")


class ExternalEvaluationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("幼儿园名称或编码"))
    cycle = django_filters.ModelChoiceFilter(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    team = django_filters.ModelChoiceFilter(label=_("评估组"), queryset=_teams)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EvaluationStatus.choices)
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    grade = django_filters.ChoiceFilter(label=_("评估结果等级"), choices=ResultGrade.choices)

    class Meta:
        model = ExternalEvaluation
        fields = ["q", "cycle", "team", "status", "subdistrict", "kindergarten", "grade"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(kindergarten__name__icontains=value) | Q(kindergarten__code__icontains=value))
