"""The governance demo data: every state covered, valid rows, re-runnable."""

from __future__ import annotations

import datetime
import random

import pytest

from accounts.models import User
from governance import demo
from governance.choices import AlertStatus, RecognitionStatus
from governance.models import AidRecipient, Disbursement, FeeAlert, FeeFiling, NewPlace, Recognition, RentedPremises
from kindergartens.choices import InclusiveStatus, SponsorType
from tests.factories import KindergartenFactory

from .conftest import add_classes

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 11, 10)


@pytest.fixture
def demo_registry(wangjing):
    def kg(n: int, **fields):
        return KindergartenFactory(code=f"DEMO-{n:04d}", subdistrict=wangjing, **fields)

    public = [kg(n) for n in range(3)]
    inclusive = [
        kg(
            10 + n,
            sponsor_type=SponsorType.PRIVATE_NONPROFIT,
            inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
            recognition_date=TODAY - datetime.timedelta(days=days),
            recognition_expiry=TODAY - datetime.timedelta(days=days) + datetime.timedelta(days=3 * 365),
        )
        for n, days in enumerate([100, 400, 1080, 1100, 1120, 1150, 1200])
    ]
    waiting = [
        kg(30 + n, sponsor_type=SponsorType.PRIVATE_NONPROFIT, inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE)
        for n in range(8)
    ]
    for k in public + inclusive + waiting:
        add_classes(k, 2025, small=20, senior=25)
        add_classes(k, 2024, small=20, senior=25)
    return public, inclusive, waiting


def test_it_covers_every_state_and_runs_again_without_adding(demo_registry):
    demo.seed(random.Random(2025), today=TODAY)
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert statuses == set(RecognitionStatus.values)
    assert Recognition.objects.expiring(TODAY, 90).exists()
    assert Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, valid_to__lte=TODAY).exists()
    assert set(FeeAlert.objects.values_list("status", flat=True)) == {AlertStatus.OPEN, AlertStatus.RESOLVED}
    assert FeeFiling.objects.exists() and Disbursement.objects.exists()
    assert NewPlace.objects.exists() and RentedPremises.objects.exists()
    assert User.objects.get(username="director_private").kindergarten.sponsor_type == SponsorType.PRIVATE_NONPROFIT
    models = (Recognition, FeeFiling, FeeAlert, Disbursement, AidRecipient, NewPlace, RentedPremises)
    counts = [m.objects.count() for m in models]
    demo.seed(random.Random(2025), today=TODAY)
    assert [m.objects.count() for m in models] == counts
    for recognition in Recognition.objects.all():
        recognition.full_clean()
