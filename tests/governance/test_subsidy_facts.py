"""The new-place and rent subsidies on hand-computed cases, from the facts recorded for them, and
who may record those facts.

Rule (seeded, 2018): ¥10,000 per new place, rent ¥5 per m² and day. P: first grade, recognised
from 2024-09-01, 20 children in small classes (¥1,000 each a month).

November 2024 (30 days):
- base: 20 × 1,000 = 20,000.00
- new places: 30 approved 2024-11-05 → 300,000.00 (one-off, whole amount in the month)
- rent: lease A 1,000 m² until 2024-11-10 (included) → 10 days × 1,000 × 5 = 50,000.00;
  lease B 200.5 m² from 2024-11-21 → 10 days × 200.5 × 5 = 10,025.00; together 60,025.00
- total 380,025.00; December: base 20,000 + lease B 31 days × 200.5 × 5 = 31,077.50 → 51,077.50
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.choices import KindergartenGrade
from governance.models import NewPlace, Recognition, RentedPremises
from governance.subsidies import entitlements, overlap_days
from tests.conftest import client_for

from .conftest import add_classes, recognised

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(2024, 11, 1)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def facts(kg_p, director_p, bureau_official):
    add_classes(kg_p, 2024, small=20)
    recognised(kg_p, director_p, bureau_official, valid_from=d("2024-09-01"))
    services.new_place_record(
        kindergarten=kg_p, user=bureau_official, approved_on=d("2024-11-05"), places=30, reference="朝教〔2024〕1号"
    )
    services.rented_premises_save(
        kindergarten=kg_p, user=director_p, area_m2=Decimal("1000"), rent_from=d("2023-01-01"), rent_to=d("2024-11-10")
    )
    services.rented_premises_save(
        kindergarten=kg_p, user=director_p, area_m2=Decimal("200.5"), rent_from=d("2024-11-21"), rent_to=d("2026-01-01")
    )
    return kg_p


def test_it_counts_the_days_every_period_covers():
    assert overlap_days(NOVEMBER, (d("2024-09-01"), None), (d("2024-11-21"), d("2024-12-01"))) == 10
    assert overlap_days(NOVEMBER, (d("2024-11-11"), d("2024-11-21"))) == 10
    assert overlap_days(NOVEMBER, (d("2024-12-01"), None)) == 0


def test_new_places_and_rent_are_computed_as_by_hand(facts):
    (row,) = entitlements(Recognition.objects.all(), NOVEMBER)
    assert row.base == Decimal("20000.00")
    assert (row.new_places, row.new_place_amount) == (30, Decimal("300000.00"))
    assert row.rent_area_days == Decimal("12005.0")
    assert row.rent == Decimal("60025.00")
    assert row.total == Decimal("380025.00")
    (december,) = entitlements(Recognition.objects.all(), d("2024-12-01"))
    assert (december.new_places, december.rent, december.total) == (0, Decimal("31077.50"), Decimal("51077.50"))


def test_only_days_and_approvals_the_recognition_covers_count(kg_p, director_p, bureau_official):
    """Recognised from 2024-11-21 (second grade, 30 children): a new place approved on the 5th is not
    subsidised, the lease covering all November counts for the 10 recognised days only."""
    add_classes(kg_p, 2024, small=30)
    recognised(kg_p, director_p, bureau_official, valid_from=d("2024-11-21"), grade=KindergartenGrade.SECOND)
    services.new_place_record(kindergarten=kg_p, user=bureau_official, approved_on=d("2024-11-05"), places=10)
    services.rented_premises_save(
        kindergarten=kg_p,
        user=bureau_official,
        area_m2=Decimal("500"),
        rent_from=d("2024-01-01"),
        rent_to=d("2025-12-31"),
    )
    (row,) = entitlements(Recognition.objects.all(), NOVEMBER)
    assert (row.base, row.new_places, row.rent) == (Decimal("7000.00"), 0, Decimal("25000.00"))  # 500 × 5 × 10


def test_the_services_refuse_bad_facts_and_keep_history(kg_p, director_p, bureau_official):
    with pytest.raises(ValidationError) as error:
        services.rented_premises_save(
            kindergarten=kg_p,
            user=director_p,
            area_m2=Decimal("10"),
            rent_from=d("2025-01-01"),
            rent_to=d("2024-12-31"),
        )
    assert "rent_to" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.new_place_record(kindergarten=kg_p, user=bureau_official, approved_on=d("2025-01-01"), places=0)
    assert "places" in error.value.message_dict
    row = services.new_place_record(kindergarten=kg_p, user=bureau_official, approved_on=d("2025-01-01"), places=5)
    assert row.history.get().history_user == bureau_official


def test_who_may_record_them(kg_p, director_p, director_a):
    with pytest.raises(PermissionDenied):  # the bureau approves new places
        services.new_place_record(kindergarten=kg_p, user=director_p, approved_on=d("2025-01-01"), places=5)
    with pytest.raises(PermissionDenied):  # another kindergarten's lease
        services.rented_premises_save(
            kindergarten=kg_p,
            user=director_a,
            area_m2=Decimal("10"),
            rent_from=d("2025-01-01"),
            rent_to=d("2025-12-31"),
        )


def test_the_pages_record_and_list_them_and_the_subsidy_page_shows_the_amounts(
    client, kg_p, director_p, bureau_official
):
    add_classes(kg_p, 2024, small=20)
    recognised(kg_p, director_p, bureau_official, valid_from=d("2024-09-01"))
    page = client_for(client, director_p).post(
        reverse("governance:premises_add"),
        {"kindergarten": kg_p.pk, "area_m2": "100", "rent_from": "2024-12-31", "rent_to": "2024-01-01"},
    )
    assert page.status_code == 200 and "租期截止不能早于租期起始" in page.content.decode()
    client.post(
        reverse("governance:premises_add"),
        {
            "kindergarten": kg_p.pk,
            "area_m2": "100",
            "rent_from": "2024-01-01",
            "rent_to": "2025-12-31",
            "lessor": "某公司",
        },
    )
    assert client.get(reverse("governance:new_place_add")).status_code == 403
    client_for(client, bureau_official).post(
        reverse("governance:new_place_add"), {"kindergarten": kg_p.pk, "approved_on": "2024-11-05", "places": "3"}
    )
    assert NewPlace.objects.get().places == 3 and RentedPremises.objects.get().lessor == "某公司"
    facts_page = client.get(reverse("governance:subsidy_facts")).content.decode()
    assert "望京启航幼儿园" in facts_page and "2024-11-05" in facts_page
    html = client.get(reverse("governance:subsidies"), {"month": "2024-11"}).content.decode()
    assert "30000.00" in html and "15000.00" in html and "65000.00" in html  # 3 places; 100 m² × 5 × 30 days


def test_an_official_sees_only_their_areas_facts(client, kg_p, kg_c, bureau_official, wangjing_official):
    services.new_place_record(kindergarten=kg_c, user=bureau_official, approved_on=d("2025-01-01"), places=7)
    services.new_place_record(kindergarten=kg_p, user=bureau_official, approved_on=d("2025-01-02"), places=8)
    html = client_for(client, wangjing_official).get(reverse("governance:subsidy_facts")).content.decode()
    assert "望京启航幼儿园" in html and "双井阳光幼儿园" not in html
