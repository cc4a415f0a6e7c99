"""A hazard and the steps of its loop."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for

from ..models import Hazard
from .common import DATE_WIDGET, PhotosField


class HazardForm(forms.ModelForm):
    photos = PhotosField(label=_("隐患照片"))

    class Meta:
        model = Hazard
        fields = ["kindergarten", "category", "severity", "description", "location", "found_on", "owner"]
        widgets = {"found_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"found_on": _("整改期限按隐患等级和生效的安全规则自动计算。")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = kindergartens_for(user, Act.ENFORCE).order_by("code")
        self.fields["found_on"].required = False


class HazardStepForm(forms.Form):
    """The note (and, for a submission, the photos) of one step of the loop."""

    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("整改后照片"))
