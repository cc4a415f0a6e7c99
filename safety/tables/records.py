"""The lists of incidents, disputes, the footage register and peak-hour posts."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Dispute, FootageRequest, Incident, SafetyPost

TIME_TAKEN = _("处理时长（天）")


def _kindergarten_link(record) -> str:
    return reverse("safety:profile_detail", args=[record.kindergarten_id])


class DaysColumn(tables.Column):
    """Days to resolution, or open so far (marked "…" while open); computed from the row, no query."""

    def __init__(self, **kwargs) -> None:
        super().__init__(accessor="days_to_resolution", verbose_name=TIME_TAKEN, orderable=False, **kwargs)

    def render(self, value, record) -> str:
        return str(value) if record.is_resolved else f"{value}…"


class IncidentTable(tables.Table):
    occurred_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    kindergarten = tables.Column(linkify=_kindergarten_link)
    child = tables.Column(verbose_name=_("幼儿"), accessor="child_initials", orderable=False)
    days = DaysColumn(attrs={"td": {"class": "num"}})

    class Meta:
        model = Incident
        fields = ("occurred_at", "kindergarten", "place", "child", "severity", "insurance_status", "status", "days")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的事故。")

    def render_child(self, value, record) -> str:
        return _("%(initials)s，%(age)s 岁") % {"initials": value, "age": record.child_age}


class DisputeTable(tables.Table):
    subject = tables.Column(linkify=True)
    kindergarten = tables.Column(linkify=_kindergarten_link)
    raised_on = tables.DateColumn(format="Y-m-d")
    days = DaysColumn(attrs={"td": {"class": "num"}})

    class Meta:
        model = Dispute
        fields = ("raised_on", "kindergarten", "subject", "parties", "status", "days")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的纠纷。")


class FootageRequestTable(tables.Table):
    requested_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    kindergarten = tables.Column(linkify=_kindergarten_link)
    requester = tables.Column(verbose_name=_("申请人"), accessor="requester_org", orderable=False)
    period = tables.Column(verbose_name=_("录像时段"), accessor="period_from", orderable=False)
    decided_at = tables.DateTimeColumn(format="Y-m-d H:i")
    corrects = tables.Column(verbose_name=_("更正"), accessor="corrects_id", orderable=False)

    class Meta:
        model = FootageRequest
        fields = ("requested_at", "kindergarten", "access", "requester", "period", "status", "decided_at", "corrects")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的调取登记。")

    def render_corrects(self, value) -> str:
        return _("更正 #%(pk)s") % {"pk": value}

    def render_requester(self, value, record) -> str:
        return f"{record.requester_name}（{value}）"

    def render_period(self, value, record) -> str:
        start, end = timezone.localtime(record.period_from), timezone.localtime(record.period_to)
        return (
            f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
            if start.date() == end.date()
            else f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"
        )


class SafetyPostTable(tables.Table):
    kindergarten = tables.Column(linkify=_kindergarten_link)
    kind = tables.Column(linkify=True)
    days = tables.Column(verbose_name=_("值守日"), orderable=False)
    hours = tables.Column(verbose_name=_("时段"), accessor="start_time")
    active = tables.BooleanColumn(yesno=("✔", "✘"))

    class Meta:
        model = SafetyPost
        fields = ("kindergarten", "kind", "days", "hours", "people", "active")
        attrs = {"class": "table"}
        empty_text = _("还没有护学岗。")

    def render_days(self, record) -> str:
        return "、".join(record.day_labels())

    def render_hours(self, record) -> str:
        return f"{record.start_time:%H:%M}–{record.end_time:%H:%M}"
