"""Forms of the three-year cycle: a cycle and one kindergarten's year in it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import FrameworkStatus
from ..models import CycleAssignment, EvaluationCycle, FrameworkVersion
from .common import DATE_WIDGET


class EvaluationCycleForm(forms.ModelForm):
    class Meta:
        model = EvaluationCycle
        fields = ["name", "start_year", "framework_version", "due_month", "due_day"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED)
        if self.instance.pk:
            self.fields["start_year"].disabled = True
            self.fields["start_year"].help_text = _("周期创建后起始年份不能修改")


class CycleAssignmentForm(forms.ModelForm):
    class Meta:
        model = CycleAssignment
        fields = ["planned_year", "self_assessment_due", "note"]
        widgets = {"self_assessment_due": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = self.instance.cycle.years
        self.fields["planned_year"] = forms.TypedChoiceField(
            label=_("评估年度"), choices=[(y, _("%(year)s 年") % {"year": y}) for y in years], coerce=int
        )
        self.fields["self_assessment_due"].required = False
        self.fields["self_assessment_due"].help_text = _("留空则按本周期的规则取该年度的截止日期")
