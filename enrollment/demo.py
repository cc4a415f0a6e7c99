"""Demo data for enrolment: school years, classes, children by age, submissions, child population.

`manage.py seed_demo` calls `seed(rng)` after the registry (kindergartens.demo) exists. What it
makes, sized after docs/domain.md §8:

- school years from 2021–2022 to the current one, each with a submission due date; past years
  are reconciled and locked;
- for every operating kindergarten with approved places, every year: small, middle and senior
  classes (mixed-age classes in community points, a toddler class from 2022 where the
  kindergarten runs them) filled close to the class-size limits, some over them; children by
  age that add up to the classes; international seats used where there are any. Public
  kindergartens run full, recognised inclusive ones nearly so, fee-charging ones less, and a
  few inclusive ones far below capacity (the "underused" warning). District-wide about
  85,000–95,000 children, easing slowly as birth cohorts shrink;
- submissions: every past year submitted; the current year mostly submitted, some drafts,
  some not started (the demo director's own kindergarten is a draft, ready to submit);
- resident children by sub-district and age (0–6) for 2019 onwards, built from a births series
  so cohorts move up year by year, and sized so the district's gross enrolment rate lands near
  90 %, rising over the years, with the fast-growing area offices short of places.

Deterministic: each kindergarten and each sub-district draws from its own generator derived from
`rng` and its code, so the same seed gives the same rows whatever else is in the database.
Idempotent: only (kindergarten, year) reports and population rows that are missing are created;
data already there (perhaps edited while trying the portal) is left alone. Bulk inserts with
history rows (`enrollment.bulk`), so the whole district seeds in seconds.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten, Subdistrict

from .bulk import insert_with_history
from .choices import ClassType, PopulationBasis, SubmissionStatus
from .models import (
    ChildPopulation,
    ClassSizeLimit,
    EnrollmentByAge,
    EnrollmentSubmission,
    ForecastSetting,
    SchoolClass,
    SchoolYear,
)
from .services import AGE_FIELDS, CLASS_FIELDS, POPULATION_FIELDS, ClassRow, Report

CHANGE_REASON = "演示数据"
FIRST_SCHOOL_YEAR = 2021
FIRST_POPULATION_YEAR = 2019
DEMO_DIRECTOR = "director"

# Relative births per calendar year (2016 = 1): Beijing's second-child peak, then the decline.
BIRTHS = {
    2012: 0.90, 2013: 0.92, 2014: 0.95, 2015: 0.93, 2016: 1.00, 2017: 1.04, 2018: 0.97, 2019: 0.95,
    2020: 0.90, 2021: 0.87, 2022: 0.84, 2023: 0.83, 2024: 0.86, 2025: 0.82, 2026: 0.80,
}  # fmt: skip
REFERENCE_YEAR = 2025  # the year the population is sized against
# How strongly enrolment follows the cohort: kindergartens fill what they can, so less than fully.
ENROLMENT_ELASTICITY = 0.5
# Gross enrolment rate per sub-district in the reference year: most near or above the target,
# the fast-growing area offices in the north-east and south-east short of places.
SHORT_SUBDISTRICTS = ("来广营", "十八里店", "东坝", "常营", "孙河", "崔各庄", "金盏", "三间房")
RATE_SHORT = (0.78, 0.87)
RATE_OTHER = (0.91, 1.04)

# Current-year report status mix (past years are all submitted).
CURRENT_DRAFT = 0.06
CURRENT_MISSING = 0.04

# Share of children by grade, and the ages in each class type (age: share).
GRADE_SHARES = ((ClassType.SMALL, 0.32), (ClassType.MIDDLE, 0.33), (ClassType.SENIOR, 0.35))
AGE_MIX = {
    ClassType.TODDLER: ((2, 0.9), (3, 0.1)),
    ClassType.SMALL: ((3, 0.85), (4, 0.15)),
    ClassType.MIDDLE: ((4, 0.85), (5, 0.15)),
    ClassType.SENIOR: ((5, 0.8), (6, 0.2)),
    ClassType.MIXED: ((3, 0.34), (4, 0.33), (5, 0.33)),
}
CLASS_PREFIX = {
    ClassType.TODDLER: "托",
    ClassType.SMALL: "小",
    ClassType.MIDDLE: "中",
    ClassType.SENIOR: "大",
    ClassType.MIXED: "混龄",
}
NUMERALS = "一二三四五六七八九十"
FALLBACK_LIMITS = {
    ClassType.TODDLER: 20,
    ClassType.SMALL: 25,
    ClassType.MIDDLE: 30,
    ClassType.SENIOR: 35,
    ClassType.MIXED: 30,
}


def births(year: int) -> float:
    if year in BIRTHS:
        return BIRTHS[year]
    edge = min(BIRTHS) if year < min(BIRTHS) else max(BIRTHS)
    return BIRTHS[edge] * (0.98 ** abs(year - edge))


def cohort_index(year: int) -> float:
    """Relative resident children aged 3–5 in a year (born 3 to 5 years before)."""
    return sum(births(year - age) for age in (3, 4, 5))


def enrolment_trend(year: int) -> float:
    return (cohort_index(year) / cohort_index(REFERENCE_YEAR)) ** ENROLMENT_ELASTICITY


def class_name(class_type: str, number: int) -> str:
    numeral = NUMERALS[number - 1] if number <= 10 else f"十{NUMERALS[number - 11]}"
    return f"{CLASS_PREFIX[class_type]}{numeral}班"


def _split(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole numbers differing by at most one, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def _apportion(total: int, shares: tuple[tuple[int, float], ...]) -> dict[int, int]:
    """Largest-remainder apportionment: whole children by age that add up to `total` exactly."""
    raw = [(age, total * share) for age, share in shares]
    counts = {age: int(value) for age, value in raw}
    leftover = total - sum(counts.values())
    for age, _value in sorted(raw, key=lambda r: r[1] - int(r[1]), reverse=True)[:leftover]:
        counts[age] += 1
    return counts


@dataclass
class YearReport:
    classes: list[tuple[str, str, int, int]] = field(default_factory=list)  # type, name, approved, enrolled
    children_by_age: dict[int, int] = field(default_factory=dict)
    status: str | None = SubmissionStatus.SUBMITTED  # None: not started (no data at all)
    submitted_at: datetime.datetime | None = None
    international_seats_used: int = 0

    @property
    def enrolled(self) -> int:
        return sum(c[3] for c in self.classes if c[0] != ClassType.TODDLER)

    def working_copy(self) -> dict:
        """The figures as a director's saved draft (`EnrollmentSubmission.draft`)."""
        return Report.of(
            (ClassRow(*c) for c in self.classes), self.children_by_age, self.international_seats_used
        ).to_json()


def _utilisation(rng: random.Random, kindergarten: Kindergarten, today: datetime.date) -> float:
    """How full the kindergarten runs: public ones full, fee-charging ones less, a few inclusive ones half-empty."""
    if kindergarten.licence_status == LicenceStatus.COMMUNITY_POINT:
        return rng.uniform(0.85, 1.0)
    if kindergarten.is_public:
        # Public kindergartens take children beyond their approved places where demand presses.
        return rng.uniform(1.02, 1.1)
    if kindergarten.is_inclusive_on(today):
        return rng.uniform(0.42, 0.58) if rng.random() < 0.08 else rng.uniform(0.92, 1.04)
    return rng.uniform(0.68, 0.95)


def plan_kindergarten(
    kindergarten: Kindergarten,
    start_years: list[int],
    current: int,
    limits: dict[int, dict[str, int]],
    base_seed: int,
    today: datetime.date,
    *,
    keep_draft: bool = False,
) -> dict[int, YearReport]:
    """Every year's report of one kindergarten, from its own random generator."""
    rng = random.Random(f"{base_seed}:{kindergarten.code}")
    utilisation = _utilisation(rng, kindergarten, today)
    crowded = rng.random() < 0.12  # fits its children into fewer classes than the limits allow
    status_draw = rng.random()
    reports: dict[int, YearReport] = {}
    for start in start_years:
        year_limits = limits[start]
        report = YearReport()
        children = round(
            kindergarten.approved_capacity * utilisation * enrolment_trend(start) * rng.uniform(0.98, 1.02)
        )
        children = max(children, 8)
        if kindergarten.licence_status == LicenceStatus.COMMUNITY_POINT:
            grades = [(ClassType.MIXED, children)]
        else:
            grades = [(t, round(children * share)) for t, share in GRADE_SHARES]
        for class_type, grade_children in grades:
            limit = year_limits.get(class_type, FALLBACK_LIMITS[class_type])
            count = max(1, math.ceil(grade_children / limit))
            if crowded and count > 1:
                count -= 1
            for number, size in enumerate(_split(grade_children, count), start=1):
                report.classes.append((class_type, class_name(class_type, number), limit, size))
        if kindergarten.has_toddler_classes and start >= FIRST_SCHOOL_YEAR + 1:
            limit = year_limits.get(ClassType.TODDLER, FALLBACK_LIMITS[ClassType.TODDLER])
            report.classes.append((ClassType.TODDLER, class_name(ClassType.TODDLER, 1), limit, rng.randint(12, limit)))
        by_age: dict[int, int] = defaultdict(int)
        for class_type, _name, _limit, size in report.classes:
            for age, count in _apportion(size, AGE_MIX[class_type]).items():
                by_age[age] += count
        report.children_by_age = {age: by_age.get(age, 0) for age in (2, 3, 4, 5, 6)}
        if kindergarten.international_seats:
            report.international_seats_used = round(kindergarten.international_seats * rng.uniform(0.6, 1.0))
        due = datetime.date(start, 10, 31)
        # Most report in the 40 days before the deadline; about one in seven up to a week late.
        submitted_on = due + datetime.timedelta(days=rng.randint(-40, 7))
        report.submitted_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10)))
        if start == current:
            if keep_draft or status_draw < CURRENT_DRAFT:
                report.status, report.submitted_at = SubmissionStatus.DRAFT, None
            elif status_draw < CURRENT_DRAFT + CURRENT_MISSING:
                report.status, report.submitted_at, report.classes = None, None, []
            elif today < submitted_on:
                report.status, report.submitted_at = SubmissionStatus.DRAFT, None
        reports[start] = report
    return reports


def plan_population(
    subdistrict: Subdistrict, enrolled_reference: int, years: list[int], base_seed: int
) -> tuple[dict[tuple[int, int], int], Decimal]:
    """Resident children per (year, age 0–6) of one sub-district, and its migration factor.

    Sized so that the children enrolled in the reference year divided by that year's 3–5 cohort
    is the sub-district's gross enrolment rate; cohorts move up with the migration factor.
    """
    rng = random.Random(f"{base_seed}:population:{subdistrict.code}")
    rate = rng.uniform(*(RATE_SHORT if subdistrict.name in SHORT_SUBDISTRICTS else RATE_OTHER))
    migration = rng.uniform(1.0, 1.04) if subdistrict.name in SHORT_SUBDISTRICTS else rng.uniform(0.97, 1.02)
    cohort = max(enrolled_reference, 50) / rate
    level = cohort / sum(births(REFERENCE_YEAR - age) * migration**age for age in (3, 4, 5))
    figures = {}
    for year in years:
        for age in range(7):
            figures[(year, age)] = round(level * births(year - age) * migration**age * rng.uniform(0.985, 1.015))
    return figures, Decimal(f"{migration:.3f}")


def _school_years(start_years: list[int], current: int) -> tuple[dict[int, SchoolYear], list[SchoolYear]]:
    existing = {y.start_year: y for y in SchoolYear.objects.filter(start_year__in=start_years)}
    new = [
        SchoolYear(
            start_year=start, submission_due=datetime.date(start, 10, 31), statistics_date=datetime.date(start, 10, 15)
        )
        for start in start_years
        if start not in existing
    ]
    bulk_create_with_history(new, SchoolYear, default_change_reason=CHANGE_REASON)
    years = {y.start_year: y for y in SchoolYear.objects.filter(start_year__in=start_years)}
    # Past years are reconciled and locked, but only those made here: a year someone unlocked stays open.
    return years, [years[y.start_year] for y in new if y.start_year < current]


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    """Creates the missing demo enrolment and population data; returns a one-line summary."""
    today = today or timezone.localdate()
    current = SchoolYear.start_year_for(today)
    base_seed = rng.randrange(2**32)
    start_years = list(range(FIRST_SCHOOL_YEAR, current + 1))
    years, to_lock = _school_years(start_years, current)
    limits = {start: ClassSizeLimit.objects.limits_on(datetime.date(start, 9, 1)) for start in start_years}

    kindergartens = list(
        Kindergarten.objects.operating().filter(approved_capacity__gt=0).select_related("subdistrict").order_by("code")
    )
    director_kindergarten = (
        User.objects.filter(username=DEMO_DIRECTOR).values_list("kindergarten_id", flat=True).first()
    )
    year_ids = [y.pk for y in years.values()]
    have_classes = set(
        SchoolClass.objects.filter(school_year_id__in=year_ids).values_list("kindergarten_id", "school_year_id")
    )
    have_ages = set(
        EnrollmentByAge.objects.filter(school_year_id__in=year_ids).values_list("kindergarten_id", "school_year_id")
    )
    have_submissions = set(
        EnrollmentSubmission.objects.filter(school_year_id__in=year_ids).values_list(
            "kindergarten_id", "school_year_id"
        )
    )

    classes, ages, submissions = [], [], []
    enrolled_reference: dict[int, int] = defaultdict(int)
    total_enrolled: dict[int, int] = defaultdict(int)
    for kindergarten in kindergartens:
        reports = plan_kindergarten(
            kindergarten,
            start_years,
            current,
            limits,
            base_seed,
            today,
            keep_draft=kindergarten.pk == director_kindergarten,
        )
        for start, report in reports.items():
            total_enrolled[start] += report.enrolled
            if start == REFERENCE_YEAR or (start == current and current < REFERENCE_YEAR):
                enrolled_reference[kindergarten.subdistrict_id] += report.enrolled
            if report.status is None:
                continue
            key = (kindergarten.pk, years[start].pk)
            # A draft is the director's working copy: it holds the figures, the official rows stay empty.
            draft = report.working_copy() if report.status == SubmissionStatus.DRAFT else None
            if draft is None and key not in have_classes:
                classes.extend((*key, *c) for c in report.classes)
            if draft is None and key not in have_ages:
                ages.extend((*key, age, children) for age, children in report.children_by_age.items())
            if key not in have_submissions:
                seats = 0 if draft else report.international_seats_used
                submissions.append((*key, report.status, report.submitted_at, seats, draft))
    insert_with_history(SchoolClass, CLASS_FIELDS, classes, reason=CHANGE_REASON)
    insert_with_history(EnrollmentByAge, AGE_FIELDS, ages, reason=CHANGE_REASON)
    submission_fields = (
        "kindergarten_id",
        "school_year_id",
        "status",
        "submitted_at",
        "international_seats_used",
        "draft",
    )
    insert_with_history(EnrollmentSubmission, submission_fields, submissions, reason=CHANGE_REASON)

    population_years = list(range(FIRST_POPULATION_YEAR, current + 1))
    have_population = set(
        ChildPopulation.objects.filter(year__in=population_years, basis=PopulationBasis.RESIDENT).values_list(
            "subdistrict_id", "year", "age"
        )
    )
    have_settings = set(ForecastSetting.objects.values_list("subdistrict_id", flat=True))
    population, settings = [], []
    for subdistrict in Subdistrict.objects.order_by("code"):
        figures, migration = plan_population(
            subdistrict, enrolled_reference.get(subdistrict.pk, 0), population_years, base_seed
        )
        population.extend(
            (subdistrict.pk, year, PopulationBasis.RESIDENT.value, age, children)
            for (year, age), children in figures.items()
            if (subdistrict.pk, year, age) not in have_population
        )
        if subdistrict.pk not in have_settings:
            settings.append(ForecastSetting(subdistrict=subdistrict, migration_factor=migration))
    insert_with_history(ChildPopulation, POPULATION_FIELDS, population, reason=CHANGE_REASON)
    bulk_create_with_history(settings, ForecastSetting, default_change_reason=CHANGE_REASON)

    for school_year in to_lock:
        school_year.locked, school_year.locked_at = (
            True,
            timezone.make_aware(datetime.datetime(school_year.start_year + 1, 9, 1, 9)),
        )
        school_year._change_reason = CHANGE_REASON
        school_year.save(update_fields=["locked", "locked_at"])

    return (
        f"学年 {len(start_years)} 个，班级新建 {len(classes)} 个，报送新建 {len(submissions)} 份，"
        f"人口数据新建 {len(population)} 条；{current}学年在园幼儿（不含托班）{total_enrolled[current]:,} 人"
    )
