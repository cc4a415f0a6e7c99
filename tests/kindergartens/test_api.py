"""The registry's REST API: scoping per persona, writes and their rules, filters, tokens and docs."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict
from tests.factories import KindergartenFactory
from tests.helpers import (
    REGISTRY_FILTER_CASES,
    VISIBLE_KINDERGARTENS,
    api_list_ids,
    assert_api_scope,
    private_kindergartens,
)

KINDERGARTENS_URL = "/api/kindergartens/"
SUBDISTRICTS_URL = "/api/subdistricts/"
VISIBLE_SUBDISTRICTS = {
    "wangjing_official": {"望京"},
    "director_a": {"望京"},
    "director_b": {"望京"},
    "inspector": {"望京", "双井"},
}


def detail_url(kindergarten: Kindergarten) -> str:
    return f"{KINDERGARTENS_URL}{kindergarten.pk}/"


def valid_payload(subdistrict: Subdistrict, **overrides) -> dict:
    return {
        "code": "KGN0001",
        "name": "望京新苑幼儿园",
        "subdistrict": subdistrict.pk,
        "address": "北京市朝阳区望京新苑1号",
        "sponsor_type": SponsorType.EDUCATION_BUREAU,
        "inclusive_status": InclusiveStatus.PUBLIC,
        "licence_status": LicenceStatus.LICENSED,
        "approved_capacity": 270,
        **overrides,
    }


def test_it_uses_the_router_urls():
    assert reverse("kindergarten-list") == KINDERGARTENS_URL
    assert reverse("subdistrict-list") == SUBDISTRICTS_URL


# --- scoping --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", VISIBLE_KINDERGARTENS)
def test_it_lists_each_persona_exactly_its_kindergartens(api_client, personas, kindergartens, persona):
    by_letter = {k.code[2]: k.pk for k in kindergartens}
    expected = {by_letter[letter] for letter in VISIBLE_KINDERGARTENS[persona]}
    hidden = set(by_letter.values()) - expected
    assert_api_scope(api_client, personas[persona], KINDERGARTENS_URL, expected, hidden_ids=hidden)


@pytest.mark.parametrize("persona", VISIBLE_SUBDISTRICTS)
def test_it_lists_each_persona_exactly_its_subdistricts(api_client, personas, kindergartens, persona):
    expected = set(Subdistrict.objects.filter(name__in=VISIBLE_SUBDISTRICTS[persona]).values_list("pk", flat=True))
    hidden = set(Subdistrict.objects.filter(name__in=["双井", "建外"]).values_list("pk", flat=True)) - expected
    assert_api_scope(api_client, personas[persona], SUBDISTRICTS_URL, expected, hidden_ids=hidden)


@pytest.mark.parametrize("persona", ["bureau_admin", "bureau_official"])
def test_it_lists_every_subdistrict_for_the_bureau(api_client, personas, persona):
    expected = set(Subdistrict.objects.values_list("pk", flat=True))
    assert len(expected) == 43
    assert_api_scope(api_client, personas[persona], SUBDISTRICTS_URL, expected)


def test_it_follows_pagination_for_long_lists(api_client, bureau_official):
    created = KindergartenFactory.create_batch(55)
    ids = api_list_ids(api_client, bureau_official, KINDERGARTENS_URL)
    assert len(ids) == 55
    assert set(ids) == {k.pk for k in created}


def test_it_answers_404_for_a_kindergarten_out_of_scope(api_client, director_a, wangjing_official, kg_b, kg_c):
    api_client.force_authenticate(director_a)
    assert api_client.get(detail_url(kg_b)).status_code == 404
    api_client.force_authenticate(wangjing_official)
    assert api_client.get(detail_url(kg_c)).status_code == 404
    assert api_client.get(detail_url(kg_b)).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_anonymous_callers(api_client, kg_a, wangjing, method):
    response = getattr(api_client, method)(KINDERGARTENS_URL, valid_payload(wangjing), format="json")
    assert response.status_code in (401, 403)
    assert api_client.get(detail_url(kg_a)).status_code in (401, 403)
    assert api_client.get(SUBDISTRICTS_URL).status_code in (401, 403)
    assert Kindergarten.objects.count() == 1


# --- writes ---------------------------------------------------------------------------------


def test_it_lets_the_bureau_create_a_kindergarten_and_records_who(api_client, bureau_official, wangjing):
    api_client.force_authenticate(bureau_official)
    response = api_client.post(KINDERGARTENS_URL, valid_payload(wangjing), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "望京新苑幼儿园"
    assert body["subdistrict_name"] == "望京"
    assert body["ownership"] == "public"
    assert body["name_compliant"] is True
    kindergarten = Kindergarten.objects.get(code="KGN0001")
    assert body["id"] == kindergarten.pk
    created = kindergarten.history.get()
    assert created.history_type == "+"
    assert created.history_user == bureau_official


def test_it_flags_a_non_compliant_name_on_create(api_client, bureau_official, wangjing):
    api_client.force_authenticate(bureau_official)
    response = api_client.post(KINDERGARTENS_URL, valid_payload(wangjing, name="望京国际幼儿园"), format="json")
    assert response.status_code == 201
    assert response.json()["name_compliant"] is False
    assert response.json()["name_violations"] == [{"category": "national_scope", "word": "国际"}]


@pytest.mark.parametrize("persona", ["director_a", "wangjing_official", "inspector"])
def test_it_refuses_creation_to_anyone_but_the_bureau(api_client, personas, wangjing, persona):
    before = Kindergarten.objects.count()
    api_client.force_authenticate(personas[persona])
    response = api_client.post(KINDERGARTENS_URL, valid_payload(wangjing), format="json")
    assert response.status_code == 403
    assert Kindergarten.objects.count() == before


def test_it_reports_model_rule_errors_per_field_and_saves_nothing(api_client, bureau_official, wangjing):
    api_client.force_authenticate(bureau_official)
    payload = valid_payload(wangjing, sponsor_type=SponsorType.PRIVATE_NONPROFIT)
    response = api_client.post(KINDERGARTENS_URL, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"inclusive_status": ["民办幼儿园不能登记为“公办园”。"]}
    assert not Kindergarten.objects.exists()


def test_it_reports_several_field_errors_at_once(api_client, bureau_official, wangjing, kg_a):
    api_client.force_authenticate(bureau_official)
    payload = valid_payload(wangjing, code=kg_a.code, international_seats=500, latitude="39.9")
    response = api_client.post(KINDERGARTENS_URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code"}  # field validation comes first, as in a form
    payload["code"] = "KGN0002"
    response = api_client.post(KINDERGARTENS_URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"international_seats", "longitude"}
    assert Kindergarten.objects.count() == 1


def test_it_lets_a_director_patch_contact_fields_but_ignores_the_rest(api_client, director_a, kg_a):
    api_client.force_authenticate(director_a)
    response = api_client.patch(
        detail_url(kg_a),
        {"phone": "010-64701234", "name": "改名幼儿园", "approved_capacity": 999, "sponsor_type": "army"},
        format="json",
    )
    assert response.status_code == 200, response.content
    kg_a.refresh_from_db()
    assert kg_a.phone == "010-64701234"
    assert kg_a.name == "望京第一幼儿园"
    assert kg_a.approved_capacity == 300
    assert kg_a.sponsor_type == SponsorType.EDUCATION_BUREAU
    assert response.json()["name"] == "望京第一幼儿园"
    assert kg_a.history.latest().history_user == director_a


def test_it_validates_a_directors_patch(api_client, director_a, kg_a):
    api_client.force_authenticate(director_a)
    response = api_client.patch(detail_url(kg_a), {"latitude": "39.99"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["longitude"]
    kg_a.refresh_from_db()
    assert kg_a.latitude is None


@pytest.mark.parametrize(("persona", "target"), [("director_a", "kg_b"), ("wangjing_official", "kg_a")])
def test_it_answers_404_to_a_patch_out_of_scope(api_client, personas, request, persona, target):
    kindergarten = request.getfixturevalue(target)
    api_client.force_authenticate(personas[persona])
    response = api_client.patch(detail_url(kindergarten), {"phone": "010-1"}, format="json")
    assert response.status_code == 404
    kindergarten.refresh_from_db()
    assert kindergarten.phone == ""


def test_it_does_not_offer_delete(api_client, bureau_admin, kg_a):
    api_client.force_authenticate(bureau_admin)
    assert api_client.delete(detail_url(kg_a)).status_code == 405
    assert Kindergarten.objects.filter(pk=kg_a.pk).exists()


# --- filters: the same FilterSet as the list page ------------------------------------------


@pytest.fixture
def mixed_registry(kindergartens, shuangjing, wangjing):
    return [*kindergartens, *private_kindergartens(wangjing, shuangjing)]


def page_ids(client, user, query: str) -> set[int]:
    client.force_login(user)
    response = client.get(f"/kindergartens/?{query}")
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].paginated_rows}


@pytest.mark.parametrize(("query", "letters"), REGISTRY_FILTER_CASES)
def test_it_filters_like_the_list_page(
    api_client, client, bureau_official, mixed_registry, wangjing, shuangjing, query, letters
):
    query = query.format(wangjing=wangjing.pk, shuangjing=shuangjing.pk)
    expected = {k.pk for k in mixed_registry if k.code[2] in letters}
    assert set(api_list_ids(api_client, bureau_official, f"{KINDERGARTENS_URL}?{query}")) == expected
    assert page_ids(client, bureau_official, query) == expected


def test_it_keeps_filters_inside_the_scope(api_client, client, wangjing_official, mixed_registry, shuangjing):
    query = "ownership=private"
    expected = {k.pk for k in mixed_registry if k.code[2] == "E"}
    assert set(api_list_ids(api_client, wangjing_official, f"{KINDERGARTENS_URL}?{query}")) == expected
    assert page_ids(client, wangjing_official, query) == expected
    # Filtering on a sub-district outside the scope is refused, not answered with its rows.
    api_client.force_authenticate(wangjing_official)
    response = api_client.get(f"{KINDERGARTENS_URL}?subdistrict={shuangjing.pk}")
    assert response.status_code == 400
    assert "subdistrict" in response.json()


def test_it_orders_by_name_on_request(api_client, bureau_official, mixed_registry):
    ids = api_list_ids(api_client, bureau_official, f"{KINDERGARTENS_URL}?ordering=-name")
    assert ids == list(Kindergarten.objects.order_by("-name").values_list("pk", flat=True))


# --- tokens ---------------------------------------------------------------------------------


def test_it_issues_a_token_that_authenticates(bureau_official, kindergartens):
    anonymous = APIClient()
    response = anonymous.post("/api/token/", {"username": "bureau", "password": "portal-pass-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=bureau_official).key == token

    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = caller.get(KINDERGARTENS_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 3

    caller.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert caller.get(KINDERGARTENS_URL).status_code in (401, 403)


def test_it_attributes_token_writes_to_the_tokens_user(director_a, kg_a):
    caller = APIClient()
    token = caller.post("/api/token/", {"username": "director_a", "password": "portal-pass-123"}).json()["token"]
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = caller.patch(detail_url(kg_a), {"principal": "张园长"}, format="json")
    assert response.status_code == 200
    assert kg_a.history.latest().history_user == director_a


def test_it_refuses_a_token_for_a_wrong_password(bureau_official):
    response = APIClient().post("/api/token/", {"username": "bureau", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


# --- schema and docs ------------------------------------------------------------------------


def test_it_publishes_an_openapi_schema(client, bureau_official):
    client.force_login(bureau_official)
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "朝阳区学前教育管理平台 API"
    assert "/api/kindergartens/" in schema["paths"]
    assert "/api/kindergartens/{id}/" in schema["paths"]
    assert "/api/subdistricts/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/kindergartens/"]["get"]["parameters"]}
    assert {"q", "subdistrict", "ownership", "inclusive_status", "page"} <= parameters


def test_it_serves_the_api_docs_without_a_cdn(client, bureau_official):
    client.force_login(bureau_official)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html
    assert "unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html
