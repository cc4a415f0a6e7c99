"""Tables of the supervisory (external) evaluation list pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ExternalEvaluation

STATUS_BADGES = {"draft": "b-private", "submitted": "b-public", "published": "b-ok"}


class ExternalEvaluationTable(tables.Table):
    kindergarten = tables.Column(
        verbose_name=_("幼儿园"),
        linkify=lambda record: reverse("inspections:external_evaluation_detail", args=[record.pk]),
        order_by=("kindergarten__code",),
    )
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="kindergarten__subdistrict__name")
    cycle = tables.Column(verbose_name=_("评估周期"))
    team = tables.Column(verbose_name=_("评估组"))
    visit_date = tables.DateColumn(verbose_name=_("入园评估日期"), format="Y-m-d")
    status = tables.Column(verbose_name=_("状态"))
    grade = tables.Column(verbose_name=_("评估结果等级"))
    published_at = tables.DateTimeColumn(verbose_name=_("公布时间"), format="Y-m-d")

    class Meta:
        model = ExternalEvaluation
        fields = ("kindergarten", "subdistrict", "cycle", "team", "visit_date", "status", "grade", "published_at")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的督导评估。")

    def render_status(self, record, value) -> str:
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), value)

    def render_grade(self, record, value) -> str:
        return format_html('<span class="grade grade-{}">{}</span>', record.grade, value)
