"""Forms of the quality-evaluation pages. They collect input; the services decide and write."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chaoyang_preschool.spreadsheets import SpreadsheetUploadForm

from ..choices import FrameworkStatus
from ..models import (
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    RatingLevel,
    RatingScale,
    SelfAssessment,
    SelfAssessmentRating,
)
from ..services import RatingInput
from ..uploads import ACCEPT_ATTRIBUTE, check_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class EvaluationCycleForm(forms.ModelForm):
    class Meta:
        model = EvaluationCycle
        fields = ["name", "start_year", "framework_version", "due_month", "due_day"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED)
        if self.instance.pk:
            self.fields["start_year"].disabled = True
            self.fields["start_year"].help_text = _("周期创建后起始年份不能修改")


class CycleAssignmentForm(forms.ModelForm):
    class Meta:
        model = CycleAssignment
        fields = ["planned_year", "self_assessment_due", "note"]
        widgets = {"self_assessment_due": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = self.instance.cycle.years
        self.fields["planned_year"] = forms.TypedChoiceField(
            label=_("评估年度"), choices=[(y, _("%(year)s 年") % {"year": y}) for y in years], coerce=int
        )
        self.fields["self_assessment_due"].required = False
        self.fields["self_assessment_due"].help_text = _("留空则按本周期的规则取该年度的截止日期")


class ReviewForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(ACCEPT, _("通过")), (RETURN, _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回时必填，请写明需要修改的考查要点和原因"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("退回时须填写审核意见，说明需要修改的地方。"))
        return cleaned


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `uploads.check_upload`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors: list[ValidationError] = []
        for file in cleaned:
            try:
                check_upload(file)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned


def level_field(point_id: int) -> str:
    return f"level_{point_id}"


def note_field(point_id: int) -> str:
    return f"note_{point_id}"


def files_field(point_id: int) -> str:
    return f"files_{point_id}"


class PointRatingsForm(forms.Form):
    """Per framework point a rating of its scale (radio buttons), a note and files, plus files
    for the record as a whole. Subclasses name the note and say where the initial values are."""

    note_key = staticmethod(note_field)
    note_label = _("佐证说明")
    note_max_length = 1000
    files_label = _("上传佐证材料")
    rating_input: type = RatingInput

    def __init__(self, *args, points: Iterable[AssessmentPoint], initial: dict, **kwargs) -> None:
        self.points = list(points)
        super().__init__(*args, initial=initial, **kwargs)
        levels: dict[int, list[tuple[int, str]]] = {}
        for level in RatingLevel.objects.filter(scale__in={p.rating_scale_id for p in self.points}).order_by("value"):
            levels.setdefault(level.scale_id, []).append((level.pk, f"{level.value} · {level.label}"))
        for point in self.points:
            self.fields[level_field(point.pk)] = forms.TypedChoiceField(
                label=_("评分"),
                choices=levels.get(point.rating_scale_id, []),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.note_key(point.pk)] = forms.CharField(
                label=self.note_label,
                required=False,
                max_length=self.note_max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[files_field(point.pk)] = MultipleFileField(label=self.files_label)

    def rating_inputs(self) -> dict:
        return {
            point.pk: self.rating_input(
                self.cleaned_data.get(level_field(point.pk)), self.cleaned_data.get(self.note_key(point.pk)) or ""
            )
            for point in self.points
        }

    def uploads(self) -> list[tuple[AssessmentPoint | None, object]]:
        found = [(None, f) for f in self.cleaned_data.get("general_files") or []]
        for point in self.points:
            found += [(point, f) for f in self.cleaned_data.get(files_field(point.pk)) or []]
        return found

    def add_point_error(self, point_id: int, message: str) -> None:
        self.add_error(level_field(point_id), message)

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's refusal on the form: `point_<id>` under that point's rating, a field's
        name under the field, anything else at the top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            point_id = key.removeprefix("point_")
            if point_id.isdecimal():
                self.add_error(level_field(int(point_id)), errors)
            else:
                self.add_error(key if key in self.fields else None, errors)


class SelfAssessmentForm(PointRatingsForm):
    """The director's form: per point a rating, an evidence note and files."""

    summary = forms.CharField(
        label=_("自评总结"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("本园保育教育质量的总体情况、主要优势和需要改进之处"),
    )
    general_files = MultipleFileField(
        label=_("其他佐证材料"), help_text=_("照片（JPG、PNG）、PDF 或 Office 文档（DOCX、XLSX、PPTX）")
    )

    def __init__(self, *args, assessment: SelfAssessment, points: Iterable[AssessmentPoint], **kwargs) -> None:
        initial = {"summary": assessment.summary}
        for rating in SelfAssessmentRating.objects.filter(assessment=assessment):
            initial[level_field(rating.point_id)] = rating.level_id
            initial[note_field(rating.point_id)] = rating.evidence_note
        super().__init__(*args, points=points, initial=initial, **kwargs)
