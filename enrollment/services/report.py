"""A kindergarten's yearly enrolment report: the director's working copy, submission, corrections.

Two things are kept apart, so that no draft can ever cost official data:

- the **official figures** — the kindergarten-year's `SchoolClass` and `EnrollmentByAge` rows and
  the submission's `international_seats_used` — which every indicator reads. They are written by
  the bureau's statistics import, by a first submission (when there are no official figures
  yet), by the bureau accepting a correction, and by bureau staff editing them directly;
- the **working copy** (`EnrollmentSubmission.draft`), which a director saves, changes and
  abandons freely. Saving a draft never touches an official row.

A director who submits figures that differ from official ones files a correction (status
`correction`): the bureau sees old and new side by side and accepts it (the official figures are
replaced, recorded in their history with who and when) or returns it to the director.

Other rules, enforced here for pages and API alike:

- a locked school year (核对完成后锁定) is frozen for everybody until the bureau unlocks it;
- a director may change the report only while it is a draft;
- a submitted report is consistent: children by age add up to the children in its classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, may, require
from kindergartens.models import Kindergarten

from ..choices import SubmissionStatus
from ..models import EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear, grade_order
from .common import AGES, with_user


class ReportLocked(PermissionDenied):
    """The report may not be changed now (locked year, or submitted and waiting for the bureau)."""


# --- what a report holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRow:
    """One class as entered on the form, the API or the working copy."""

    class_type: str
    name: str
    approved_size: int
    enrolled: int


@dataclass(frozen=True)
class Report:
    """A whole report for one kindergarten and year: its classes, children by age, seats used."""

    classes: tuple[ClassRow, ...]
    children_by_age: Mapping[int, int] = field(default_factory=dict)
    international_seats_used: int = 0

    @classmethod
    def of(cls, classes: Iterable[ClassRow], children_by_age: Mapping[int, int], seats: int = 0) -> Report:
        """A report with names trimmed and every age 2–6 present (missing ages are 0)."""
        rows = tuple(ClassRow(c.class_type, (c.name or "").strip(), c.approved_size, c.enrolled) for c in classes)
        return cls(rows, {age: children_by_age.get(age) or 0 for age in AGES}, seats or 0)

    def figures(self) -> tuple:
        """What two reports must share to be the same report (class order does not matter)."""
        classes = sorted((c.name, c.class_type, c.approved_size, c.enrolled) for c in self.classes)
        return tuple(classes), tuple(self.children_by_age.get(a, 0) for a in AGES), self.international_seats_used

    def to_json(self) -> dict:
        return {
            "classes": [[c.class_type, c.name, c.approved_size, c.enrolled] for c in self.classes],
            "children_by_age": {str(age): self.children_by_age.get(age, 0) for age in AGES},
            "international_seats_used": self.international_seats_used,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Report:
        return cls.of(
            (ClassRow(*row) for row in data.get("classes", [])),
            {int(age): n for age, n in data.get("children_by_age", {}).items()},
            data.get("international_seats_used", 0),
        )


def official_report(
    *, kindergarten: Kindergarten, school_year: SchoolYear, submission: EnrollmentSubmission | None
) -> Report | None:
    """The official figures of a kindergarten-year, or None when there are none yet."""
    classes = SchoolClass.objects.filter(kindergarten=kindergarten, school_year=school_year).order_by(
        grade_order(), "name"
    )
    rows = [ClassRow(c.class_type, c.name, c.approved_size, c.enrolled) for c in classes]
    ages = dict(
        EnrollmentByAge.objects.filter(kindergarten=kindergarten, school_year=school_year).values_list(
            "age", "children"
        )
    )
    if not rows and not ages:
        return None
    return Report.of(rows, ages, submission.international_seats_used if submission else 0)


def working_report(submission: EnrollmentSubmission | None) -> Report | None:
    """The figures a director has saved or submitted as a correction, or None."""
    return Report.from_json(submission.draft) if submission is not None and submission.draft else None


# --- who may change what -------------------------------------------------------------------


def lock_reason(
    *, user: User, kindergarten: Kindergarten, school_year: SchoolYear, submission: EnrollmentSubmission | None
) -> str | None:
    """Why `user` may not change this report now, or None when they may.

    Callers have already checked that the kindergarten is within the user's scope.
    """
    if school_year.locked:
        return _("%(year)s已锁定，数据不能再修改。") % {"year": school_year}
    if not Kindergarten.objects.restrict(user, "change").filter(pk=kindergarten.pk).exists():
        return _("您没有修改该园数据的权限。")
    # Bureau staff own the official figures; everyone else reaches them through a report.
    if submission is not None and submission.is_correction:
        if may(user, Act.REVIEW):
            return _("该园报送了更正：请先在下方采纳或退回。")
        return _("本园报送的更正正在等待区教委审核；如需修改请联系区教委退回。")
    if submission is not None and submission.is_submitted and not may(user, Act.MANAGE):
        return _("本园已报送，如需修改请联系区教委退回。")
    return None


def ensure_editable(*, user: User, kindergarten: Kindergarten, school_year: SchoolYear) -> EnrollmentSubmission | None:
    """The report's submission (or None) once `user` may change it; ReportLocked otherwise.

    The year and the submission are re-read under a row lock (callers are in a transaction), so a
    year locked, or a correction filed, since the page was loaded is refused.
    """
    school_year = _locked_year(school_year)
    submission = (
        EnrollmentSubmission.objects.select_for_update()
        .filter(kindergarten=kindergarten, school_year=school_year)
        .first()
    )
    reason = lock_reason(user=user, kindergarten=kindergarten, school_year=school_year, submission=submission)
    if reason:
        raise ReportLocked(reason)
    return submission


def _locked_year(school_year: SchoolYear) -> SchoolYear:
    """The year as it is now, held for the transaction; ReportLocked when it has been locked."""
    school_year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if school_year.locked:
        raise ReportLocked(_("%(year)s已锁定，数据不能再修改。") % {"year": school_year})
    return school_year


# --- checking a report ---------------------------------------------------------------------


def age_total_mismatch(classes: Iterable[ClassRow | SchoolClass], children_by_age: Mapping[int, int]) -> str | None:
    """The message shown when children by age do not add up to the children in the classes."""
    in_classes = sum(c.enrolled or 0 for c in classes)
    by_age = sum(children_by_age.get(age) or 0 for age in AGES)
    if in_classes == by_age:
        return None
    return _("分年龄合计（%(by_age)s 人）与各班在班幼儿数合计（%(in_classes)s 人）不一致。") % {
        "by_age": by_age,
        "in_classes": in_classes,
    }


def report_errors(
    *, kindergarten: Kindergarten, school_year: SchoolYear, report: Report, complete: bool
) -> dict[str, list[str]]:
    """Every problem of `report`, keyed `classes`, `children_by_age` or `international_seats_used`.

    The models' own validation decides; `complete` (a report being submitted) also requires the
    children by age to add up to the children in the classes.
    """
    errors: dict[str, list[str]] = {}
    names: set[str] = set()
    for row in report.classes:
        school_class = SchoolClass(
            kindergarten=kindergarten,
            school_year=school_year,
            class_type=row.class_type,
            name=row.name,
            approved_size=row.approved_size,
            enrolled=row.enrolled,
        )
        try:
            school_class.full_clean(exclude=["kindergarten", "school_year"], validate_unique=False)
        except ValidationError as exc:
            errors.setdefault("classes", []).extend(exc.messages)
        if row.name in names:
            errors.setdefault("classes", []).append(_("班级名称“%(name)s”重复。") % {"name": row.name})
        names.add(row.name)
    if any(n < 0 for n in report.children_by_age.values()):
        errors.setdefault("children_by_age", []).append(_("幼儿数不能为负数。"))
    if complete:
        mismatch = age_total_mismatch(report.classes, report.children_by_age)
        if mismatch:
            errors.setdefault("children_by_age", []).append(mismatch)
    probe = EnrollmentSubmission(kindergarten=kindergarten, international_seats_used=report.international_seats_used)
    try:
        probe.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _check(*, kindergarten: Kindergarten, school_year: SchoolYear, report: Report, complete: bool) -> None:
    errors = report_errors(kindergarten=kindergarten, school_year=school_year, report=report, complete=complete)
    if errors:
        raise ValidationError(errors)


# --- writing a report ----------------------------------------------------------------------


@transaction.atomic
def enrollment_report_save(
    *, kindergarten: Kindergarten, school_year: SchoolYear, report: Report, submit: bool, user: User
) -> EnrollmentSubmission:
    """Saves a director's draft or submits their report; bureau staff edit the official figures.

    - A director's draft goes to the working copy only: official figures stay as they are.
    - A director submitting with no official figures yet, or with the same figures, makes the
      report official; different figures are a correction awaiting the bureau.
    - Bureau staff write the official figures directly (they must add up), and with `submit`
      mark the report submitted on the kindergarten's behalf; a director's working copy stays.
    - Nobody changes a report while a correction is pending: the bureau accepts or returns it.

    Errors are raised as a ValidationError keyed by `classes`, `children_by_age` or
    `international_seats_used`, and nothing is saved.
    """
    submission = ensure_editable(user=user, kindergarten=kindergarten, school_year=school_year)
    already_submitted = submission is not None and submission.is_submitted
    manages = may(user, Act.MANAGE)
    # Official figures always add up; a director's draft need not until it is submitted.
    _check(
        kindergarten=kindergarten,
        school_year=school_year,
        report=report,
        complete=submit or already_submitted or manages,
    )
    if submission is None:
        submission = EnrollmentSubmission(kindergarten=kindergarten, school_year=school_year)

    if manages:
        # Bureau staff own the official figures and edit them directly; a director's working
        # copy, if any, stays as it is.
        _write_official(submission, report, user=user, reason=_("区教委修改正式数据"))
        reason = _("区教委修改正式数据")
        if submit and not already_submitted:
            reason = _("区教委代为报送")
            submission.status = SubmissionStatus.SUBMITTED
            submission.submitted_at, submission.submitted_by = timezone.now(), user
    elif not submit:
        reason = _("保存草稿")
        submission.draft = report.to_json()
    else:
        official = official_report(kindergarten=kindergarten, school_year=school_year, submission=submission)
        submission.submitted_at, submission.submitted_by = timezone.now(), user
        if official is None or official.figures() == report.figures():
            reason = _("报送")
            _write_official(submission, report, user=user, reason=reason)
            submission.status, submission.draft = SubmissionStatus.SUBMITTED, None
        else:
            reason = _("报送更正（待区教委审核）")
            submission.status, submission.draft = SubmissionStatus.CORRECTION, report.to_json()
    submission.full_clean(exclude=["kindergarten", "school_year", "submitted_by"], validate_unique=False)
    with_user(submission, user, reason).save()
    return submission


@transaction.atomic
def correction_accept(*, submission: EnrollmentSubmission, user: User) -> EnrollmentSubmission:
    """The bureau accepts a director's correction: it replaces the official figures."""
    require(user, Act.REVIEW)
    _locked_year(submission.school_year)
    submission = EnrollmentSubmission.objects.select_for_update().select_related("school_year").get(pk=submission.pk)
    if not submission.is_correction or not submission.draft:
        raise ValidationError(_("该园没有待审核的更正。"))
    report = working_report(submission)
    _check(kindergarten=submission.kindergarten, school_year=submission.school_year, report=report, complete=True)
    reason = _("采纳更正")
    _write_official(submission, report, user=user, reason=reason)
    submission.status, submission.draft = SubmissionStatus.SUBMITTED, None
    with_user(submission, user, reason).save()
    return submission


@transaction.atomic
def submission_return(*, submission: EnrollmentSubmission, user: User) -> EnrollmentSubmission:
    """The bureau returns a submitted report or a correction (退回) so the director can change it.

    The director's form starts again from their working copy — a returned correction's figures,
    or a draft they kept while the bureau submitted for them — else from the official figures.
    """
    require(user, Act.REVIEW)
    _locked_year(submission.school_year)
    submission = EnrollmentSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.is_submitted or submission.is_correction:
        submission.status = SubmissionStatus.DRAFT
        with_user(submission, user, _("退回修改")).save(update_fields=["status"])
    return submission


def _write_official(submission: EnrollmentSubmission, report: Report, *, user: User, reason: str) -> None:
    """Makes `report` the official figures; classes are matched by name, unchanged rows stay untouched.

    The submission's own fields are set here and saved by the caller.
    """
    kindergarten, school_year = submission.kindergarten, submission.school_year
    existing = {c.name: c for c in SchoolClass.objects.filter(kindergarten=kindergarten, school_year=school_year)}
    wanted = {row.name for row in report.classes}
    for name, school_class in existing.items():
        if name not in wanted:
            with_user(school_class, user, reason).delete()
    for row in report.classes:
        school_class = existing.get(row.name) or SchoolClass(
            kindergarten=kindergarten, school_year=school_year, name=row.name
        )
        values = (row.class_type, row.approved_size, row.enrolled)
        if (
            school_class.pk is not None
            and (
                school_class.class_type,
                school_class.approved_size,
                school_class.enrolled,
            )
            == values
        ):
            continue
        school_class.class_type, school_class.approved_size, school_class.enrolled = values
        with_user(school_class, user, reason).save()
    rows = {r.age: r for r in EnrollmentByAge.objects.filter(kindergarten=kindergarten, school_year=school_year)}
    for age in AGES:
        children = report.children_by_age.get(age, 0)
        row = rows.get(age) or EnrollmentByAge(kindergarten=kindergarten, school_year=school_year, age=age)
        if row.pk is not None and row.children == children:
            continue
        row.children = children
        with_user(row, user, reason).save()
    submission.international_seats_used = report.international_seats_used


# --- single official rows, for the API ---------------------------------------------------------


def _ensure_official_writable(*, user: User, kindergarten: Kindergarten, school_year: SchoolYear) -> None:
    ensure_editable(user=user, kindergarten=kindergarten, school_year=school_year)
    if not may(user, Act.MANAGE):
        raise ReportLocked(_("正式数据只能由区教委修改；园所请通过在园情况报送填报或更正。"))


@transaction.atomic
def school_class_save(*, school_class: SchoolClass, user: User) -> SchoolClass:
    """Creates or updates one official class (bureau staff, through the API)."""
    _ensure_official_writable(user=user, kindergarten=school_class.kindergarten, school_year=school_class.school_year)
    school_class.full_clean()
    with_user(school_class, user).save()
    return school_class


@transaction.atomic
def school_class_delete(*, school_class: SchoolClass, user: User) -> None:
    _ensure_official_writable(user=user, kindergarten=school_class.kindergarten, school_year=school_class.school_year)
    with_user(school_class, user).delete()


@transaction.atomic
def enrollment_by_age_save(*, row: EnrollmentByAge, user: User) -> EnrollmentByAge:
    _ensure_official_writable(user=user, kindergarten=row.kindergarten, school_year=row.school_year)
    row.full_clean()
    with_user(row, user).save()
    return row


@transaction.atomic
def enrollment_by_age_delete(*, row: EnrollmentByAge, user: User) -> None:
    _ensure_official_writable(user=user, kindergarten=row.kindergarten, school_year=row.school_year)
    with_user(row, user).delete()


def pending_reports(pairs: Sequence[tuple[int, int]]) -> list[EnrollmentSubmission]:
    """Of these (kindergarten, school year) pairs, the reports with a director's draft or a pending correction."""
    if not pairs:
        return []
    wanted = set(pairs)
    candidates = (
        EnrollmentSubmission.objects.filter(
            kindergarten_id__in={kg for kg, _y in wanted}, school_year_id__in={y for _kg, y in wanted}
        )
        .exclude(status=SubmissionStatus.SUBMITTED)
        .filter(draft__isnull=False)
        .select_related("kindergarten", "school_year")
        .order_by("kindergarten__code", "school_year__start_year")
    )
    return [s for s in candidates if (s.kindergarten_id, s.school_year_id) in wanted]
