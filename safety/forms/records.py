"""Incidents, disputes and mediations; the footage register (an entry, its decision, its
hand-over, a correction); a peak-hour post. The kindergarten field lists only what the user may
keep (the director's own; every one for the bureau)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for

from ..choices import Weekday, days_mask, mask_days
from ..models import Dispute, FootageHandover, FootageRequest, Incident, Mediation, SafetyPost
from .common import DATE_WIDGET

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def keepable_kindergartens(user):
    """The kindergartens whose safety records `user` keeps: the bureau's every one, a director's own."""
    return (kindergartens_for(user, Act.MANAGE) | kindergartens_for(user, Act.FILL)).order_by("code")


class KindergartenChoiceMixin:
    """A `kindergarten` field limited to what the user keeps; fixed (and hidden) when editing."""

    def limit_kindergarten(self, user, editing: bool) -> None:
        if editing:
            del self.fields["kindergarten"]
            return
        field = self.fields["kindergarten"]
        field.queryset = keepable_kindergartens(user)
        if field.queryset.count() == 1:
            field.initial = field.queryset.first().pk


def datetime_fields(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].widget = DATETIME_WIDGET
        form.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class IncidentForm(KindergartenChoiceMixin, forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "kindergarten",
            "occurred_at",
            "place",
            "child_initials",
            "child_age",
            "severity",
            "what_happened",
            "treatment",
            "insurance_claimed",
            "insurance_status",
            "status",
            "resolved_on",
            "outcome",
        ]
        widgets = {
            "resolved_on": DATE_WIDGET,
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "treatment": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "child_initials": forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
            "child_age": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 7}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kindergarten(user, editing=self.instance.pk is not None)
        datetime_fields(self, "occurred_at")


class DisputeForm(KindergartenChoiceMixin, forms.ModelForm):
    class Meta:
        model = Dispute
        fields = [
            "kindergarten",
            "raised_on",
            "subject",
            "parties",
            "description",
            "incident",
            "status",
            "resolved_on",
            "outcome",
        ]
        widgets = {
            "raised_on": DATE_WIDGET,
            "resolved_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kindergarten(user, editing=self.instance.pk is not None)
        incidents = Incident.objects.restrict(user, "change").select_related("kindergarten")
        if self.instance.pk:
            incidents = incidents.filter(kindergarten=self.instance.kindergarten_id)
        self.fields["incident"].queryset = incidents


class MediationForm(forms.ModelForm):
    class Meta:
        model = Mediation
        fields = ["held_on", "mediator", "agreed"]
        widgets = {"held_on": DATE_WIDGET, "agreed": forms.Textarea(attrs={"rows": 3})}


class FootageRequestForm(KindergartenChoiceMixin, forms.ModelForm):
    class Meta:
        model = FootageRequest
        fields = [
            "kindergarten",
            "access",
            "requester_name",
            "requester_org",
            "purpose",
            "cameras",
            "period_from",
            "period_to",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kindergarten(user, editing=editing or self.instance.pk is not None)
        datetime_fields(self, "period_from", "period_to")


class FootageCorrectionForm(FootageRequestForm):
    correction_reason = forms.CharField(label=_("更正原因"), max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, editing=True, **kwargs)


class FootageDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"), choices=[("approve", _("批准")), ("refuse", _("不予批准"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("不予批准时必填")
    )


class FootageHandoverForm(forms.ModelForm):
    class Meta:
        model = FootageHandover
        fields = ["copied", "handed_to", "handed_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        datetime_fields(self, "handed_at")


class SafetyPostForm(KindergartenChoiceMixin, forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("值守日"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SafetyPost
        fields = ["kindergarten", "kind", "weekdays", "start_time", "end_time", "people", "note", "active"]
        widgets = {"start_time": TIME_WIDGET, "end_time": TIME_WIDGET}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kindergarten(user, editing=self.instance.pk is not None)
        self.fields["weekdays"].initial = mask_days(self.instance.days) if self.instance.days else list(range(5))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weekdays"):
            self.instance.days = days_mask(cleaned["weekdays"])
        return cleaned

    def post_fields(self) -> dict:
        """What the services take: the days as a mask."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("kindergarten", "weekdays")}
        data["days"] = days_mask(self.cleaned_data["weekdays"])
        return data
