"""The registry records whether a kindergarten is full-day or half-day (the staffing standard differs)."""

from kindergartens.choices import DayType
from tests.conftest import client_for

from .test_views import edit_url, form_data


def test_the_bureau_sets_the_day_type_on_the_registry_form(client, bureau_official, kg_a):
    assert kg_a.day_type == DayType.FULL_DAY
    client_for(client, bureau_official)
    page = client.get(edit_url(kg_a))
    assert 'name="day_type"' in page.content.decode()
    response = client.post(edit_url(kg_a), form_data(kg_a, day_type=DayType.HALF_DAY))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    kg_a.refresh_from_db()
    assert kg_a.day_type == DayType.HALF_DAY
    assert kg_a.history.latest().day_type == DayType.HALF_DAY


def test_a_form_without_the_day_type_keeps_it(client, bureau_official, kg_a):
    kg_a.day_type = DayType.HALF_DAY
    kg_a.save()
    client_for(client, bureau_official)
    data = form_data(kg_a, name="望京第一实验幼儿园")
    del data["day_type"]
    assert client.post(edit_url(kg_a), data).status_code == 302
    kg_a.refresh_from_db()
    assert (kg_a.name, kg_a.day_type) == ("望京第一实验幼儿园", DayType.HALF_DAY)


def test_the_api_reads_and_writes_the_day_type(api_client, bureau_official, director_a, kg_a):
    url = f"/api/kindergartens/{kg_a.pk}/"
    api_client.force_authenticate(bureau_official)
    assert api_client.get(url).json()["day_type"] == "full_day"
    response = api_client.patch(url, {"day_type": "half_day"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["day_type"] == "half_day"
    assert api_client.patch(url, {"day_type": "evening"}, format="json").status_code == 400
    api_client.force_authenticate(director_a)  # a director keeps only the contact fields
    api_client.patch(url, {"day_type": "full_day"}, format="json")
    kg_a.refresh_from_db()
    assert kg_a.day_type == DayType.HALF_DAY
