"""Fixtures for the indicator engine's tests: a small district with hand-computable figures.

The statistical date is 2025-10-01, so the school year is 2025–26 and the population year 2025.

望京 (population 3–5: 100 + 100 + 100 = 300 resident; other ages, years and the registered basis
are there to be ignored):

| kg | sponsor / status | licence | capacity | classes 2025 (type: children) |
|----|------------------|---------|----------|-------------------------------|
| A | education bureau (public) | licensed | 200 | small 20, middle 30, senior 36 (over 35), toddler 15 |
| B | private non-profit, recognised until 2025-10-01 (expires ON the date) | licensed | 100 | mixed 25 |
| C | private non-profit, recognised, no expiry | community point | 50 | small 20 |
| D | private for-profit | unlicensed | 80 | small 22 |
| E | education bureau | suspended | 100 | small 10 |

A also has a 2024 class (small 25) that belongs to another school year.

双井: F, sub-district-run (public), licensed, capacity 100, no classes; no population figures.

So 望京: enrolled 86 + 25 + 20 = 131; inclusive 86 + 20 = 106; public 86; children in classes
101 + 25 + 20 = 146 over capacity 350; 6 classes, 1 over its limit; 1 unlicensed kindergarten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from enrollment.choices import ClassType, PopulationBasis
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict
from reports import services
from tests.enrollment.factories import ChildPopulationFactory, SchoolClassFactory, SchoolYearFactory
from tests.factories import KindergartenFactory, subdistrict

DAY = datetime.date(2025, 10, 1)


@dataclass
class District:
    wangjing: Subdistrict
    shuangjing: Subdistrict
    a: Kindergarten
    b: Kindergarten
    c: Kindergarten
    d: Kindergarten
    e: Kindergarten
    f: Kindergarten


def add_classes(kindergarten: Kindergarten, start_year: int, *classes: tuple[str, int]) -> None:
    year = SchoolYearFactory(start_year=start_year)
    for class_type, enrolled in classes:
        SchoolClassFactory(
            kindergarten=kindergarten, school_year=year, class_type=class_type, enrolled=enrolled, approved_size=30
        )


def add_population(sub: Subdistrict, year: int, ages: dict[int, int], basis: str = PopulationBasis.RESIDENT) -> None:
    for age, children in ages.items():
        ChildPopulationFactory(subdistrict=sub, year=year, age=age, children=children, basis=basis)


def private(**kwargs) -> Kindergarten:
    kwargs.setdefault("sponsor_type", SponsorType.PRIVATE_NONPROFIT)
    kwargs.setdefault("inclusive_status", InclusiveStatus.INCLUSIVE_PRIVATE)
    kwargs.setdefault("recognition_date", datetime.date(2022, 9, 1))
    return KindergartenFactory(**kwargs)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The persona users are created with passwords; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db) -> District:
    wangjing, shuangjing = subdistrict("望京"), subdistrict("双井")
    a = KindergartenFactory(subdistrict=wangjing, approved_capacity=200)
    b = private(subdistrict=wangjing, approved_capacity=100, recognition_expiry=DAY)
    c = private(subdistrict=wangjing, approved_capacity=50, licence_status=LicenceStatus.COMMUNITY_POINT)
    d = KindergartenFactory(
        subdistrict=wangjing,
        approved_capacity=80,
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
        licence_status=LicenceStatus.UNLICENSED,
    )
    e = KindergartenFactory(subdistrict=wangjing, approved_capacity=100, licence_status=LicenceStatus.SUSPENDED)
    f = KindergartenFactory(subdistrict=shuangjing, approved_capacity=100, sponsor_type=SponsorType.SUBDISTRICT)

    add_classes(a, 2025, (ClassType.SMALL, 20), (ClassType.MIDDLE, 30), (ClassType.SENIOR, 36), (ClassType.TODDLER, 15))
    add_classes(a, 2024, (ClassType.SMALL, 25))
    add_classes(b, 2025, (ClassType.MIXED, 25))
    add_classes(c, 2025, (ClassType.SMALL, 20))
    add_classes(d, 2025, (ClassType.SMALL, 22))
    add_classes(e, 2025, (ClassType.SMALL, 10))

    add_population(wangjing, 2025, {3: 100, 4: 100, 5: 100, 6: 999})
    add_population(wangjing, 2024, {3: 1000, 4: 1000, 5: 1000})
    add_population(wangjing, 2025, {3: 500}, basis=PopulationBasis.REGISTERED)
    return District(wangjing, shuangjing, a, b, c, d, e, f)


@pytest.fixture
def fake_report(monkeypatch, tmp_path) -> list:
    """Stands in for `reports.pdf` (rendered by another module's tests): records the calls and
    writes a small file, so the computation's tests do not spend seconds in WeasyPrint."""
    calls: list = []

    def render_report_file(*, date, subdistrict=None):
        calls.append((date, subdistrict))
        path = tmp_path / f"report-{date.isoformat()}.pdf"
        path.write_bytes(b"%PDF-1.7\n")
        return path

    monkeypatch.setattr(services, "render_report_file", render_report_file)
    return calls


def indicators_per(scope_type: str) -> int:
    """How many registered indicators exist for a scope type (each app adds its own)."""
    from reports import registry

    return sum(1 for definition in registry.definitions() if definition.exists_for(scope_type))


def snapshots_per_date() -> int:
    """One snapshot per indicator and scope: the district, the 43 sub-districts, the 8 sponsor types."""
    from reports.choices import ScopeType

    return (
        indicators_per(ScopeType.DISTRICT)
        + 43 * indicators_per(ScopeType.SUBDISTRICT)
        + 8 * indicators_per(ScopeType.OWNERSHIP)
    )
