"""Teachers' training and titles: a training record entered for one person, a course's attendance
list imported from xlsx (all rows or none, people matched by the keyed hash of their ID number,
which is never stored or shown), and professional-title applications decided by the bureau."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, may, require
from common.saving import validated_save
from common.spreadsheets import (
    Column,
    DateColumn,
    DecimalColumn,
    ImportRejected,
    RowError,
    TextColumn,
    get_sheet,
    opened_workbook,
    parse_rows,
    read_rows,
    validation_errors,
)
from kindergartens.models import Kindergarten

from .. import identity
from ..choices import TitleApplicationStatus, TrainingSource
from ..models import Course, Person, TitleApplication, TrainingRecord
from .principals import post_on

REFUSE_KEEP = gettext_lazy("只有本园园长或区教委工作人员可以登记本园教职工的培训和职称申报。")
REFUSE_MANAGE = gettext_lazy("只有区教委工作人员可以导入培训名单和评审职称。")
NAME, ID_NUMBER, DAY, HOURS = "姓名", "身份证号码", "培训日期", "学时"


def may_keep(user, kindergarten: Kindergarten) -> bool:
    return may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)


def _check_post(person: Person, kindergarten: Kindergarten, day: datetime.date) -> None:
    post = post_on(person, day, kindergartens=[kindergarten])
    if post is None:
        raise ValidationError({"person": _("此人在培训日期不在该幼儿园任职。")})


@transaction.atomic
def training_record_add(
    *,
    person: Person,
    kindergarten: Kindergarten,
    user,
    title: str,
    attended_on: datetime.date,
    hours: Decimal,
    level: str,
    mode: str,
    credits: Decimal = Decimal(0),
    course: Course | None = None,
) -> TrainingRecord:
    if not may_keep(user, kindergarten):
        raise PermissionDenied(str(REFUSE_KEEP))
    _check_post(person, kindergarten, attended_on)
    record = TrainingRecord(
        person=person,
        kindergarten=kindergarten,
        course=course,
        title=title,
        attended_on=attended_on,
        hours=hours,
        credits=credits,
        level=level,
        mode=mode,
        source=TrainingSource.INDIVIDUAL,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(record, user)


def attendance_columns() -> list[Column]:
    return [
        TextColumn(header=NAME, field="name", required=True),
        TextColumn(
            header=ID_NUMBER, field="id_number", required=True, help=_("18 位居民身份证号码，仅用于匹配人员，不保存")
        ),
        DateColumn(header=DAY, field="attended_on", help=_("留空取课程开始日期")),
        DecimalColumn(header=HOURS, field="hours", help=_("留空取课程学时")),
    ]


@transaction.atomic
def attendance_import(*, course: Course, file, user) -> int:
    """Every row becomes a training record of `course`, or, if any row is wrong, none does."""
    require(user, Act.MANAGE, message=str(REFUSE_MANAGE))
    columns = attendance_columns()
    with opened_workbook(file) as workbook:
        rows = read_rows(get_sheet(workbook), columns)
    parsed, errors = parse_rows(rows, columns)
    hashes = {}
    for row in parsed:
        if "id_number" in row.failed:
            continue
        try:
            hashes[row.number] = identity.id_hash(identity.validate(row.values["id_number"]))
        except ValidationError as error:  # the message never repeats the number
            errors.append(RowError(row.number, ID_NUMBER, error.messages[0]))
    people = {p.id_hash: p for p in Person.objects.filter(id_hash__in=hashes.values())}
    already = set(TrainingRecord.objects.filter(course=course).values_list("person__id_hash", flat=True))
    seen: dict[str, int] = {}
    records = []
    for row in parsed:
        digest = hashes.get(row.number)
        if digest is None:
            continue
        person = people.get(digest)
        if person is None:
            errors.append(RowError(row.number, ID_NUMBER, _("系统中没有此身份证号码的教职工。")))
            continue
        if row.values["name"] and person.name != row.values["name"]:
            errors.append(RowError(row.number, NAME, _("姓名与系统中该身份证号码的教职工不一致。")))
            continue
        if digest in seen:
            errors.append(RowError(row.number, ID_NUMBER, _("与第 %(row)d 行是同一人。") % {"row": seen[digest]}))
            continue
        seen[digest] = row.number
        if digest in already:
            errors.append(RowError(row.number, ID_NUMBER, _("此人已登记参加该课程。")))
            continue
        day = row.values["attended_on"] or course.starts_on
        post = post_on(person, day)
        if post is None:
            errors.append(RowError(row.number, DAY, _("此人在培训日期没有在职岗位。")))
            continue
        record = TrainingRecord(
            person=person,
            kindergarten=post.kindergarten,
            course=course,
            title=course.title,
            attended_on=day,
            hours=row.values["hours"] if row.values["hours"] is not None else course.hours,
            credits=course.credits,
            level=course.level,
            mode=course.mode,
            source=TrainingSource.IMPORT,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors.extend(validation_errors(error, row.number, [*columns, DateColumn(header=DAY, field="attended_on")]))
            continue
        records.append(record)
    if errors:
        raise ImportRejected(errors)
    for record in records:
        validated_save(record, user)
    return len(records)


@transaction.atomic
def title_application_add(
    *, person: Person, kindergarten: Kindergarten, title: str, applied_on: datetime.date, user, note: str = ""
) -> TitleApplication:
    if not may_keep(user, kindergarten):
        raise PermissionDenied(str(REFUSE_KEEP))
    _check_post(person, kindergarten, applied_on)
    application = TitleApplication(
        person=person, kindergarten=kindergarten, title=title, applied_on=applied_on, note=note
    )
    return validated_save(application, user)


@transaction.atomic
def title_application_decide(
    *, application: TitleApplication, status: str, decided_on: datetime.date, user, note: str = ""
) -> TitleApplication:
    """Approves or refuses an application; an approval gives the person the title."""
    require(user, Act.MANAGE, message=str(REFUSE_MANAGE))
    application = TitleApplication.objects.select_for_update().select_related("person").get(pk=application.pk)
    if application.status != TitleApplicationStatus.APPLIED:
        raise ValidationError(_("该申报已评审。"))
    if status not in (TitleApplicationStatus.APPROVED, TitleApplicationStatus.REFUSED):
        raise ValidationError({"status": _("请选择通过或不通过。")})
    application.status, application.decided_on = status, decided_on
    application.note = note or application.note
    validated_save(application, user)
    if status == TitleApplicationStatus.APPROVED:
        person = application.person
        person.professional_title = application.title
        validated_save(person, user)
    return application
