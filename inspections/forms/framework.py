"""Forms of the handbook: copying a version, its details, a point, importing points from Excel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.spreadsheets import SpreadsheetUploadForm

from ..models import AssessmentPoint, FrameworkVersion, KeyIndicator, RatingScale


class FrameworkCopyForm(forms.Form):
    name = forms.CharField(
        label=_("新版本名称"),
        max_length=200,
        initial=_("朝阳区幼儿园保育教育质量评估手册"),
        help_text=_("复制后为草稿，可修改考查要点，发布后成为新的版本"),
    )


class FrameworkVersionForm(forms.ModelForm):
    class Meta:
        model = FrameworkVersion
        fields = ["name", "source", "description", "rating_scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AssessmentPointForm(forms.ModelForm):
    class Meta:
        model = AssessmentPoint
        fields = ["key_indicator", "text", "guidance", "evidence_expected", "origin", "source", "rating_scale"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "evidence_expected": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, version: FrameworkVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_indicator"].queryset = KeyIndicator.objects.filter(
            area__framework_version=version
        ).select_related("area")
        self.fields["key_indicator"].label_from_instance = lambda k: f"{k.area.name} › {k.order}. {k.name}"
        self.fields["rating_scale"].queryset = RatingScale.objects.all()
        if not self.instance.pk:
            self.fields["rating_scale"].initial = version.rating_scale_id


class PointsImportForm(SpreadsheetUploadForm):
    replace = forms.BooleanField(
        label=_("替换草稿中现有的全部考查要点"),
        required=False,
        help_text=_("不勾选则追加到现有要点之后"),
    )
