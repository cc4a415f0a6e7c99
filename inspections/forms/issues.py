"""Forms of the issue-list pages. They collect input; `services.issues` decides and writes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for
from kindergartens.models import Kindergarten

from ..choices import FrameworkStatus, IssueSource
from ..models import AssessmentPoint, EvaluationCycle
from ..services.issues import (
    DEFAULT_DEADLINE_DAYS,
    REASON_MAX_LENGTH,
    IssueInput,
    SourcePoint,
    deadline_key,
    default_description,
    description_key,
)
from .common import DATE_WIDGET, MultipleFileField


def select_key(point_id: int) -> str:
    return f"select_{point_id}"


def default_deadline() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS)


class IssuesFromSourceForm(forms.Form):
    """Per point of the evaluation: a tick, a description and a deadline. Points that already
    have an issue from this evaluation are shown but not offered again."""

    def __init__(self, *args, rows: list[SourcePoint], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        deadline = default_deadline()
        for row in rows:
            if row.existing is not None:
                continue
            pk = row.point.pk
            # The table's column headers label the fields for the eye; screen readers get the point.
            point = _("考查要点 %(number)s") % {"number": row.point.number}
            self.fields[select_key(pk)] = forms.BooleanField(
                label=_("列入问题清单"),
                required=False,
                initial=row.preselected,
                widget=forms.CheckboxInput(attrs={"aria-label": f"{_('列入问题清单')} · {point}"}),
            )
            self.fields[description_key(pk)] = forms.CharField(
                label=_("问题描述"),
                required=False,
                max_length=2000,
                initial=default_description(row),
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": f"{_('问题描述')} · {point}"}),
            )
            self.fields[deadline_key(pk)] = forms.DateField(
                label=_("整改期限"),
                required=False,
                initial=deadline,
                widget=forms.DateInput(
                    attrs={**DATE_WIDGET.attrs, "aria-label": f"{_('整改期限')} · {point}"}, format="%Y-%m-%d"
                ),
            )

    def bound_rows(self) -> list[dict]:
        """The rows with their bound fields, for the template."""
        found = []
        for row in self.rows:
            item = {"row": row}
            if row.existing is None:
                pk = row.point.pk
                item.update(
                    select=self[select_key(pk)], description=self[description_key(pk)], deadline=self[deadline_key(pk)]
                )
            found.append(item)
        return found

    def issue_inputs(self) -> list[IssueInput]:
        """The ticked rows; the service checks each (description and deadline required)."""
        data = self.cleaned_data
        return [
            IssueInput(
                point_id=row.point.pk,
                description=data.get(description_key(row.point.pk)) or "",
                deadline=data.get(deadline_key(row.point.pk)),
            )
            for row in self.rows
            if row.existing is None and data.get(select_key(row.point.pk))
        ]


def _kindergarten_label(kindergarten: Kindergarten) -> str:
    return f"{kindergarten.name}（{kindergarten.code}）"


def _point_label(point: AssessmentPoint) -> str:
    indicator = point.key_indicator
    return (
        f"{_('第 %(v)s 版') % {'v': indicator.area.framework_version.version}} · "
        f"{indicator.area.name} › {indicator.name} › {point}"
    )


class IssueForm(forms.Form):
    """One issue added by hand."""

    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=Kindergarten.objects.none())
    cycle = forms.ModelChoiceField(label=_("评估周期"), queryset=EvaluationCycle.objects.all())
    point = forms.ModelChoiceField(
        label=_("考查要点"), queryset=AssessmentPoint.objects.none(), help_text=_("须属于该周期的评估手册版本")
    )
    source = forms.ChoiceField(label=_("来源"), choices=IssueSource.choices)
    description = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE_WIDGET, initial=default_deadline)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kindergarten"]
        field.queryset = kindergartens_for(user, Act.EVALUATE).order_by("code")
        field.label_from_instance = _kindergarten_label
        versions = EvaluationCycle.objects.values("framework_version")
        points = self.fields["point"]
        points.queryset = (
            AssessmentPoint.objects.filter(
                key_indicator__area__framework_version__in=versions,
                key_indicator__area__framework_version__status=FrameworkStatus.PUBLISHED,
            )
            .select_related("key_indicator__area__framework_version")
            .order_by(
                "-key_indicator__area__framework_version__version",
                "key_indicator__area__order",
                "key_indicator__order",
                "order",
                "pk",
            )
        )
        points.label_from_instance = _point_label


class IssueEditForm(forms.Form):
    """Corrects an issue: its description and deadline; a moved deadline needs a reason."""

    description = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("调整原因"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("调整整改期限时必填"),
    )


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("整改成效说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明采取的措施和取得的成效"),
    )
    files = MultipleFileField(
        label=_("佐证材料"), help_text=_("照片（JPG、PNG）、PDF 或 Office 文档（DOCX、XLSX、PPTX），可多选")
    )


class VerifyForm(forms.Form):
    VERIFY, SEND_BACK = "verify", "send_back"
    decision = forms.ChoiceField(
        label=_("验证结论"),
        choices=[(VERIFY, _("验证通过")), (SEND_BACK, _("退回重新整改"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("验证意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填，写明还需整改的地方"),
    )
