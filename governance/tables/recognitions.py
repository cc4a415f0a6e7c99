"""The recognition list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import Recognition


class RecognitionTable(tables.Table):
    kindergarten = tables.Column(linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(accessor="kindergarten__subdistrict", verbose_name=_("街道/地区"), orderable=False)
    applied_on = tables.DateColumn(format="Y-m-d")
    valid_from = tables.DateColumn(format="Y-m-d")
    valid_to = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Recognition
        fields = ("kindergarten", "subdistrict", "grade", "status", "applied_on", "valid_from", "valid_to")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的普惠认定。")
