"""Supervision: an interview, a public notice, and the link to a rectification order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.files import check_upload

from ..models import SupervisionInterview, SupervisionNotice, SupervisionOrder
from ..services import rectification_choices
from .common import DATE_WIDGET, PHOTO_ACCEPT

ATTACHMENT_ACCEPT = PHOTO_ACCEPT + ",.docx,.xlsx,.pptx"


class AttachmentField(forms.FileField):
    """One optional file (minutes, a scanned notice), checked by `common.files.check_upload`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault("help_text", _("可选：照片、PDF 或 Office 文件"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file:
            check_upload(file)
        return file


class InterviewForm(forms.ModelForm):
    attachment = AttachmentField()

    class Meta:
        model = SupervisionInterview
        fields = ["held_on", "interviewer", "party", "attendees", "summary"]
        widgets = {"held_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"attendees": _("例如：园长 张某，举办者代表 李某")}


class NoticeForm(forms.ModelForm):
    attachment = AttachmentField()

    class Meta:
        model = SupervisionNotice
        fields = ["issued_on", "issuer", "party", "audience", "text"]
        widgets = {"issued_on": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 5})}


class RectificationLinkForm(forms.Form):
    """The enforcement rectification order this supervision refers to: only the kindergarten's own,
    and only those the user may see."""

    rectification_order = forms.ModelChoiceField(
        label=_("整改通知"), queryset=None, required=False, empty_label=_("（不关联）")
    )

    def __init__(self, *args, order: SupervisionOrder, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rectification_order"]
        field.queryset = rectification_choices(order, user).order_by("-issued_on", "pk")
        field.label_from_instance = lambda o: (
            f"{o.issued_on:%Y-%m-%d} · {o.get_reason_display()} · {o.get_status_display()}"
        )
