"""Tables of training records and title applications."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import TitleApplication, TrainingRecord


class TrainingRecordTable(tables.Table):
    person = tables.Column(linkify=lambda record: reverse("staff:principal_detail", args=[record.person_id]))
    attended_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = TrainingRecord
        fields = ("attended_on", "person", "kindergarten", "title", "level", "mode", "hours", "credits", "source")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的培训记录。")


class TitleApplicationTable(tables.Table):
    applied_on = tables.DateColumn(format="Y-m-d")
    decided_on = tables.DateColumn(format="Y-m-d")
    decide = tables.TemplateColumn(
        template_name="staff/training_title_decide.html", verbose_name=_("评审"), orderable=False
    )

    class Meta:
        model = TitleApplication
        fields = ("person", "kindergarten", "title", "applied_on", "status", "decided_on", "note")
        attrs = {"class": "table"}
        empty_text = _("没有职称申报。")
