"""The fee filing and fee alert lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import FeeAlert, FeeFiling


class FeeFilingTable(tables.Table):
    kindergarten = tables.Column(linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(accessor="kindergarten__subdistrict", verbose_name=_("街道/地区"), orderable=False)
    school_year = tables.Column(accessor="school_year_label", verbose_name=_("学年"), order_by=("school_year",))
    care_fee = tables.Column(verbose_name=_("保育教育费（元/月）"), attrs={"td": {"class": "num"}})
    filed_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = FeeFiling
        fields = ("kindergarten", "subdistrict", "school_year", "grade", "care_fee", "filed_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的收费备案。")


class FeeAlertTable(tables.Table):
    kindergarten = tables.Column(linkify=lambda record: record.get_absolute_url())
    subdistrict = tables.Column(accessor="kindergarten__subdistrict", verbose_name=_("街道/地区"), orderable=False)
    raised_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = FeeAlert
        fields = ("kindergarten", "subdistrict", "kind", "detail", "raised_on", "status")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的收费预警。")
