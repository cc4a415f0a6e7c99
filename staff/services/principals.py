"""Principals' careers and the training catalogue: the bureau records stage changes and keeps
the courses (`Act.MANAGE`). Also the validated save the development services share."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require
from common.saving import validated_save

from ..models import CareerStageRecord, Course, Person, StaffMember

REFUSE_MANAGE = gettext_lazy("只有区教委工作人员可以维护园长发展档案和培训课程。")


def post_on(person: Person, day: datetime.date, kindergartens=None) -> StaffMember | None:
    """The person's post on `day` (a principal's post first), among `kindergartens` if given."""
    posts = StaffMember.objects.filter(person=person).on(day)
    if kindergartens is not None:
        posts = posts.filter(kindergarten__in=kindergartens)
    principal_first = models.Case(models.When(role="principal", then=0), default=1)
    return posts.order_by(principal_first, "-hired_on", "pk").first()


@transaction.atomic
def stage_record(*, person: Person, stage: str, since: datetime.date, user, note: str = "") -> CareerStageRecord:
    """Records that `person` is at career `stage` from `since` (the history of stages keeps the old ones)."""
    require(user, Act.MANAGE, message=str(REFUSE_MANAGE))
    post = post_on(person, since) or post_on(person, datetime.date.max)
    if post is None:
        raise ValidationError({"since": _("此人在该日期没有在职岗位，无法登记发展阶段。")})
    record = CareerStageRecord(
        person=person,
        kindergarten=post.kindergarten,
        stage=stage,
        since=since,
        note=note,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(record, user)


@transaction.atomic
def course_save(*, user, course: Course | None = None, **fields) -> Course:
    require(user, Act.MANAGE, message=str(REFUSE_MANAGE))
    course = Course.objects.select_for_update().get(pk=course.pk) if course and course.pk else Course()
    for name, value in fields.items():
        setattr(course, name, value)
    return validated_save(course, user)
