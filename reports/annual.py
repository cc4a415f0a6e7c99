"""The annual series: one statistical date per school year, kept apart from the nightly series.

**What makes a snapshot annual.** Its date is the statistical date of a school year
(`enrollment.SchoolYear.statistics_date`, e.g. 15 October, set per year by the bureau). That is
the whole rule: the nightly job writes a snapshot for every day it runs, the annual series is
the snapshots on those dates only (`annual_dates()`), and the trend panel and the report's trend
read nothing else. A nightly run that happens to fall on a statistical date computes the same
figures as the backfill would (the same engine, the same date), so it *is* that year's point.
Changing a year's statistical date moves its point: the old date's snapshots become ordinary
nightly ones, and the next backfill computes the new date.

**Backfill** (`backfill()`, ``manage.py compute_indicators --backfill``): for every school year
that has data (an enrolment report or a class) and whose statistical date has passed, compute that
date with `reports.services.compute_indicators` (the nightly job's own computation, so a
backfilled point equals a fresh computation of its date). ``missing_only`` skips the dates that
already have snapshots, which is what the set-up (``dev.sh start``) runs; the PDF of a past date
is not rendered (``report=False``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from accounts.scoping import SYSTEM
from enrollment.models import EnrollmentSubmission, SchoolClass, SchoolYear

from .models import ComputationRun, IndicatorSnapshot


@dataclass(frozen=True)
class AnnualDate:
    start_year: int
    date: datetime.date

    @property
    def label(self) -> str:
        """The school year as "2025–2026"."""
        return f"{self.start_year}–{self.start_year + 1}"


def annual_dates() -> dict[datetime.date, AnnualDate]:
    """Every school year's statistical date (the dates of the annual series), by date: one query."""
    rows = SchoolYear.objects.exclude(statistics_date=None).values_list("start_year", "statistics_date")
    return {day: AnnualDate(start_year, day) for start_year, day in rows}


def dates_to_backfill(today: datetime.date) -> list[AnnualDate]:
    """The statistical dates of the school years with data, up to `today`, oldest first."""
    with_data = Exists(EnrollmentSubmission.objects.filter(school_year=OuterRef("pk"))) | Exists(
        SchoolClass.objects.filter(school_year=OuterRef("pk"))
    )
    rows = (
        SchoolYear.objects.filter(with_data, statistics_date__lte=today)
        .order_by("statistics_date")
        .values_list("start_year", "statistics_date")
    )
    return [AnnualDate(start_year, day) for start_year, day in rows]


def backfill(*, today: datetime.date, missing_only: bool = False) -> list[ComputationRun]:
    """Compute the annual figures of every school year with data (see module doc); the runs, oldest first."""
    from .services import compute_indicators  # services imports the engine; keep this module light

    wanted = dates_to_backfill(today)
    if missing_only:
        done = set(
            IndicatorSnapshot.objects.filter(date__in=[a.date for a in wanted])
            .values_list("date", flat=True)
            .distinct()
        )
        wanted = [a for a in wanted if a.date not in done]
    return [compute_indicators(date=a.date, user=SYSTEM, report=False) for a in wanted]
