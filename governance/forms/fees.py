"""Fee filings, the registered account, the yearly summary and an alert's resolution."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import SchoolYear

from ..choices import FeeItemKind, KindergartenGrade
from ..models import FinancialSummary, RegisteredAccount
from .common import DATE_WIDGET, filable_kindergartens

ITEM_LABELS = {
    FeeItemKind.CARE_EDUCATION: _("保育教育费（元/月）"),
    FeeItemKind.BOARDING: _("住宿费（元/月）"),
    FeeItemKind.MEALS: _("伙食费（元/月）"),
    FeeItemKind.OTHER: _("其他收费（元/月）"),
}


def _money(label, required: bool = False) -> forms.DecimalField:
    field = forms.DecimalField(label=label, required=required, min_value=0, max_digits=10, decimal_places=2)
    field.widget.attrs["inputmode"] = "decimal"
    return field


class FeeFilingForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    school_year = forms.IntegerField(label=_("学年（起始年份）"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=_("办园等级"), choices=KindergartenGrade.choices)
    care_education = _money(ITEM_LABELS[FeeItemKind.CARE_EDUCATION], required=True)
    boarding = _money(ITEM_LABELS[FeeItemKind.BOARDING])
    meals = _money(ITEM_LABELS[FeeItemKind.MEALS])
    other = _money(ITEM_LABELS[FeeItemKind.OTHER])
    other_description = forms.CharField(label=_("其他收费内容"), required=False, max_length=100)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = filable_kindergartens(user)
        self.fields["school_year"].initial = SchoolYear.start_year_for(timezone.localdate())

    def amounts(self) -> dict:
        return {kind: self.cleaned_data.get(kind) for kind in FeeItemKind.values}


class RegisteredAccountForm(forms.ModelForm):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)

    class Meta:
        model = RegisteredAccount
        fields = ["kindergarten", "bank", "account_name", "account_number", "registered_on"]
        widgets = {"registered_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = filable_kindergartens(user).filter(sponsor_type="private_nonprofit")

    def validate_unique(self) -> None:
        """Registering again replaces the account (the service does), so no uniqueness error here."""


class FinancialSummaryForm(forms.ModelForm):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)

    class Meta:
        model = FinancialSummary
        fields = ["kindergarten", "year", "income", "expenditure", "sponsor_payments", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = filable_kindergartens(user)
        self.fields["year"].initial = timezone.localdate().year - 1

    def validate_unique(self) -> None:
        """Filing a year again replaces its figures (the service does), so no uniqueness error here."""


class FeeAlertResolveForm(forms.Form):
    note = forms.CharField(label=_("处理说明"), widget=forms.Textarea(attrs={"rows": 3}))
