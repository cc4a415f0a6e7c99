"""Forms of self-assessments: the director's ratings form and the bureau's review."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AssessmentPoint, SelfAssessment, SelfAssessmentRating
from .common import MultipleFileField, PointRatingsForm, level_field, note_field


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
