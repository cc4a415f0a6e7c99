"""The bureau's forms on an estate kindergarten's page: move the stage, open a gap, resolve one.
Each form only collects values; `kindergartens.estates` validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EstateGapKind, EstateOwner, EstateStage

DATE = forms.DateInput(attrs={"type": "date"})


class StageMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("进入阶段"), choices=EstateStage.choices)
    date = forms.DateField(label=_("进入日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class GapOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("不到位类型"), choices=EstateGapKind.choices)
    since = forms.DateField(label=_("起始日期"), widget=DATE)
    owner = forms.ChoiceField(label=_("责任主体"), choices=EstateOwner.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class GapResolveForm(forms.Form):
    gap = forms.IntegerField(widget=forms.HiddenInput)
    resolved_on = forms.DateField(label=_("解决日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
