"""The table of the self-assessment list page."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import SelfAssessment


class SelfAssessmentTable(tables.Table):
    kindergarten = tables.Column(verbose_name=_("幼儿园"), linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="kindergarten__subdistrict__name")
    cycle = tables.Column(verbose_name=_("评估周期"))
    version = tables.Column(verbose_name=_("版本"))
    status = tables.Column(verbose_name=_("状态"))
    due_date = tables.DateColumn(verbose_name=_("截止日期"), format="Y-m-d")
    submitted_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i")

    class Meta:
        model = SelfAssessment
        fields = ("kindergarten", "subdistrict", "cycle", "version", "status", "due_date", "submitted_at")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的自评。")

    def render_status(self, record, value) -> str:
        css = {"accepted": "b-ok", "returned": "b-danger", "submitted": "b-public"}.get(record.status, "")
        overdue = format_html(' <span class="badge b-danger">{}</span>', _("已逾期")) if record.is_overdue else ""
        return format_html('<span class="badge {}">{}</span>{}', css, value, overdue)
