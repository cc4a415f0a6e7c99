"""The FilterSet of published evaluation results (the API's `/api/evaluation-results/`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import PortalFilterSet
from kindergartens.choices import Ownership

from ..choices import ResultGrade
from ..models import EvaluationCycle, ExternalEvaluation
from .common import visible_kindergartens, visible_subdistricts


class EvaluationResultFilterSet(PortalFilterSet):
    cycle = django_filters.ModelChoiceFilter(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("街道/地区"), field_name="kindergarten__subdistrict", queryset=visible_subdistricts
    )
    kindergarten = django_filters.ModelChoiceFilter(label=_("幼儿园"), queryset=visible_kindergartens)
    grade = django_filters.ChoiceFilter(label=_("评估结果等级"), choices=ResultGrade.choices)
    ownership = django_filters.ChoiceFilter(
        label=_("办园性质"), choices=Ownership.choices, field_name="result_ownership"
    )

    class Meta:
        model = ExternalEvaluation
        fields = ["cycle", "subdistrict", "kindergarten", "grade", "ownership"]
