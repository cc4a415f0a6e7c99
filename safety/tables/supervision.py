"""The supervision order list."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import SupervisionOrder


class SupervisionOrderTable(tables.Table):
    hazard = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("重大隐患"))
    kindergarten = tables.Column(
        accessor="hazard__kindergarten",
        verbose_name=_("幼儿园"),
        linkify=lambda record: reverse("safety:profile_detail", args=[record.hazard.kindergarten_id]),
        order_by=("hazard__kindergarten__code",),
    )
    subdistrict = tables.Column(
        accessor="hazard__kindergarten__subdistrict__name",
        verbose_name=_("街道/地区"),
        order_by=("hazard__kindergarten__subdistrict__code",),
    )
    deadline = tables.DateColumn(accessor="hazard__deadline", format="Y-m-d", verbose_name=_("整改期限"))
    overdue = tables.Column(empty_values=(), orderable=False, verbose_name=_("逾期天数"))
    issued_on = tables.DateColumn(format="Y-m-d")
    rectification_order = tables.Column(
        linkify=True, verbose_name=_("整改通知"), orderable=False, attrs={"td": {"class": "nowrap"}}
    )

    class Meta:
        model = SupervisionOrder
        fields = ("kindergarten", "subdistrict", "hazard", "deadline", "overdue", "level", "status", "issued_on")
        sequence = (*fields, "rectification_order")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的督办。")

    def render_hazard(self, value) -> str:
        text = value.description
        return text if len(text) <= 24 else text[:24] + "…"

    def render_level(self, value, record) -> str:
        css = {"subdistrict": "b-warn", "bureau": "b-danger"}.get(record.level, "")
        return format_html('<span class="badge {}">{}</span>', css, value)

    def render_overdue(self, record) -> str:
        days = record.days_overdue(timezone.localdate())
        return format_html('<span class="bad">{}</span>', days) if days else "—"

    def render_rectification_order(self, value) -> str:
        return format_html("{} · {}", value.issued_on.strftime("%Y-%m-%d"), value.get_status_display())
