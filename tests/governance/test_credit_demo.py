"""The credit demo data: every level, appeal state and an exit; re-runnable without adding."""

from __future__ import annotations

import random

import pytest

from governance import demo
from governance.models import CreditAppeal, CreditEvent, CreditExit, CreditLevelChange, CreditRecord
from governance.services import credit_refresh

from .test_demo import TODAY, demo_registry  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_rates_every_private_kindergarten_in_every_state(demo_registry):  # noqa: F811
    demo.seed(random.Random(2025), today=TODAY)
    assert CreditRecord.objects.count() == 15
    assert {"A", "B", "C", "D"} <= set(CreditRecord.objects.values_list("level", flat=True))
    assert set(CreditAppeal.objects.values_list("status", flat=True)) == {"pending", "upheld", "dismissed"}
    assert CreditExit.objects.get().transfers.count() == 2
    assert CreditEvent.objects.filter(kind="commendation").count() == 2
    assert CreditRecord.objects.exclude(sponsor_name="").count() == 15
    credit_refresh(day=TODAY)  # the names are the registry's: a later refresh keeps them
    assert CreditRecord.objects.exclude(sponsor_name="").count() == 15
    models = (CreditRecord, CreditEvent, CreditAppeal, CreditExit, CreditLevelChange)
    counts = [m.objects.count() for m in models]
    demo.seed(random.Random(2025), today=TODAY)
    assert [m.objects.count() for m in models] == counts
