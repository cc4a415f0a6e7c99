"""Checklist templates and items (the bureau), starting a check, and filling one in item by item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import kindergartens_for

from ..choices import CheckOutcome
from ..models import ChecklistItem, ChecklistTemplate, ChecklistVersion, CheckResult, SafetyCheck
from ..services.checks import CHECK_ACTION
from .common import DATE_WIDGET, PhotosField


class ChecklistTemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "frequency", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChecklistItemForm(forms.ModelForm):
    order = forms.IntegerField(label=_("顺序"), required=False, min_value=0, help_text=_("留空则排在最后"))

    class Meta:
        model = ChecklistItem
        fields = ["category", "text", "severity", "order"]
        widgets = {"text": forms.TextInput(attrs={"maxlength": 300})}


class CheckStartForm(forms.ModelForm):
    """The heading of a new check: which kindergarten, which checklist, when and by whom."""

    version = forms.ModelChoiceField(label=_("检查表"), queryset=ChecklistVersion.objects.none())

    class Meta:
        model = SafetyCheck
        fields = ["kindergarten", "version", "checked_on", "team"]
        widgets = {"checked_on": DATE_WIDGET}

    def __init__(self, *args, user, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergarten"].queryset = kindergartens_for(user, CHECK_ACTION[kind]).order_by("code")
        versions = ChecklistVersion.objects.in_force().select_related("template").order_by("template__name")
        self.fields["version"].queryset = versions
        only = list(versions[:2])
        if len(only) == 1:  # one checklist in force: nothing to choose on a phone
            self.fields["version"].initial = only[0].pk
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.template.name}（{v.template.get_frequency_display()}）"
        )


class CheckFillForm(forms.Form):
    """The check's heading, and per item its outcome, note and photos (`outcome-<item>`, `note-<item>`,
    `photos-<item>`); outcomes may stay empty in a draft, the service refuses to submit them so."""

    checked_on = forms.DateField(label=_("检查日期"), widget=DATE_WIDGET)
    team = forms.CharField(label=_("检查人员"), max_length=200, required=False)
    findings = forms.CharField(label=_("总体意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("现场照片"))

    def __init__(self, *args, results: list[CheckResult], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results = results
        for result in results:
            pk = result.item_id
            self.fields[f"outcome-{pk}"] = forms.ChoiceField(
                label=result.item.text,
                choices=CheckOutcome.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=result.outcome,
            )
            self.fields[f"note-{pk}"] = forms.CharField(
                label=_("情况记录"), max_length=300, required=False, initial=result.note
            )
            self.fields[f"photos-{pk}"] = PhotosField(label=_("拍照"))

    def rows(self):
        """(result, outcome field, note field, photos field) per result, for the template."""
        for result in self.results:
            pk = result.item_id
            yield result, self[f"outcome-{pk}"], self[f"note-{pk}"], self[f"photos-{pk}"]

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {r.item_id: (data[f"outcome-{r.item_id}"], data[f"note-{r.item_id}"]) for r in self.results}

    def item_photos(self) -> dict[int, list]:
        data = self.cleaned_data
        return {r.item_id: data[f"photos-{r.item_id}"] for r in self.results if data[f"photos-{r.item_id}"]}
