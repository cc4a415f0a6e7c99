"""The director's application and the bureau's steps of a recognition."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import KindergartenGrade, Opinion
from ..models import RecognitionPolicy
from ..models.rules import MONEY
from .common import DATE_WIDGET


class RecognitionApplyForm(forms.Form):
    """Conditions as a checklist (from the policy in force), the grade and the proposed fee."""

    grade = forms.ChoiceField(label=_("办园等级"), choices=KindergartenGrade.choices)
    monthly_fee = forms.DecimalField(
        label=_("拟收保育教育费（元/月）"), min_value=0, max_digits=MONEY["max_digits"], decimal_places=2
    )
    conditions_met = forms.MultipleChoiceField(
        label=_("已具备的认定条件"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}),
        help_text=_("逐项确认本园已具备的条件；全部具备方可认定。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        policy = RecognitionPolicy.objects.for_day(timezone.localdate())
        conditions = policy.conditions if policy else []
        self.fields["conditions_met"].choices = [(c, c) for c in conditions]
        self.fields["monthly_fee"].widget.attrs["inputmode"] = "decimal"


class RecognitionStepForm(forms.Form):
    """The bureau's steps: the sub-district's opinion, a decision, a review, a renewal or a revocation."""

    opinion = forms.ChoiceField(label=_("街道意见"), choices=Opinion.choices, required=False)
    passed = forms.TypedChoiceField(
        label=_("复核结果"),
        choices=[("true", _("通过")), ("false", _("未通过"))],
        coerce=lambda v: v == "true",
        required=False,
        empty_value=None,
    )
    day = forms.DateField(label=_("日期"), required=False, widget=DATE_WIDGET, help_text=_("留空为今天"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
