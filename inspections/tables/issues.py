"""Tables of the issue-list pages."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..choices import IssueStatus
from ..models import QualityIssue
from .common import DATE

STATUS_CSS = {IssueStatus.VERIFIED: "b-ok", IssueStatus.REPORTED: "b-public"}


def issue_status_badge(issue: QualityIssue) -> str:
    css = STATUS_CSS.get(issue.status, "")
    overdue = format_html(' <span class="badge b-danger">{}</span>', _("已逾期")) if issue.is_overdue else ""
    return format_html('<span class="badge {}">{}</span>{}', css, issue.get_status_display(), overdue)


class QualityIssueTable(tables.Table):
    kindergarten = tables.Column(verbose_name=_("幼儿园"), linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="kindergarten__subdistrict__name")
    cycle = tables.Column(verbose_name=_("评估周期"))
    point = tables.Column(verbose_name=_("考查要点"), order_by=("point__key_indicator__area__order",))
    source = tables.Column(verbose_name=_("来源"))
    deadline = tables.DateColumn(verbose_name=_("整改期限"), format=DATE)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = QualityIssue
        fields = ("kindergarten", "subdistrict", "cycle", "point", "source", "deadline", "status")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的问题。")

    def render_point(self, record) -> str:
        return format_html('<span class="sub">{}</span> {}', record.point.key_indicator.area.name, str(record.point))

    def render_status(self, record) -> str:
        return issue_status_badge(record)

    def render_deadline(self, record, value) -> str:
        text = value.strftime("%Y-%m-%d")
        if not record.is_overdue:
            return text
        days = (timezone.localdate() - value).days
        return format_html(
            '<span class="bad">{}</span> <small class="bad">{}</small>', text, _("逾期 %(n)s 天") % {"n": days}
        )
