"""The check list."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import SafetyCheck


class SafetyCheckTable(tables.Table):
    checked_on = tables.DateColumn(format="Y-m-d", linkify=True)
    kindergarten = tables.Column(linkify=lambda record: reverse("safety:profile_detail", args=[record.kindergarten_id]))
    template = tables.Column(verbose_name=_("检查表"), accessor="version__template__name")
    failures = tables.Column(verbose_name=_("不合格项"), attrs={"td": {"class": "failures"}}, orderable=False)
    hazards_opened = tables.Column(verbose_name=_("登记隐患"), attrs={"td": {"class": "num"}}, orderable=False)

    class Meta:
        model = SafetyCheck
        fields = ("checked_on", "kindergarten", "template", "kind", "team", "status", "failures", "hazards_opened")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的安全检查。")
