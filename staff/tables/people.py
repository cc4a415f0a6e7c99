"""The staff list (posts), a kindergarten's staff and the staffing overview of kindergartens."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten

from ..models import StaffMember

YES_NO = ("✔", "✘")


def certificate_badges(record) -> str:
    """Badges for the annotations of `selectors.with_certificate_state` (none when all is well)."""
    badges = [
        (flag, css, label)
        for flag, css, label in (
            ("lacks_certificate", "b-danger", _("缺证")),
            ("certificate_expired", "b-danger", _("证书过期")),
            ("certificate_expiring", "b-warn", _("即将到期")),
        )
        if getattr(record, flag, False)
    ]
    if not badges:
        return format_html('<span class="badge b-ok">{}</span>', _("齐全"))
    return format_html_join(" ", '<span class="badge {}">{}</span>', ((css, label) for _flag, css, label in badges))


class StaffMemberTable(tables.Table):
    name = tables.Column(
        verbose_name=_("姓名"),
        accessor="person__name",
        linkify=lambda record: reverse("staff:person_detail", args=[record.person_id]),
    )
    masked_id = tables.Column(
        verbose_name=_("身份证号码"),
        accessor="person__masked_id",
        orderable=False,
        attrs={"td": {"class": "nowrap masked-id"}},
    )
    kindergarten = tables.Column(linkify=lambda record: reverse("staff:kindergarten", args=[record.kindergarten_id]))
    hired_on = tables.DateColumn(format="Y-m-d")
    left_on = tables.DateColumn(format="Y-m-d")
    full_time = tables.BooleanColumn(yesno=YES_NO)
    certificates = tables.Column(verbose_name=_("证书"), empty_values=(), orderable=False)
    edit = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = StaffMember
        fields = ("name", "masked_id", "kindergarten", "role", "establishment", "full_time", "hired_on", "left_on")
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的教职工。")

    def __init__(self, *args, can_edit=False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_certificates(self, record) -> str:
        return certificate_badges(record)

    def render_edit(self, record) -> str:
        return format_html('<a href="{}">{}</a>', reverse("staff:member_edit", args=[record.pk]), _("岗位"))


class KindergartenStaffTable(StaffMemberTable):
    """One kindergarten's staff: the kindergarten column is the page itself."""

    class Meta(StaffMemberTable.Meta):
        exclude = ("kindergarten",)


class KindergartenStaffingTable(tables.Table):
    """The overview: each kindergarten's figures and checks (annotated by `selectors.with_staffing_checks`)."""

    name = tables.Column(
        verbose_name=_("幼儿园"), linkify=lambda record: reverse("staff:kindergarten", args=[record.pk])
    )
    subdistrict = tables.Column()
    classes_this_year = tables.Column(verbose_name=_("班级"), attrs={"td": {"class": "num"}})
    children_this_year = tables.Column(verbose_name=_("幼儿"), attrs={"td": {"class": "num"}})
    staff_total = tables.Column(verbose_name=_("教职工"), attrs={"td": {"class": "num"}})
    teachers = tables.Column(verbose_name=_("专任教师"), attrs={"td": {"class": "num"}})
    caregivers = tables.Column(verbose_name=_("保育员"), attrs={"td": {"class": "num"}})
    meets_staffing = tables.BooleanColumn(verbose_name=_("配备达标"), yesno=YES_NO)
    meets_teacher_certificates = tables.BooleanColumn(verbose_name=_("教师持证"), yesno=YES_NO)
    meets_principal_certificates = tables.BooleanColumn(verbose_name=_("园长持证"), yesno=YES_NO)

    class Meta:
        model = Kindergarten
        fields = ("code", "name", "subdistrict")
        attrs = {"class": "table"}
        empty_text = _("没有幼儿园。")
