"""Forms of the safety pages: the profile (in sections), a drill, a hazard and its steps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for
from common.files import check_upload

from .choices import CoveredArea
from .models import Drill, Hazard, SafetyProfile

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_ACCEPT = "image/jpeg,image/png,.jpg,.jpeg,.png,.pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (the phone's camera offers itself); each checked by `common.files`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(PhotosField, self).clean(f, initial) for f in files]
        errors = []
        for file in cleaned:
            try:
                check_upload(file)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned


SECTIONS = (
    (
        _("人防"),
        (
            "staff_count",
            "safety_manager",
            "safety_manager_phone",
            "full_time_safety_managers",
            "guards_full_time",
            "guards_part_time",
            "guard_company",
            "guard_company_licensed",
            "guard_certificates",
            "guard_certificates_expiry",
            "carers_per_class",
        ),
    ),
    (_("一键式报警"), ("alarm_installed", "alarm_linked", "alarm_last_tested")),
    (_("视频监控"), ("cameras", "video_areas", "video_blind_spots", "video_retention_days", "video_linked")),
    (
        _("入侵报警、门禁与封闭管理"),
        (
            "intrusion_alarm_installed",
            "intrusion_log_days",
            "access_control_installed",
            "access_log_days",
            "closed_campus",
        ),
    ),
)


class SafetyProfileForm(forms.ModelForm):
    video_areas = forms.MultipleChoiceField(
        label=_("监控覆盖区域"), choices=CoveredArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SafetyProfile
        fields = [name for _title, names in SECTIONS for name in names]
        widgets = {
            "guard_certificates_expiry": DATE_WIDGET,
            "alarm_last_tested": DATE_WIDGET,
            "guard_certificates": forms.Textarea(attrs={"rows": 3}),
            "video_blind_spots": forms.Textarea(attrs={"rows": 2}),
        }

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]


class DrillForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["held_on", "kind", "participants", "note"]
        widgets = {"held_on": DATE_WIDGET}


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
