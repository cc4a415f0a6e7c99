"""Tables of the principals' pages and of the course catalogue."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import CareerStage
from ..models import Course

STAGES = dict(CareerStage.choices)


def _person_url(record) -> str:
    return reverse("staff:principal_detail", args=[record.person_id])


class PrincipalTable(tables.Table):
    name = tables.Column(accessor="person__name", verbose_name=_("姓名"), linkify=_person_url, order_by="person__name")
    kindergarten = tables.Column(verbose_name=_("幼儿园"))
    role = tables.Column(verbose_name=_("岗位"))
    stage = tables.Column(verbose_name=_("发展阶段"), default="—")
    hired_on = tables.DateColumn(format="Y-m-d", verbose_name=_("任职日期"))
    credits = tables.Column(verbose_name=_("本年学分"), attrs={"td": {"class": "num"}})
    required = tables.Column(verbose_name=_("应修学分"), default="—", attrs={"td": {"class": "num"}})
    dual = tables.BooleanColumn(verbose_name=_("双证"), yesno=("✔", "✘"))

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的园长。")
        orderable = False

    def render_stage(self, value) -> str:
        return str(STAGES.get(value, "—"))


class CreditTable(PrincipalTable):
    completed = tables.BooleanColumn(verbose_name=_("达标"), yesno=("✔", "✘"))

    class Meta(PrincipalTable.Meta):
        exclude = ("dual", "hired_on")


class CertificateCheckTable(PrincipalTable):
    has_principal_certificate = tables.BooleanColumn(verbose_name=_("园长任职资格证"), yesno=("✔", "✘"))
    has_teacher_certificate = tables.BooleanColumn(verbose_name=_("教师资格证"), yesno=("✔", "✘"))

    class Meta(PrincipalTable.Meta):
        exclude = ("credits", "required", "stage")
        sequence = ("name", "kindergarten", "role", "hired_on", "has_principal_certificate", "has_teacher_certificate")


class CourseTable(tables.Table):
    title = tables.Column(linkify=lambda record: reverse("staff:course_edit", args=[record.pk]))
    attendance = tables.TemplateColumn(
        template_name="staff/training_course_attendance.html", verbose_name=_("参加人数"), orderable=False
    )
    starts_on = tables.DateColumn(format="Y-m-d")
    ends_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Course
        fields = ("title", "level", "mode", "hours", "credits", "for_principals", "starts_on", "ends_on", "organiser")
        attrs = {"class": "table"}
        empty_text = _("还没有培训课程。")
