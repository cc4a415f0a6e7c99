"""The credit record list."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import CreditRecord

LEVEL_BADGES = {"A": "b-ok", "B": "b-public", "C": "b-warn", "D": "b-danger"}


def level_badge(level: str) -> str:
    if not level:
        return "—"
    return format_html('<span class="badge {}">{}</span>', LEVEL_BADGES.get(level, ""), level)


class LevelColumn(tables.Column):
    def render(self, value):
        return level_badge(value)


class CreditRecordTable(tables.Table):
    kindergarten = tables.Column(linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(accessor="kindergarten__subdistrict", verbose_name=_("街道/地区"), orderable=False)
    level = LevelColumn(verbose_name=_("幼儿园"), attrs={"td": {"class": "level"}})
    score = tables.Column(verbose_name=_("信用分"), attrs={"td": {"class": "num"}})
    sponsor_level = LevelColumn(verbose_name=_("举办者"))
    principal_level = LevelColumn(verbose_name=_("园长"))
    computed_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = CreditRecord
        fields = ("kindergarten", "subdistrict", "level", "score", "sponsor_level", "principal_level", "computed_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的信用档案。")
