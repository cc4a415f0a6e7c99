"""The enforcement demo data: orders in every state, a case per unlicensed registry kindergarten
plus closed and converted ones, conduct cases; deterministic and idempotent."""

import datetime
import random

import pytest

from accounts.choices import Role
from inspections import demo
from inspections.choices import OPEN_UNLICENSED_STATUSES, CaseStatus, OrderStatus, UnlicensedCaseStatus
from inspections.models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from kindergartens.choices import LicenceStatus
from tests.factories import KindergartenFactory, UserFactory, subdistrict

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 1)


@pytest.fixture
def registry(db):
    kindergartens = KindergartenFactory.create_batch(12, subdistrict=subdistrict("望京"))
    kindergartens += KindergartenFactory.create_batch(9, subdistrict=subdistrict("双井"))
    unlicensed = KindergartenFactory.create_batch(
        3, subdistrict=subdistrict("劲松"), licence_status=LicenceStatus.UNLICENSED
    )
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)
    UserFactory(username="director", role=Role.DIRECTOR, kindergarten=kindergartens[0])
    inspector = UserFactory(username="inspector", role=Role.INSPECTOR)
    inspector.assigned_kindergartens.set(kindergartens[12:16])
    return bureau, kindergartens, unlicensed


def records() -> tuple:
    orders = sorted(
        RectificationOrder.objects.values_list("kindergarten__code", "reason", "status", "issued_on", "deadline")
    )
    cases = sorted(UnlicensedCase.objects.values_list("name", "status", "discovered_on"))
    conduct = sorted(ConductCase.objects.values_list("kind", "subdistrict__name", "status", "reported_on"))
    return orders, cases, conduct


def test_it_seeds_orders_cases_and_conduct_cases(registry):
    bureau, kindergartens, unlicensed = registry
    summary = demo.seed_enforcement(random.Random(2025), bureau, TODAY)
    assert "整改通知 15 份" in summary
    statuses = [o.status for o in RectificationOrder.objects.all()]
    assert statuses.count(OrderStatus.PENALISED) == 2 and statuses.count(OrderStatus.RECTIFIED) == 4
    overdue = RectificationOrder.objects.overdue(TODAY)
    assert overdue.count() == 4 and all(o.follow_ups.exists() for o in overdue)
    assert all(o.follow_ups.count() == 2 for o in RectificationOrder.objects.filter(status=OrderStatus.RECTIFIED))
    # The demo director's kindergarten and the inspector's have orders to look at.
    assert RectificationOrder.objects.filter(kindergarten=kindergartens[0]).exists()
    assert RectificationOrder.objects.filter(issued_by__username="inspector").exists()

    # Each unlicensed registry kindergarten is an open case; four more are closed or converted.
    linked = UnlicensedCase.objects.exclude(kindergarten=None)
    assert set(linked.values_list("kindergarten", flat=True)) == {k.pk for k in unlicensed}
    assert all(c.status in OPEN_UNLICENSED_STATUSES for c in linked)
    resolved = UnlicensedCase.objects.filter(kindergarten=None)
    assert set(resolved.values_list("status", flat=True)) == {
        UnlicensedCaseStatus.CLOSED,
        UnlicensedCaseStatus.CONVERTED,
    }
    assert resolved.count() == 4

    conduct = ConductCase.objects.all()
    assert conduct.count() == 8
    assert {c.status for c in conduct} == {CaseStatus.OPEN, CaseStatus.CLOSED}
    for row in (*RectificationOrder.objects.all(), *UnlicensedCase.objects.all(), *conduct):
        row.full_clean()


def test_it_is_idempotent_and_deterministic(registry):
    bureau = registry[0]
    demo.seed_enforcement(random.Random(2025), bureau, TODAY)
    first = records()
    visits = FollowUpVisit.objects.count()
    demo.seed_enforcement(random.Random(2025), bureau, TODAY)
    assert records() == first and FollowUpVisit.objects.count() == visits

    # A newly unlicensed kindergarten gets its case on the next run, nothing else changes.
    extra = KindergartenFactory(subdistrict=subdistrict("劲松"), licence_status=LicenceStatus.UNLICENSED)
    demo.seed_enforcement(random.Random(2025), bureau, TODAY)
    assert UnlicensedCase.objects.count() == len(first[1]) + 1
    assert records()[0] == first[0] and records()[2] == first[2]

    # Same generator and registry, same data.
    FollowUpVisit.objects.all().delete()
    RectificationOrder.objects.all().delete()
    UnlicensedCase.objects.all().delete()
    ConductCase.objects.all().delete()
    extra.delete()
    demo.seed_enforcement(random.Random(2025), bureau, TODAY)
    assert records() == first


def test_the_full_seed_runs_it(registry):
    demo.seed(random.Random(2025), today=TODAY)
    assert RectificationOrder.objects.exists() and UnlicensedCase.objects.exists() and ConductCase.objects.exists()
