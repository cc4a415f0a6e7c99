"""A disbursement (the bureau), an aid recipient (the director or the bureau), new places approved
(the bureau) and rented premises (the director or the bureau)."""

from __future__ import annotations

from decimal import Decimal

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


class NewPlaceForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE_WIDGET)
    places = forms.IntegerField(label=_("新增学位数"), min_value=1, max_value=10000)
    reference = forms.CharField(label=_("批准文号"), required=False, max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = (
            kindergartens_for(user, Act.MANAGE).filter(sponsor_type="private_nonprofit").order_by("code")
        )


class RentedPremisesForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    area_m2 = forms.DecimalField(
        label=_("租赁面积（平方米）"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    rent_from = forms.DateField(label=_("租期起始"), widget=DATE_WIDGET)
    rent_to = forms.DateField(label=_("租期截止"), widget=DATE_WIDGET, help_text=_("含当日"))
    lessor = forms.CharField(label=_("出租方"), required=False, max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = filable_kindergartens(user).filter(sponsor_type="private_nonprofit")

    def clean(self):
        data = super().clean()
        if data.get("rent_from") and data.get("rent_to") and data["rent_to"] < data["rent_from"]:
            self.add_error("rent_to", _("租期截止不能早于租期起始。"))
        return data
