"""School years: created, given a submission deadline, locked once reconciled, unlocked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, require

from ..choices import SubmissionStatus
from ..models import EnrollmentSubmission, SchoolYear
from .common import with_user


@transaction.atomic
def school_year_create(
    *, start_year: int, submission_due: datetime.date | None, user: User, **reminders: int
) -> SchoolYear:
    """`reminders`: `remind_days_before` / `remind_days_after` (the model's defaults otherwise)."""
    require(user, Act.MANAGE)
    school_year = SchoolYear(start_year=start_year, submission_due=submission_due, **_reminder_days(reminders))
    school_year.full_clean()
    with_user(school_year, user).save()
    return school_year


@transaction.atomic
def school_year_update(
    *, school_year: SchoolYear, submission_due: datetime.date | None, user: User, **reminders: int
) -> SchoolYear:
    require(user, Act.MANAGE)
    school_year.submission_due = submission_due
    reminders = _reminder_days(reminders)
    for name, value in reminders.items():
        setattr(school_year, name, value)
    school_year.full_clean()
    with_user(school_year, user).save(update_fields=["submission_due", *reminders])
    return school_year


def _reminder_days(values: dict) -> dict[str, int]:
    unknown = set(values) - {"remind_days_before", "remind_days_after"}
    if unknown:
        raise TypeError(f"unexpected arguments: {sorted(unknown)}")
    return {name: value for name, value in values.items() if value is not None}


@transaction.atomic
def school_year_lock(*, school_year: SchoolYear, user: User) -> SchoolYear:
    """Freezes a reconciled year: nobody changes its classes, enrolment or submissions until unlocked.

    Refused while corrections wait for the bureau: locked, they could be neither accepted nor returned.
    """
    require(user, Act.MANAGE)
    school_year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    pending = EnrollmentSubmission.objects.filter(school_year=school_year, status=SubmissionStatus.CORRECTION).count()
    if pending and not school_year.locked:
        raise ValidationError(
            _("%(year)s还有 %(n)s 份待审核的更正，请先采纳或退回后再锁定。") % {"year": school_year, "n": pending}
        )
    if not school_year.locked:
        school_year.locked, school_year.locked_at, school_year.locked_by = True, timezone.now(), user
        school_year.full_clean()
        with_user(school_year, user).save(update_fields=["locked", "locked_at", "locked_by"])
    return school_year


@transaction.atomic
def school_year_unlock(*, school_year: SchoolYear, user: User) -> SchoolYear:
    require(user, Act.MANAGE)
    school_year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if school_year.locked:
        school_year.locked, school_year.locked_at, school_year.locked_by = False, None, None
        with_user(school_year, user).save(update_fields=["locked", "locked_at", "locked_by"])
    return school_year
