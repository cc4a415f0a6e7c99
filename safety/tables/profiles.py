"""The safety overview: each kindergarten's coverage rules."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten

YES_NO = ("✔", "✘")


class KindergartenSafetyTable(tables.Table):
    """The overview: each kindergarten's four coverage rules (annotated by `selectors.with_coverage`)."""

    name = tables.Column(
        verbose_name=_("幼儿园"), linkify=lambda record: reverse("safety:profile_detail", args=[record.pk])
    )
    subdistrict = tables.Column()
    people_on_campus = tables.Column(verbose_name=_("在园人数"), attrs={"td": {"class": "num"}})
    meets_guard_coverage = tables.BooleanColumn(verbose_name=_("保安"), yesno=YES_NO)
    meets_alarm_coverage = tables.BooleanColumn(verbose_name=_("一键报警"), yesno=YES_NO)
    meets_video_coverage = tables.BooleanColumn(verbose_name=_("视频联网"), yesno=YES_NO)
    meets_closed_campus_coverage = tables.BooleanColumn(verbose_name=_("封闭管理"), yesno=YES_NO)

    class Meta:
        model = Kindergarten
        fields = ("code", "name", "subdistrict")
        attrs = {"class": "table"}
        empty_text = _("没有幼儿园。")
