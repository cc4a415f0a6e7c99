"""The aid recipient list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import AidRecipient


class AidRecipientTable(tables.Table):
    subdistrict = tables.Column(accessor="kindergarten__subdistrict", verbose_name=_("街道/地区"), orderable=False)
    amount = tables.Column(attrs={"td": {"class": "num"}})

    class Meta:
        model = AidRecipient
        fields = ("kindergarten", "subdistrict", "school_year", "initials", "category", "amount")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的受资助幼儿。")
