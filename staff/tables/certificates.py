"""Certificates expiring soon or expired, with their holder's current kindergarten."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Certificate


class CertificateTable(tables.Table):
    holder = tables.Column(
        verbose_name=_("持证人"),
        accessor="person__name",
        linkify=lambda record: reverse("staff:person_detail", args=[record.person_id]),
    )
    workplace = tables.Column(verbose_name=_("现任职幼儿园"), empty_values=(), orderable=False)
    issued_on = tables.DateColumn(format="Y-m-d")
    expires_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Certificate
        fields = ("holder", "workplace", "kind", "number", "issued_on", "expires_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的证书。")

    def render_workplace(self, record) -> str:
        return getattr(record, "workplace", None) or "—"
