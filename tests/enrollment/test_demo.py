"""The enrolment demo data: every operating kindergarten reports, totals look like Chaoyang, re-runs add nothing."""

import datetime
import random

import pytest
from django.db.models import Count, Sum

from enrollment import demo
from enrollment.choices import SubmissionStatus
from enrollment.models import (
    ChildPopulation,
    ClassSizeLimit,
    EnrollmentByAge,
    EnrollmentSubmission,
    ForecastSetting,
    SchoolClass,
    SchoolYear,
)
from kindergartens import demo as registry_demo
from kindergartens.models import Kindergarten

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    registry_demo.seed(random.Random(2025), today=TODAY)
    demo.seed(random.Random(2025), today=TODAY)


def counts() -> tuple:
    return tuple(
        m.objects.count()
        for m in (SchoolYear, SchoolClass, EnrollmentByAge, EnrollmentSubmission, ChildPopulation, ForecastSetting)
    ) + tuple(m.history.count() for m in (SchoolClass, EnrollmentByAge, ChildPopulation))


def test_it_creates_school_years_and_locks_the_past_ones(seeded):
    years = dict(SchoolYear.objects.values_list("start_year", "locked"))

    assert years == {2021: True, 2022: True, 2023: True, 2024: True, 2025: True, 2026: False}


def test_it_gives_every_operating_kindergarten_a_report_each_past_year(seeded):
    reporting = Kindergarten.objects.operating().filter(approved_capacity__gt=0).count()

    per_year = dict(
        EnrollmentSubmission.objects.values_list("school_year__start_year").annotate(n=Count("id")).order_by()
    )
    statuses = dict(
        EnrollmentSubmission.objects.filter(school_year__start_year=2026)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )

    assert all(per_year[year] == reporting for year in range(2021, 2026))
    assert not EnrollmentSubmission.objects.filter(school_year__start_year__lt=2026, status="draft").exists()
    assert statuses[SubmissionStatus.DRAFT] > 0
    assert statuses[SubmissionStatus.SUBMITTED] > 0.8 * reporting
    assert per_year[2026] < reporting  # some have not started


def test_it_makes_children_by_age_add_up_to_the_classes(seeded):
    by_class = {
        (k, y): n
        for k, y, n in SchoolClass.objects.values("kindergarten", "school_year")
        .annotate(n=Sum("enrolled"))
        .values_list("kindergarten", "school_year", "n")
    }
    by_age = {
        (k, y): n
        for k, y, n in EnrollmentByAge.objects.values("kindergarten", "school_year")
        .annotate(n=Sum("children"))
        .values_list("kindergarten", "school_year", "n")
    }

    assert by_class == by_age


def test_it_looks_like_chaoyang(seeded):
    recent = (
        SchoolClass.objects.filter(school_year__start_year__in=[2023, 2024, 2025])
        .exclude(class_type="toddler")
        .values_list("school_year__start_year")
        .annotate(n=Sum("enrolled"))
    )
    cohort = ChildPopulation.objects.filter(year=2025, age__in=[3, 4, 5]).aggregate(n=Sum("children"))["n"]
    enrolled_2025 = dict(recent)[2025]
    limits = ClassSizeLimit.objects.limits_on(datetime.date(2025, 9, 1))
    classes = list(SchoolClass.objects.filter(school_year__start_year=2025))
    over = sum(1 for c in classes if c.is_over(limits))

    assert all(80_000 <= n <= 100_000 for _year, n in recent)  # domain.md §8: about 85–95k, an estimate
    assert 0.88 <= enrolled_2025 / cohort <= 0.96
    assert 0.02 < over / len(classes) < 0.15
    assert SchoolClass.objects.filter(class_type="toddler").exists()
    assert ChildPopulation.objects.values("year").distinct().count() == 8  # 2019–2026


def test_it_adds_nothing_when_run_again(seeded):
    before = counts()

    summary = demo.seed(random.Random(2025), today=TODAY)

    assert counts() == before
    assert "班级新建 0 个" in summary


def test_it_recreates_only_what_is_missing(seeded):
    kindergarten = Kindergarten.objects.operating().filter(approved_capacity__gt=0).order_by("code").first()
    SchoolClass.objects.filter(kindergarten=kindergarten, school_year__start_year=2024).delete()
    edited = SchoolClass.objects.filter(kindergarten=kindergarten, school_year__start_year=2025).first()
    SchoolClass.objects.filter(pk=edited.pk).update(enrolled=1)

    demo.seed(random.Random(2025), today=TODAY)

    assert SchoolClass.objects.filter(kindergarten=kindergarten, school_year__start_year=2024).exists()
    assert SchoolClass.objects.get(pk=edited.pk).enrolled == 1
