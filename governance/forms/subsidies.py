"""A disbursement (the bureau) and an aid recipient (the director or the bureau)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for
from enrollment.models import SchoolYear

from ..choices import AidCategory
from ..models import validate_initials
from .common import DATE_WIDGET, filable_kindergartens


class DisbursementForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    month = forms.DateField(
        label=_("补助月份"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    amount = forms.DecimalField(label=_("拨付金额（元）"), min_value=0, max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("拨付日期"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = (
            kindergartens_for(user, Act.MANAGE).filter(sponsor_type="private_nonprofit").order_by("code")
        )


class AidRecipientForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    school_year = forms.IntegerField(label=_("学年（起始年份）"), min_value=2000, max_value=2100)
    initials = forms.CharField(
        label=_("幼儿姓名首字母"),
        max_length=20,
        help_text=_("只填写姓名拼音首字母，如 ZXM；不得填写姓名或身份证号。"),
    )
    category = forms.ChoiceField(label=_("资助类别"), choices=AidCategory.choices)
    amount = forms.DecimalField(label=_("资助金额（元）"), min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = filable_kindergartens(user)
        self.fields["school_year"].initial = SchoolYear.start_year_for(timezone.localdate())

    def clean_initials(self) -> str:
        value = self.cleaned_data["initials"].strip().upper()
        validate_initials(value)
        return value
