"""Every write to school years, classes, enrolment counts, submissions and population.

Pages, the API, the import command and the demo data all go through these functions, so the
rules live in one place:

- a locked school year (核对完成后锁定) is frozen for everybody, bureau staff included, until
  the bureau unlocks it;
- a director may change their own kindergarten's report only while it is a draft: once
  submitted (报送) it waits for the bureau, which may correct it or return it (退回) to the
  director;
- a submitted report is consistent: children by age add up to the children in its classes.

Each change is recorded in the model's history with the user who made it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chaoyang_preschool.spreadsheets import ImportRejected, RowError
from kindergartens.models import Kindergarten, Subdistrict

from .bulk import delete_with_history, insert_with_history, update_with_history
from .choices import PopulationBasis, SubmissionStatus
from .models import ChildPopulation, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear
from .spreadsheets import CHANGE_REASON, read_statistics

AGES = (2, 3, 4, 5, 6)
POPULATION_AGES = (0, 1, 2, 3, 4, 5, 6)
# Column order of the value tuples handed to `bulk_write(create=...)`.
CLASS_FIELDS = ("kindergarten_id", "school_year_id", "class_type", "name", "approved_size", "enrolled")
AGE_FIELDS = ("kindergarten_id", "school_year_id", "age", "children")
POPULATION_FIELDS = ("subdistrict_id", "year", "basis", "age", "children")


class ReportLocked(PermissionDenied):
    """The report may not be changed now (locked year, or submitted and waiting for the bureau)."""


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
    if submission is not None and submission.is_submitted and not user.is_bureau:
        return _("本园已报送，如需修改请联系区教委退回。")
    return None


def ensure_editable(*, user: User, kindergarten: Kindergarten, school_year: SchoolYear) -> EnrollmentSubmission | None:
    submission = EnrollmentSubmission.objects.filter(kindergarten=kindergarten, school_year=school_year).first()
    reason = lock_reason(user=user, kindergarten=kindergarten, school_year=school_year, submission=submission)
    if reason:
        raise ReportLocked(reason)
    return submission


def _with_user(instance: models.Model, user: User | None) -> models.Model:
    instance._history_user = user  # read by django-simple-history instead of the request's user
    return instance


# --- school years ----------------------------------------------------------------------------


def _ensure_bureau(user: User) -> None:
    if not (user and user.is_authenticated and user.is_bureau):
        raise PermissionDenied(_("只有区教委工作人员可以执行此操作。"))


@transaction.atomic
def school_year_create(*, start_year: int, submission_due: datetime.date | None, user: User) -> SchoolYear:
    _ensure_bureau(user)
    school_year = SchoolYear(start_year=start_year, submission_due=submission_due)
    school_year.full_clean()
    _with_user(school_year, user).save()
    return school_year


@transaction.atomic
def school_year_update(*, school_year: SchoolYear, submission_due: datetime.date | None, user: User) -> SchoolYear:
    _ensure_bureau(user)
    school_year.submission_due = submission_due
    school_year.full_clean()
    _with_user(school_year, user).save(update_fields=["submission_due"])
    return school_year


@transaction.atomic
def school_year_lock(*, school_year: SchoolYear, user: User) -> SchoolYear:
    """Freezes a reconciled year: nobody changes its classes, enrolment or submissions until unlocked."""
    _ensure_bureau(user)
    school_year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if not school_year.locked:
        school_year.locked, school_year.locked_at, school_year.locked_by = True, timezone.now(), user
        school_year.full_clean()
        _with_user(school_year, user).save(update_fields=["locked", "locked_at", "locked_by"])
    return school_year


@transaction.atomic
def school_year_unlock(*, school_year: SchoolYear, user: User) -> SchoolYear:
    _ensure_bureau(user)
    school_year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if school_year.locked:
        school_year.locked, school_year.locked_at, school_year.locked_by = False, None, None
        _with_user(school_year, user).save(update_fields=["locked", "locked_at", "locked_by"])
    return school_year


# --- a kindergarten's report for a year -------------------------------------------------------


@dataclass(frozen=True)
class ClassRow:
    """One class as entered on the form; `pk` names the existing class it edits."""

    class_type: str
    name: str
    approved_size: int
    enrolled: int
    pk: int | None = None


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


@transaction.atomic
def enrollment_report_save(
    *,
    kindergarten: Kindergarten,
    school_year: SchoolYear,
    classes: Sequence[ClassRow],
    children_by_age: Mapping[int, int],
    international_seats_used: int,
    submit: bool,
    user: User,
) -> EnrollmentSubmission:
    """Saves a kindergarten's classes, children by age and international seats for a year.

    `classes` is the complete list: existing classes not in it are removed. With `submit`, the
    report is marked submitted (报送) by `user`. A report that is or becomes submitted must add
    up (see `age_total_mismatch`); errors are raised as a ValidationError keyed by
    `classes`, `children_by_age` or `international_seats_used` and nothing is saved.
    """
    submission = ensure_editable(user=user, kindergarten=kindergarten, school_year=school_year)
    existing = {c.pk: c for c in SchoolClass.objects.filter(kindergarten=kindergarten, school_year=school_year)}
    loaded = {pk: _class_values(c) for pk, c in existing.items()}

    errors: dict[str, list] = {}
    names: set[str] = set()
    keep: list[SchoolClass] = []
    for row in classes:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError({"classes": _("班级不存在或不属于本园本学年。")})
        school_class = (
            existing.get(row.pk)
            if row.pk is not None
            else SchoolClass(kindergarten=kindergarten, school_year=school_year)
        )
        school_class.class_type, school_class.name = row.class_type, row.name.strip()
        school_class.approved_size, school_class.enrolled = row.approved_size, row.enrolled
        try:
            # Names are checked below across the whole list, so a swap of two names is not a clash.
            school_class.full_clean(exclude=["kindergarten", "school_year"], validate_unique=False)
        except ValidationError as exc:
            errors.setdefault("classes", []).extend(exc.messages)
        if school_class.name in names:
            errors.setdefault("classes", []).append(_("班级名称“%(name)s”重复。") % {"name": school_class.name})
        names.add(school_class.name)
        keep.append(school_class)

    for age in AGES:
        if (children_by_age.get(age) or 0) < 0:
            errors.setdefault("children_by_age", []).append(_("幼儿数不能为负数。"))
    if submission is None:
        submission = EnrollmentSubmission(kindergarten=kindergarten, school_year=school_year)
    submission.international_seats_used = international_seats_used
    if submit and not submission.is_submitted:
        submission.status, submission.submitted_at, submission.submitted_by = (
            SubmissionStatus.SUBMITTED,
            timezone.now(),
            user,
        )
    if submission.is_submitted:
        mismatch = age_total_mismatch(keep, children_by_age)
        if mismatch:
            errors.setdefault("children_by_age", []).append(mismatch)
    try:
        submission.full_clean(exclude=["kindergarten", "school_year", "submitted_by"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    # Deletes first and renames in two steps, so a class may take a removed or swapped name.
    kept_pks = {c.pk for c in keep if c.pk is not None}
    for pk, school_class in existing.items():
        if pk not in kept_pks:
            _with_user(school_class, user).delete()
    changed = [c for c in keep if c.pk is not None and _class_values(c) != loaded[c.pk]]
    for school_class in changed:
        if school_class.name != loaded[school_class.pk][1]:
            SchoolClass.objects.filter(pk=school_class.pk).update(name=f"~{school_class.pk}")
    for school_class in changed:
        _with_user(school_class, user).save()
    for school_class in keep:
        if school_class.pk is None:
            _with_user(school_class, user).save()

    _save_children_by_age(
        kindergarten=kindergarten, school_year=school_year, children_by_age=children_by_age, user=user
    )
    _with_user(submission, user).save()
    return submission


def _class_values(school_class: SchoolClass) -> tuple:
    return (school_class.class_type, school_class.name, school_class.approved_size, school_class.enrolled)


def _save_children_by_age(
    *, kindergarten: Kindergarten, school_year: SchoolYear, children_by_age: Mapping[int, int], user: User
) -> None:
    rows = {r.age: r for r in EnrollmentByAge.objects.filter(kindergarten=kindergarten, school_year=school_year)}
    for age in AGES:
        children = children_by_age.get(age) or 0
        row = rows.get(age)
        if row is None:
            row = EnrollmentByAge(kindergarten=kindergarten, school_year=school_year, age=age, children=children)
        elif row.children == children:
            continue
        row.children = children
        row.full_clean(exclude=["kindergarten", "school_year"], validate_unique=False, validate_constraints=False)
        _with_user(row, user).save()


@transaction.atomic
def submission_return(*, submission: EnrollmentSubmission, user: User) -> EnrollmentSubmission:
    """The bureau returns a submitted report (退回) so the director can change it again."""
    _ensure_bureau(user)
    if submission.school_year.locked:
        raise ReportLocked(_("%(year)s已锁定，数据不能再修改。") % {"year": submission.school_year})
    if submission.is_submitted:
        submission.status = SubmissionStatus.DRAFT
        submission._change_reason = _("退回修改")
        _with_user(submission, user).save(update_fields=["status"])
    return submission


# --- single rows, for the API ------------------------------------------------------------------


@transaction.atomic
def school_class_save(*, school_class: SchoolClass, user: User) -> SchoolClass:
    """Creates or updates one class (the API's path; the form saves a whole report)."""
    ensure_editable(user=user, kindergarten=school_class.kindergarten, school_year=school_class.school_year)
    school_class.full_clean()
    _with_user(school_class, user).save()
    return school_class


@transaction.atomic
def school_class_delete(*, school_class: SchoolClass, user: User) -> None:
    ensure_editable(user=user, kindergarten=school_class.kindergarten, school_year=school_class.school_year)
    _with_user(school_class, user).delete()


@transaction.atomic
def enrollment_by_age_save(*, row: EnrollmentByAge, user: User) -> EnrollmentByAge:
    ensure_editable(user=user, kindergarten=row.kindergarten, school_year=row.school_year)
    row.full_clean()
    _with_user(row, user).save()
    return row


@transaction.atomic
def enrollment_by_age_delete(*, row: EnrollmentByAge, user: User) -> None:
    ensure_editable(user=user, kindergarten=row.kindergarten, school_year=row.school_year)
    _with_user(row, user).delete()


# --- population ----------------------------------------------------------------------------------


@transaction.atomic
def population_set(
    *,
    subdistrict: Subdistrict,
    year: int,
    basis: str = PopulationBasis.RESIDENT,
    children_by_age: Mapping[int, int],
    user: User,
) -> list[ChildPopulation]:
    """Records a sub-district's children by age (0–6) for a calendar year, replacing earlier figures."""
    _ensure_bureau(user)
    rows = {r.age: r for r in ChildPopulation.objects.filter(subdistrict=subdistrict, year=year, basis=basis)}
    saved = []
    for age in POPULATION_AGES:
        if age not in children_by_age:
            continue
        row = rows.get(age) or ChildPopulation(subdistrict=subdistrict, year=year, age=age, basis=basis)
        if row.pk is not None and row.children == children_by_age[age]:
            saved.append(row)
            continue
        row.children = children_by_age[age]
        row.full_clean(exclude=["subdistrict"], validate_unique=False, validate_constraints=False)
        _with_user(row, user).save()
        saved.append(row)
    return saved


@transaction.atomic
def population_save(*, row: ChildPopulation, user: User) -> ChildPopulation:
    _ensure_bureau(user)
    row.full_clean()
    _with_user(row, user).save()
    return row


@transaction.atomic
def population_delete(*, row: ChildPopulation, user: User) -> None:
    _ensure_bureau(user)
    _with_user(row, user).delete()


# --- bulk writes shared by the statistics import and the demo data ------------------------------


def bulk_write(
    *,
    model: type[models.Model],
    create_fields: Sequence[str] = (),
    create: Sequence[tuple] = (),
    update: Sequence[models.Model] = (),
    update_fields: Sequence[str] = (),
    delete: Sequence[models.Model] = (),
    user: User | None,
    reason: str = "",
) -> None:
    """Deletes, updates and creates rows in bulk, each with its history row, in the caller's transaction.

    `create` holds tuples of values for `create_fields`; see `enrollment.bulk` for why tuples.
    """
    delete_with_history(delete, model, user=user, reason=reason)
    update_with_history(update, model, update_fields, user=user, reason=reason)
    if create:
        insert_with_history(model, create_fields, create, user=user, reason=reason)


# --- the annual statistics workbook ----------------------------------------------------------------


@dataclass
class StatisticsImportResult:
    """What an import changed, per kind of row."""

    created: dict[str, int]
    updated: dict[str, int]
    deleted: dict[str, int]
    unchanged: dict[str, int]
    school_years_created: list[int]

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())


@transaction.atomic
def statistics_import(*, file, user: User | None) -> StatisticsImportResult:
    """Imports a statistics workbook all or nothing (see `enrollment.spreadsheets`).

    Rows are matched on their natural keys, so importing the same file twice changes nothing:
    classes by (kindergarten, school year, name) — the file's classes replace those of each
    kindergarten-year it mentions —, children by age by (kindergarten, year, age), population
    by (sub-district, year, age, basis). A constant number of queries whatever the file's size:
    every lookup is one query, every write a bulk statement with its history rows.
    """
    if user is not None:
        _ensure_bureau(user)
    data = read_statistics(file)
    reason = CHANGE_REASON

    # School years: re-read under a row lock, so a year locked since the file was checked is refused.
    years = {y.start_year: y for y in SchoolYear.objects.select_for_update().filter(start_year__in=data.school_years)}
    locked = [y for y in years.values() if y.locked]
    if locked:
        raise ImportRejected(
            [RowError(0, "学年", _("%(year)s已锁定，不能导入；请先解锁。") % {"year": y}) for y in locked]
        )
    created_years = []
    for start in sorted(set(data.school_years) - set(years)):
        years[start] = _with_user(SchoolYear(start_year=start), user)
        years[start].full_clean()
        years[start].save()
        created_years.append(start)

    result = StatisticsImportResult({}, {}, {}, {}, created_years)
    _import_classes(data, years, user, reason, result)
    _import_children_by_age(data, years, user, reason, result)
    _import_population(data, user, reason, result)
    return result


def _count(result: StatisticsImportResult, kind: str, *, created=0, updated=0, deleted=0, unchanged=0) -> None:
    result.created[kind], result.updated[kind] = created, updated
    result.deleted[kind], result.unchanged[kind] = deleted, unchanged


def _import_classes(data, years: dict[int, SchoolYear], user, reason: str, result) -> None:
    if not data.classes:
        _count(result, "classes")
        return
    pairs = {(kg, years[start].pk): rows for (kg, start), rows in data.classes.items()}
    existing: dict[tuple[int, int, str], SchoolClass] = {}
    delete: list[SchoolClass] = []
    kept: set[tuple[int, int, str]] = {(kg, year, name) for (kg, year), rows in pairs.items() for _t, name, *_n in rows}
    for school_class in SchoolClass.objects.filter(
        kindergarten_id__in={kg for kg, _year in pairs}, school_year_id__in={year for _kg, year in pairs}
    ):
        key = (school_class.kindergarten_id, school_class.school_year_id, school_class.name)
        if (key[0], key[1]) not in pairs:
            continue  # a kindergarten-year the file does not mention stays as it is
        if key in kept:
            existing[key] = school_class
        else:
            delete.append(school_class)
    create, update, unchanged = [], [], 0
    for (kg, year), rows in pairs.items():
        for class_type, name, approved_size, enrolled in rows:
            school_class = existing.get((kg, year, name))
            if school_class is None:
                create.append((kg, year, class_type, name, approved_size, enrolled))
            elif (school_class.class_type, school_class.approved_size, school_class.enrolled) != (
                class_type,
                approved_size,
                enrolled,
            ):
                school_class.class_type, school_class.approved_size = class_type, approved_size
                school_class.enrolled = enrolled
                update.append(school_class)
            else:
                unchanged += 1
    bulk_write(
        model=SchoolClass,
        create_fields=CLASS_FIELDS,
        create=create,
        update=update,
        update_fields=["class_type", "approved_size", "enrolled"],
        delete=delete,
        user=user,
        reason=reason,
    )
    _count(result, "classes", created=len(create), updated=len(update), deleted=len(delete), unchanged=unchanged)


def _import_children_by_age(data, years: dict[int, SchoolYear], user, reason: str, result) -> None:
    if not data.children_by_age:
        _count(result, "children_by_age")
        return
    wanted = {(kg, years[start].pk): ages for (kg, start), ages in data.children_by_age.items()}
    existing = {
        (r.kindergarten_id, r.school_year_id, r.age): r
        for r in EnrollmentByAge.objects.filter(
            kindergarten_id__in={kg for kg, _y in wanted}, school_year_id__in={y for _kg, y in wanted}
        )
    }
    create, update, unchanged = [], [], 0
    for (kg, year), ages in wanted.items():
        for age, children in ages.items():
            row = existing.get((kg, year, age))
            if row is None:
                create.append((kg, year, age, children))
            elif row.children != children:
                row.children = children
                update.append(row)
            else:
                unchanged += 1
    bulk_write(
        model=EnrollmentByAge,
        create_fields=AGE_FIELDS,
        create=create,
        update=update,
        update_fields=["children"],
        user=user,
        reason=reason,
    )
    _count(result, "children_by_age", created=len(create), updated=len(update), unchanged=unchanged)


def _import_population(data, user, reason: str, result) -> None:
    if not data.population:
        _count(result, "population")
        return
    existing = {
        (r.subdistrict_id, r.year, r.basis, r.age): r
        for r in ChildPopulation.objects.filter(
            subdistrict_id__in={s for s, _y, _b in data.population}, year__in={y for _s, y, _b in data.population}
        )
    }
    create, update, unchanged = [], [], 0
    for (subdistrict, year, basis), ages in data.population.items():
        for age, children in ages.items():
            row = existing.get((subdistrict, year, basis, age))
            if row is None:
                create.append((subdistrict, year, basis, age, children))
            elif row.children != children:
                row.children = children
                update.append(row)
            else:
                unchanged += 1
    bulk_write(
        model=ChildPopulation,
        create_fields=POPULATION_FIELDS,
        create=create,
        update=update,
        update_fields=["children"],
        user=user,
        reason=reason,
    )
    _count(result, "population", created=len(create), updated=len(update), unchanged=unchanged)
