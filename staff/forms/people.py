"""A staff member as a director enters them (person, post, certificates), and the edit forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import identity
from ..choices import CertificateKind
from ..models import Person, StaffMember
from .common import DATE_WIDGET, IdNumberInput


def _id_field(*, required: bool, label, help_text) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=IdNumberInput(), help_text=help_text)


def _clean_id(value: str) -> str:
    return identity.validate(value) if value else ""


class PersonForm(forms.ModelForm):
    """A new person: the ID number is required and entered only here."""

    id_number = _id_field(
        required=True, label=_("身份证号码"), help_text=_("18 位。只保存加密值和后四位，页面上只显示后四位。")
    )

    class Meta:
        model = Person
        fields = ["name", "id_number", "gender", "birth_date", "education", "professional_title"]
        widgets = {"birth_date": DATE_WIDGET}

    def clean_id_number(self) -> str:
        return _clean_id(self.cleaned_data["id_number"])


class PersonEditForm(PersonForm):
    id_number = _id_field(
        required=False, label=_("更正身份证号码"), help_text=_("号码有误时填写正确的号码；留空则不变。")
    )


class PostForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["role", "establishment", "full_time", "hired_on"]
        widgets = {"hired_on": DATE_WIDGET}


class PostEditForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["role", "establishment", "full_time", "hired_on", "left_on"]
        widgets = {"hired_on": DATE_WIDGET, "left_on": DATE_WIDGET}


class CertificateForm(forms.Form):
    """One certificate row; an untouched blank row is skipped."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("证书类型"), choices=[("", "—"), *CertificateKind.choices])
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE_WIDGET, required=False, help_text=_("长期有效请留空"))

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            raise ValidationError({"expires_on": _("有效期不能早于发证日期。")})
        return data


class BaseCertificateFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled rows as the services take them (``delete`` for rows marked to remove)."""
        rows = []
        for form in self.forms:
            if not form.has_changed():  # a blank extra row, or a certificate left as it was
                continue
            data = dict(form.cleaned_data)
            data["delete"] = bool(data.pop("DELETE", False))
            rows.append(data)
        return rows


CertificateFormSet = forms.formset_factory(CertificateForm, formset=BaseCertificateFormSet, extra=2)
CertificateEditFormSet = forms.formset_factory(
    CertificateForm, formset=BaseCertificateFormSet, extra=1, can_delete=True
)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"), max_length=200, help_text=_("查看完整身份证号码会被记录：查看人、时间、人员和事由。")
    )
