"""The hazard list."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Hazard


class HazardTable(tables.Table):
    description = tables.Column(linkify=True, verbose_name=_("隐患描述"))
    kindergarten = tables.Column(linkify=lambda record: reverse("safety:profile_detail", args=[record.kindergarten_id]))
    deadline = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Hazard
        fields = ("kindergarten", "category", "severity", "description", "owner", "deadline", "status")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的隐患。")

    def render_description(self, value: str) -> str:
        return value if len(value) <= 30 else value[:30] + "…"
