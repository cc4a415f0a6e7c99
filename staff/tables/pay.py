"""The pay filings list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import PayFiling


class PayFilingTable(tables.Table):
    kindergarten = tables.Column(linkify=lambda record: record.get_absolute_url())
    year = tables.Column(attrs={"td": {"class": "num"}})
    insurance = tables.Column(
        verbose_name=_("社保（已/应）"), accessor="insurance_covered", attrs={"td": {"class": "num"}}, orderable=False
    )
    housing = tables.Column(
        verbose_name=_("公积金（已/应）"), accessor="housing_covered", attrs={"td": {"class": "num"}}, orderable=False
    )
    leave = tables.Column(verbose_name=_("带薪休假（已/应）"), accessor="leave_taken", orderable=False)
    below_benchmark = tables.BooleanColumn(verbose_name=_("低于公办园参照"), yesno=("⚠", "—"), orderable=False)
    flagged = tables.BooleanColumn(verbose_name=_("民办园预警"), yesno=("⚠", "—"), orderable=False)

    class Meta:
        model = PayFiling
        fields = ("kindergarten", "year", "insurance", "housing", "leave", "below_benchmark", "flagged")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的填报。")

    def render_insurance(self, record) -> str:
        return f"{record.insurance_covered}/{record.insurance_required}"

    def render_housing(self, record) -> str:
        return f"{record.housing_covered}/{record.housing_required}"

    def render_leave(self, record) -> str:
        return f"{record.leave_taken}/{record.leave_entitled}"
