"""The governance pages and API: scoped (outside the scope means 404), and writable by whom it should be."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from governance.choices import AlertKind, RecognitionStatus
from governance.models import AidRecipient, Disbursement, FeeAlert, FeeFiling, NewPlace, Recognition, RentedPremises
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

from .conftest import DAY, all_conditions

pytestmark = pytest.mark.django_db


def make_private(*kindergartens) -> None:
    """A, B and C become non-profit private kindergartens, so each may apply for recognition."""
    Kindergarten.objects.filter(pk__in=[k.pk for k in kindergartens]).update(
        sponsor_type=SponsorType.PRIVATE_NONPROFIT, inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE
    )
    for kindergarten in kindergartens:
        kindergarten.refresh_from_db()


@pytest.fixture
def rows(kg_a, kg_b, kg_c, bureau_official):
    """One row of every governance resource for each of A, B and C: {"recognitions": {"A": …}, …}."""
    make_private(kg_a, kg_b, kg_c)
    made: dict[str, dict] = {
        "recognitions": {},
        "filings": {},
        "alerts": {},
        "disbursements": {},
        "aid": {},
        "new_places": {},
        "premises": {},
    }
    for name, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True):
        made["recognitions"][name] = Recognition.objects.create(kindergarten=kg, grade="first", monthly_fee=700)
        made["filings"][name] = FeeFiling.objects.create(kindergarten=kg, school_year=2025, grade="first")
        made["alerts"][name] = FeeAlert.objects.create(
            kindergarten=kg, kind=AlertKind.NOT_FILED, key="2025", detail="—"
        )
        made["disbursements"][name] = Disbursement.objects.create(
            kindergarten=kg, month=datetime.date(2025, 10, 1), amount=Decimal("1000")
        )
        made["aid"][name] = AidRecipient.objects.create(
            kindergarten=kg, school_year=2025, initials="ABC", category="orphan", amount=Decimal("500")
        )
        made["new_places"][name] = NewPlace.objects.create(kindergarten=kg, approved_on=DAY, places=10)
        made["premises"][name] = RentedPremises.objects.create(
            kindergarten=kg, area_m2=Decimal("900"), rent_from=DAY, rent_to=DAY + datetime.timedelta(days=365)
        )
    return made


API = {
    "recognitions": "/api/recognitions/",
    "filings": "/api/fee-filings/",
    "disbursements": "/api/subsidies/",
    "aid": "/api/aid-recipients/",
    "new_places": "/api/new-places/",
    "premises": "/api/rented-premises/",
}


@pytest.mark.parametrize("resource", sorted(API))
@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_the_api_is_scoped(api_client, personas, rows, resource, persona):
    visible = VISIBLE_KINDERGARTENS[persona]
    expected = [r.pk for name, r in rows[resource].items() if name in visible]
    hidden = [r.pk for name, r in rows[resource].items() if name not in visible]
    assert_api_scope(api_client, personas[persona], API[resource], expected, hidden_ids=hidden)


DETAIL_PAGES = {
    "recognitions": "governance:recognition_detail",
    "filings": "governance:fee_filing_detail",
    "alerts": "governance:fee_alert_detail",
}


@pytest.mark.parametrize("resource", sorted(DETAIL_PAGES))
def test_a_director_gets_404_for_another_kindergartens_pages(client, director_a, rows, resource):
    client = client_for(client, director_a)
    assert client.get(reverse(DETAIL_PAGES[resource], args=[rows[resource]["A"].pk])).status_code == 200
    assert client.get(reverse(DETAIL_PAGES[resource], args=[rows[resource]["B"].pk])).status_code == 404


def test_steps_and_resolutions_outside_the_scope_are_404(client, director_a, rows):
    client = client_for(client, director_a)
    recognition_b, alert_b = rows["recognitions"]["B"], rows["alerts"]["B"]
    assert client.post(reverse("governance:recognition_step", args=[recognition_b.pk, "opinion"])).status_code == 404
    assert client.post(reverse("governance:fee_alert_resolve", args=[alert_b.pk]), {"note": "x"}).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["governance:recognition_list", "governance:fee_filing_list", "governance:fee_alert_list", "governance:aid_list"],
)
def test_the_lists_show_only_what_the_user_may_see(client, wangjing_official, rows, name):
    text = client_for(client, wangjing_official).get(reverse(name)).content.decode()
    assert "望京第一幼儿园" in text and "双井阳光幼儿园" not in text


@pytest.mark.parametrize(
    "name",
    ["governance:recognition_list", "governance:fee_filing_list", "governance:fee_alert_list", "governance:aid_list"],
)
def test_the_lists_cost_the_same_queries_however_many_rows(client, bureau_official, kg_a, kg_b, kg_c, name):
    make_private(kg_a, kg_b, kg_c)
    client = client_for(client, bureau_official)

    def add(kg, year):
        Recognition.objects.create(kindergarten=kg, grade="first", monthly_fee=700)
        FeeFiling.objects.create(kindergarten=kg, school_year=year, grade="first")
        FeeAlert.objects.create(kindergarten=kg, kind=AlertKind.NOT_FILED, key=str(year), detail="—")
        AidRecipient.objects.create(kindergarten=kg, school_year=year, initials="AB", category="orphan", amount=1)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    add(kg_a, 2024)
    few = cost()
    for kg, year in ((kg_b, 2024), (kg_c, 2024), (kg_a, 2025), (kg_b, 2025)):
        add(kg, year)
    assert cost() == few


def test_the_director_applies_through_the_page(client, director_p, kg_p):
    client = client_for(client, director_p)
    page = client.get(reverse("governance:recognition_apply"))
    assert page.status_code == 200 and "尚无已公布的督导评估结果" in page.content.decode()
    response = client.post(
        reverse("governance:recognition_apply"),
        {"grade": "first", "monthly_fee": "700", "conditions_met": all_conditions(datetime.date.today())},
    )
    recognition = Recognition.objects.get()
    assert response.status_code == 302 and recognition.status == RecognitionStatus.APPLIED
    assert len(recognition.conditions_met) == recognition.conditions_total


def test_only_directors_apply_and_only_the_bureau_takes_steps(
    client, bureau_official, wangjing_official, director_p, kg_p
):
    assert client_for(client, bureau_official).get(reverse("governance:recognition_apply")).status_code == 403
    recognition = services.recognition_apply(
        kindergarten=kg_p, user=director_p, grade="first", monthly_fee=Decimal("700"), day=DAY
    )
    official = client_for(client, wangjing_official)
    assert official.get(recognition.get_absolute_url()).status_code == 200
    assert (
        official.post(
            reverse("governance:recognition_step", args=[recognition.pk, "opinion"]), {"opinion": "agree"}
        ).status_code
        == 403
    )
    bureau = client_for(client, bureau_official)
    bureau.post(reverse("governance:recognition_step", args=[recognition.pk, "opinion"]), {"opinion": "agree"})
    assert Recognition.objects.get().status == RecognitionStatus.AWAITING_REVIEW


def test_the_nav_entry_and_the_index(client, bureau_official, director_p, wangjing_official, kg_p):
    assert (
        reverse("governance:index")
        in client_for(client, bureau_official).get(reverse("kindergartens:kindergarten_list")).content.decode()
    )
    page = client_for(client, director_p).get(reverse("governance:index")).content.decode()
    assert reverse("governance:recognition_apply") in page
    assert (
        reverse("governance:index")
        not in client_for(client, wangjing_official).get(reverse("kindergartens:kindergarten_list")).content.decode()
    )


def test_a_recognition_page_shows_steps_taken_by_nobody(client, bureau_official, rows):
    """Imported and demo steps may have no user: the page shows — instead of failing."""
    from governance.models import RecognitionEvent

    recognition = rows["recognitions"]["A"]
    RecognitionEvent.objects.create(recognition=recognition, action="applied", day=DAY, by=None)
    page = client_for(client, bureau_official).get(recognition.get_absolute_url())
    assert page.status_code == 200 and "提交申请" in page.content.decode()
