"""Forms of the supervisory (external) evaluation pages: teams, assignment, the visit record, review."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, holders
from kindergartens.models import Kindergarten, Subdistrict

from ..choices import ResultGrade
from ..models import AssessmentPoint, EvaluationCycle, EvaluationTeam, ExternalEvaluation, ExternalRating
from ..services.evaluations import FINDINGS_MAX, FindingInput
from .common import DATE_WIDGET, MultipleFileField, PointRatingsForm, level_field


def findings_field(point_id: int) -> str:
    return f"findings_{point_id}"


def inspectors():
    return holders(Act.RECORD).order_by("username")


class EvaluationTeamForm(forms.ModelForm):
    """Name, leader and members (users with the inspector role) of a team; the cycle when creating."""

    class Meta:
        model = EvaluationTeam
        fields = ["cycle", "name", "leader", "members", "note"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = EvaluationCycle.objects.all()
        self.fields["leader"].queryset = inspectors()
        self.fields["members"].queryset = inspectors()
        self.fields["members"].help_text = _("只能选择角色为“督学/评估专家”的用户；组长自动成为成员")
        label = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"  # noqa: E731
        self.fields["leader"].label_from_instance = label
        self.fields["members"].label_from_instance = label
        if self.instance.pk:
            self.fields["cycle"].disabled = True
            self.fields["cycle"].help_text = _("评估组建立后不能更换评估周期")


class TeamAssignFilterForm(forms.Form):
    """Narrows the kindergartens offered for assignment (GET)."""

    subdistrict = forms.ModelChoiceField(label=_("街道/地区"), queryset=Subdistrict.objects.all(), required=False)
    planned_year = forms.TypedChoiceField(label=_("评估年度"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("搜索"), required=False, help_text=_("幼儿园名称或编码"))

    def __init__(self, *args, cycle: EvaluationCycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_year"].choices = [("", "---------")] + [
            (y, _("%(year)s 年") % {"year": y}) for y in cycle.years
        ]


class TeamAssignForm(forms.Form):
    kindergartens = forms.ModelMultipleChoiceField(
        label=_("幼儿园"),
        queryset=Kindergarten.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一所幼儿园。")},
    )

    def __init__(self, *args, kindergartens, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kindergartens"].queryset = kindergartens


class ExternalEvaluationForm(PointRatingsForm):
    """The evaluators' form: per point a rating (radio buttons), findings and files."""

    visit_date = forms.DateField(label=_("入园评估日期"), required=False, widget=DATE_WIDGET)
    summary = forms.CharField(
        label=_("评估意见"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("总体评价、主要优势和需要改进之处"),
    )
    grade = forms.ChoiceField(
        label=_("建议评估结果等级"),
        required=False,
        choices=[("", "---------"), *ResultGrade.choices],
        help_text=_("由区教委审定后公布"),
    )
    general_files = MultipleFileField(
        label=_("其他评估材料"), help_text=_("照片（JPG、PNG）、PDF 或 Office 文档（DOCX、XLSX、PPTX）")
    )

    note_key = staticmethod(findings_field)
    note_label = _("评估发现")
    note_max_length = FINDINGS_MAX
    files_label = _("上传评估材料")
    rating_input = FindingInput

    def __init__(self, *args, evaluation: ExternalEvaluation, points: Iterable[AssessmentPoint], **kwargs) -> None:
        initial = {"visit_date": evaluation.visit_date, "summary": evaluation.summary, "grade": evaluation.grade}
        for rating in ExternalRating.objects.filter(evaluation=evaluation):
            initial[level_field(rating.point_id)] = rating.level_id
            initial[findings_field(rating.point_id)] = rating.findings
        super().__init__(*args, points=points, initial=initial, **kwargs)


class EvaluationReviewForm(forms.Form):
    PUBLISH, RETURN = "publish", "return"
    decision = forms.ChoiceField(
        label=_("审定结论"),
        choices=[(PUBLISH, _("审定通过并公布")), (RETURN, _("退回评估组修改"))],
        widget=forms.RadioSelect,
    )
    grade = forms.ChoiceField(
        label=_("评估结果等级"),
        required=False,
        choices=[("", "---------"), *ResultGrade.choices],
        help_text=_("公布时必填；默认为评估组的建议等级"),
    )
    comment = forms.CharField(
        label=_("审定意见"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("退回时须填写审定意见，说明需要修改的地方。"))
        if cleaned.get("decision") == self.PUBLISH and not cleaned.get("grade"):
            self.add_error("grade", _("公布前须确定评估结果等级。"))
        return cleaned
