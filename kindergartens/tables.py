import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Kindergarten


class KindergartenTable(tables.Table):
    name = tables.Column(linkify=True)
    subdistrict = tables.Column(linkify=True)
    approved_capacity = tables.Column(attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    name_compliant = tables.BooleanColumn(yesno=("✔", "✘"))

    class Meta:
        model = Kindergarten
        fields = (
            "code",
            "name",
            "subdistrict",
            "sponsor_type",
            "inclusive_status",
            "licence_status",
            "approved_capacity",
            "name_compliant",
        )
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的幼儿园。")
