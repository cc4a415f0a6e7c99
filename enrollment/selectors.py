"""Reads behind the enrolment pages: who owes a report, the tracker's rows and counts, a report's
totals, a correction beside the official figures, the population table and the export's rows.

Each is built in the database for every row at once (a constant number of queries per page),
and scoped by the caller's user through `restrict()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from kindergartens.models import Kindergarten, Subdistrict

from . import services
from .choices import ClassType, SubmissionStatus
from .models import ChildPopulation, EnrollmentSubmission, SchoolClass, SchoolYear

# A pending correction has reported: its official figures stand until the bureau decides.
REPORTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.CORRECTION)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A percentage cut (never rounded up) to one decimal, like every share the portal prints
    (reports.templatetags.report_format.percent): 9,999 of 10,000 is 99.9 %, not 100.0 %."""
    if not denominator:
        return None
    return Decimal(int(numerator) * 1000 // int(denominator)) / 10


def expected_to_report(user) -> QuerySet[Kindergarten]:
    """Kindergartens that owe a report: operating (licensed or a community point) with approved
    places. One without places (an estate kindergarten not open yet) has no children to report."""
    return owing_reports(Kindergarten.objects.visible_to(user))


def owing_reports(kindergartens: QuerySet[Kindergarten]) -> QuerySet[Kindergarten]:
    return kindergartens.operating().filter(approved_capacity__gt=0)


def reported_q(start_year: int) -> Q:
    """Kindergartens whose figures for school year `start_year` are official: the one definition
    of "reported" behind every indicator's completeness and the list of missing reports.

    Classes of a kindergarten-year are official by construction (the bureau's import, a first or
    identical submission, an accepted correction, bureau staff; a director's draft lives in
    `EnrollmentSubmission.draft` and never here), so a kindergarten has reported when it has
    classes for the year, or a submitted report (or a pending correction: its official figures
    stand) even without classes. A draft alone, or nothing, is a missing report.
    """
    classes = SchoolClass.objects.filter(kindergarten=OuterRef("pk"), school_year__start_year=start_year)
    submitted = EnrollmentSubmission.objects.filter(
        kindergarten=OuterRef("pk"), school_year__start_year=start_year, status__in=REPORTED
    )
    return Q(Exists(classes)) | Q(Exists(submitted))


def missing_reports(kindergartens: QuerySet[Kindergarten], start_year: int) -> QuerySet[Kindergarten]:
    """`kindergartens` (already scoped) that owe a report for the year and have none official."""
    return owing_reports(kindergartens).exclude(reported_q(start_year))


def days_late(deadline: datetime.date | None, reported_on: datetime.date | None, today: datetime.date) -> int:
    """Days a report came (or still is) after the deadline: the day it was submitted, or today
    while it is not, minus the deadline; 0 when on time or when the year has no deadline."""
    if deadline is None:
        return 0
    return max(0, ((reported_on or today) - deadline).days)


def tracker_queryset(user, school_year: SchoolYear, today: datetime.date | None = None) -> QuerySet[Kindergarten]:
    """Operating kindergartens the user may see, each with its report's status and totals for the year."""
    return with_report(expected_to_report(user), school_year, today)


def with_report(
    kindergartens: QuerySet[Kindergarten], school_year: SchoolYear, today: datetime.date | None = None
) -> QuerySet[Kindergarten]:
    """`kindergartens` (already scoped) annotated with their report for the year, in one query.

    `report_day` is the day the report counts from: the date it was submitted, or `today` while
    it is not (a returned report is a draft again); `report_lateness` is that day minus the year's
    deadline (a duration, negative when early; null without a deadline), so the tracker and the API
    sort and filter on days late in the database.
    """
    today = today or timezone.localdate()
    class_totals = (
        SchoolClass.objects.filter(kindergarten=OuterRef("pk"), school_year=school_year)
        .values("kindergarten")
        .annotate(total=Sum("enrolled"))
        .values("total")
    )
    return (
        kindergartens.select_related("subdistrict")
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__school_year=school_year)))
        .annotate(
            report_status=F("report__status"),
            report_submitted_at=F("report__submitted_at"),
            report_enrolled=Coalesce(Subquery(class_totals, output_field=IntegerField()), 0),
            # Counted in the year's indicators (official figures), whatever the report's status.
            has_official_figures=ExpressionWrapper(reported_q(school_year.start_year), output_field=BooleanField()),
            report_day=Case(
                When(report__status__in=REPORTED, then=TruncDate("report__submitted_at")),
                default=Value(today),
                output_field=DateField(),
            ),
            report_deadline=Value(school_year.submission_due, output_field=DateField()),
            # Sorting by status: the furthest from done first.
            report_rank=Case(
                When(report__status=SubmissionStatus.DRAFT, then=Value(1)),
                When(report__status=SubmissionStatus.CORRECTION, then=Value(2)),
                When(report__status=SubmissionStatus.SUBMITTED, then=Value(3)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            report_lateness=ExpressionWrapper(F("report_day") - F("report_deadline"), output_field=DurationField())
        )
        .order_by("subdistrict__code", "code")
    )


def tracker_counts(user, school_year: SchoolYear) -> list[dict]:
    """Per sub-district: operating kindergartens, how many reported, drafted, not started (one GROUP BY)."""
    rows = list(
        expected_to_report(user)
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__school_year=school_year)))
        .values("subdistrict_id", "subdistrict__name", "subdistrict__code")
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=Q(report__status__in=REPORTED)),
            draft=Count("id", filter=Q(report__status=SubmissionStatus.DRAFT)),
        )
        .order_by("subdistrict__code")
    )
    for row in rows:
        row["missing"] = row["total"] - row["submitted"] - row["draft"]
        row["rate"] = percent(row["submitted"], row["total"])
    return rows


def report_totals(classes: Iterable[SchoolClass], capacity: int) -> dict:
    """One kindergarten-year's totals as the report page shows them."""
    classes = list(classes)
    enrolled = sum(c.enrolled for c in classes if c.class_type != ClassType.TODDLER)
    toddlers = sum(c.enrolled for c in classes if c.class_type == ClassType.TODDLER)
    return {
        "classes": len(classes),
        "enrolled": enrolled,
        "toddlers": toddlers,
        "approved_size": sum(c.approved_size for c in classes),
        "over_limit": sum(1 for c in classes if getattr(c, "over_limit", False)),
        "capacity": capacity,
        # As the seat-utilisation indicator counts it: toddler classes occupy seats too.
        "utilisation": percent(enrolled + toddlers, capacity),
    }


def _class_cells(row: services.ClassRow | None) -> tuple | None:
    return (ClassType(row.class_type).label, row.approved_size, row.enrolled) if row else None


def compare_reports(official: services.Report | None, proposed: services.Report) -> dict:
    """Official figures and a correction side by side: classes by name, then ages and seats."""
    old = {c.name: c for c in (official.classes if official else ())}
    new = {c.name: c for c in proposed.classes}
    class_rows = [
        {
            "name": name,
            "old": _class_cells(old.get(name)),
            "new": _class_cells(new.get(name)),
            "changed": old.get(name) != new.get(name),
        }
        for name in [*old, *(n for n in new if n not in old)]
    ]
    old_ages = official.children_by_age if official else {}
    age_rows = []
    for age in services.AGES:
        before, after = old_ages.get(age), proposed.children_by_age.get(age, 0)
        age_rows.append({"age": age, "old": before, "new": after, "changed": before != after})
    return {
        "classes": class_rows,
        "ages": age_rows,
        "seats": (official.international_seats_used if official else None, proposed.international_seats_used),
        "totals": (sum(c.enrolled for c in old.values()) if official else None, sum(c.enrolled for c in new.values())),
    }


def population_table(user, *, year: int, basis: str) -> tuple[list[dict], dict, int]:
    """Children by sub-district and age for one year: (rows, district totals, sub-districts missing)."""
    cells: dict[int, dict[int, int]] = {}
    for subdistrict_id, age, children in (
        ChildPopulation.objects.visible_to(user)
        .filter(year=year, basis=basis)
        .values_list("subdistrict_id", "age", "children")
    ):
        cells.setdefault(subdistrict_id, {})[age] = children
    rows = []
    for subdistrict in Subdistrict.objects.visible_to(user).order_by("code"):
        counts = cells.get(subdistrict.pk, {})
        rows.append(
            {
                "subdistrict": subdistrict,
                "ages": [counts.get(age) for age in services.POPULATION_AGES],
                "cohort": sum(counts.get(age, 0) for age in (3, 4, 5)) if counts else None,
                "total": sum(counts.values()) if counts else None,
            }
        )
    filled = [r for r in rows if r["total"] is not None]
    totals = {
        "ages": [sum(r["ages"][i] or 0 for r in filled) for i, _age in enumerate(services.POPULATION_AGES)],
        "cohort": sum(r["cohort"] for r in filled),
        "total": sum(r["total"] for r in filled),
    }
    return rows, totals, len(rows) - len(filled)


def population_years(user, basis: str) -> list[int]:
    return sorted(
        set(ChildPopulation.objects.visible_to(user).filter(basis=basis).values_list("year", flat=True).distinct()),
        reverse=True,
    )
