"""Fixtures of the staff tests: kindergarten A staffed to the standard for 2 classes of 24 children."""

import datetime

import pytest
from django.utils import timezone

from enrollment.models import SchoolYear
from staff.choices import CertificateKind, StaffRole
from tests.enrollment.factories import SchoolClassFactory, SchoolYearFactory

from .factories import CertificateFactory, StaffMemberFactory


def this_year():
    return SchoolYearFactory(start_year=SchoolYear.start_year_for(timezone.localdate()))


def add_classes(kindergarten, *enrolled: int, year=None):
    year = year or this_year()
    return [SchoolClassFactory(kindergarten=kindergarten, school_year=year, enrolled=n) for n in enrolled]


def add_staff(kindergarten, role=StaffRole.TEACHER, n=1, *, certified=True, full_time=True, **post):
    """`n` current posts of `role`; principals and teachers get their required certificates."""
    posts = []
    for _ in range(n):
        post_ = StaffMemberFactory(kindergarten=kindergarten, role=role, full_time=full_time, **post)
        if certified and role in (StaffRole.TEACHER, StaffRole.PRINCIPAL, StaffRole.DEPUTY_PRINCIPAL):
            CertificateFactory(person=post_.person, kind=CertificateKind.TEACHER)
            if role != StaffRole.TEACHER:
                CertificateFactory(person=post_.person, kind=CertificateKind.PRINCIPAL)
        posts.append(post_)
    return posts


def staff_to_standard(kindergarten):
    """2 classes of 24 children; a principal, 4 teachers, 2 caregivers, a health worker, a cook:
    every check met (48 ≤ 9 × 7, 48 ≤ 6 × 9, 4 teachers and 6 carers for 2 classes, …)."""
    add_classes(kindergarten, 24, 24)
    add_staff(kindergarten, StaffRole.PRINCIPAL)
    add_staff(kindergarten, StaffRole.TEACHER, 4)
    add_staff(kindergarten, StaffRole.CAREGIVER, 2)
    add_staff(kindergarten, StaffRole.HEALTH)
    add_staff(kindergarten, StaffRole.COOK)


@pytest.fixture
def staffed_a(kg_a):
    staff_to_standard(kg_a)
    return kg_a


@pytest.fixture
def today():
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
