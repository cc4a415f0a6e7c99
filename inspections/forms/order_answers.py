"""Forms of the answer loop of a rectification order: the director's report, the decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.files import ACCEPT_ATTRIBUTE

from .common import MultipleFileField, MultipleFileInput


class OrderAnswerForm(forms.Form):
    report = forms.CharField(
        label=_("整改报告"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明针对检查发现采取了哪些整改措施、结果如何"),
    )
    # On a phone the camera offers itself, so a director can photograph the rectified spot.
    files = MultipleFileField(
        label=_("佐证材料"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE, "capture": "environment"}),
        help_text=_("照片（JPG、PNG）、PDF 或 Office 文档，可多选"),
    )


class AcceptAnswerForm(forms.Form):
    """Nothing to fill in: the button is the decision."""


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
