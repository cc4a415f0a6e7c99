"""Tables of the enforcement list pages."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..choices import OPEN_UNLICENSED_STATUSES, CaseStatus, OrderStatus
from ..models import ConductCase, RectificationOrder, UnlicensedCase
from .common import DATE


class RectificationOrderTable(tables.Table):
    kindergarten = tables.Column(verbose_name=_("幼儿园"), linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="kindergarten__subdistrict__name")
    reason = tables.Column(verbose_name=_("整改事由"))
    issued_on = tables.DateColumn(verbose_name=_("下达日期"), format=DATE)
    deadline = tables.DateColumn(verbose_name=_("整改期限"), format=DATE)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = RectificationOrder
        fields = ("kindergarten", "subdistrict", "reason", "issued_on", "deadline", "status")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的整改通知。")

    def render_status(self, record, value) -> str:
        css = {OrderStatus.RECTIFIED: "b-ok", OrderStatus.PENALISED: "b-danger"}.get(record.status, "")
        overdue = format_html(' <span class="badge b-danger">{}</span>', _("已逾期")) if record.is_overdue else ""
        return format_html('<span class="badge {}">{}</span>{}', css, value, overdue)

    def render_deadline(self, record, value) -> str:
        text = value.strftime("%Y-%m-%d")
        return format_html('<span class="bad">{}</span>', text) if record.is_overdue else text


def unlicensed_status_badge(record) -> str:
    css = "b-danger" if record.status in OPEN_UNLICENSED_STATUSES else "b-ok"
    return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())


class UnlicensedCaseTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="subdistrict__name")
    address = tables.Column(verbose_name=_("地址"))
    children = tables.Column(verbose_name=_("在园幼儿数"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    discovered_on = tables.DateColumn(verbose_name=_("发现日期"), format=DATE)
    status = tables.Column(verbose_name=_("状态"))
    ordered_on = tables.DateColumn(verbose_name=_("责令日期"), format=DATE)
    resolved_on = tables.DateColumn(verbose_name=_("办结日期"), format=DATE)

    class Meta:
        model = UnlicensedCase
        fields = ("name", "subdistrict", "address", "children", "discovered_on", "status", "ordered_on", "resolved_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的无证园案件。")

    def render_status(self, record, value) -> str:
        return unlicensed_status_badge(record)


class ConductCaseTable(tables.Table):
    subject = tables.Column(
        verbose_name=_("当事机构/幼儿园"),
        empty_values=(),
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )
    kind = tables.Column(verbose_name=_("案件类型"))
    subdistrict = tables.Column(verbose_name=_("街道/地区"), accessor="subdistrict__name")
    reported_on = tables.DateColumn(verbose_name=_("立案日期"), format=DATE)
    status = tables.Column(verbose_name=_("状态"))
    closed_on = tables.DateColumn(verbose_name=_("结案日期"), format=DATE)

    class Meta:
        model = ConductCase
        fields = ("subject", "kind", "subdistrict", "reported_on", "status", "closed_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的案件。")

    def render_subject(self, record) -> str:
        return record.institution_name or (record.kindergarten.name if record.kindergarten else "—")

    def render_status(self, record, value) -> str:
        css = "b-ok" if record.status == CaseStatus.CLOSED else "b-danger"
        return format_html('<span class="badge {}">{}</span>', css, value)
