"""The safety profile (in sections) and a drill."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import CoveredArea
from ..models import Drill, SafetyProfile
from .common import DATE_WIDGET

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
