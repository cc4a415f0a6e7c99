"""The table of a cycle's plan of kindergartens."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import CycleAssignment


class CycleAssignmentTable(tables.Table):
    kindergarten = tables.Column(
        verbose_name=_("幼儿园"), linkify=lambda record: record.kindergarten.get_absolute_url()
    )
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="kindergarten__subdistrict__name")
    planned_year = tables.Column(verbose_name=_("评估年度"))
    self_assessment_due = tables.DateColumn(verbose_name=_("自评截止日期"), format="Y-m-d")
    progress = tables.Column(verbose_name=_("进度"), empty_values=(), orderable=False)
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = CycleAssignment
        fields = ("kindergarten", "subdistrict", "planned_year", "self_assessment_due", "progress", "note", "actions")
        attrs = {"class": "table"}
        empty_text = _("该周期尚未安排幼儿园。")

    def __init__(self, *args, can_edit: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_progress(self, record) -> str:
        badges = []
        if record.evaluated:
            badges.append(format_html('<span class="badge b-ok">{}</span>', _("已完成评估")))
        elif record.overdue:
            badges.append(format_html('<span class="badge b-danger">{}</span>', _("逾期未评估")))
        if record.self_assessment_submitted:
            badges.append(format_html('<span class="badge">{}</span>', _("已提交自评")))
        elif record.self_assessment_overdue:
            badges.append(format_html('<span class="badge b-danger">{}</span>', _("自评逾期")))
        return format_html_join(" ", "{}", ((badge,) for badge in badges)) if badges else "—"

    def render_actions(self, record) -> str:
        if not self.can_edit:
            return ""
        url = reverse("inspections:assignment_edit", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, _("调整年度"))
