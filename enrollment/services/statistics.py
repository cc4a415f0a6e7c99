"""The annual statistics workbook: imported all or nothing, in bulk, with every row's history.

The import writes official figures. It never touches a director's working copy or a pending
correction; the kindergarten-years that have one are listed in its result, so the bureau knows
whose report now starts from the imported figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, require
from common.spreadsheets import ImportRejected, RowError

from ..bulk import delete_with_history, insert_with_history, update_with_history
from ..models import ChildPopulation, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear
from ..spreadsheets import CHANGE_REASON, read_statistics
from .common import with_user
from .report import pending_reports

# Column order of the value tuples handed to `bulk_write(create=...)`.
CLASS_FIELDS = ("kindergarten_id", "school_year_id", "class_type", "name", "approved_size", "enrolled")
AGE_FIELDS = ("kindergarten_id", "school_year_id", "age", "children")
POPULATION_FIELDS = ("subdistrict_id", "year", "basis", "age", "children")


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
    # Reports of the file's kindergarten-years that hold a director's draft or pending correction:
    # the import left them alone, and the bureau should know they now differ from official figures.
    pending: list[EnrollmentSubmission] = field(default_factory=list)

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
        require(user, Act.MANAGE)
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
        years[start] = with_user(SchoolYear(start_year=start), user)
        years[start].full_clean()
        years[start].save()
        created_years.append(start)

    result = StatisticsImportResult({}, {}, {}, {}, created_years)
    _import_classes(data, years, user, reason, result)
    _import_children_by_age(data, years, user, reason, result)
    _import_population(data, user, reason, result)
    pairs = {(kg, years[start].pk) for kg, start in (*data.classes, *data.children_by_age)}
    result.pending = pending_reports(sorted(pairs))
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
