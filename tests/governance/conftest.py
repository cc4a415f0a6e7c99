"""Fixtures of the governance tests: a non-profit private kindergarten P in 望京 with its
director, classes of the school year, and the seeded policies (the data migration's)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from accounts.choices import Role
from enrollment.choices import ClassType
from enrollment.models import SchoolClass, SchoolYear
from governance import services
from governance.choices import KindergartenGrade, Opinion
from governance.models import RecognitionPolicy
from kindergartens.choices import InclusiveStatus, SponsorType
from tests.factories import KindergartenFactory, UserFactory

DAY = datetime.date(2025, 10, 15)


@pytest.fixture
def kg_p(wangjing):
    return KindergartenFactory(
        code="KGP0001",
        name="望京启航幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )


@pytest.fixture
def director_p(kg_p):
    return UserFactory(username="director_p", role=Role.DIRECTOR, kindergarten=kg_p)


def all_conditions(day: datetime.date = DAY) -> list[str]:
    return list(RecognitionPolicy.objects.for_day(day).conditions)


def add_classes(kindergarten, start_year: int, **children_by_type: int):
    """One class per type with that many children, in the school year starting `start_year`."""
    year, _ = SchoolYear.objects.get_or_create(start_year=start_year)
    for class_type, enrolled in children_by_type.items():
        SchoolClass.objects.create(
            kindergarten=kindergarten,
            school_year=year,
            class_type=ClassType(class_type),
            name=f"{class_type}1",
            approved_size=35,
            enrolled=enrolled,
        )


def recognised(kindergarten, director, bureau, *, valid_from=DAY, grade=KindergartenGrade.FIRST):
    """A recognition through the whole journey up to recognised, from `valid_from`."""
    recognition = services.recognition_apply(
        kindergarten=kindergarten,
        user=director,
        grade=grade,
        monthly_fee=Decimal("700"),
        conditions_met=all_conditions(valid_from),
        day=valid_from,
    )
    services.recognition_record_opinion(recognition=recognition, user=bureau, opinion=Opinion.AGREE, note="街道同意")
    return services.recognition_recognise(recognition=recognition, user=bureau, valid_from=valid_from)
