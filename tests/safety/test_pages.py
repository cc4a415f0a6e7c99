"""The safety pages and the API: scoped (outside the scope means 404), editable by whom it should be."""

import pytest
from django.urls import reverse

from safety import services
from safety.choices import HazardStatus
from safety.forms import SafetyProfileForm
from safety.models import Hazard, SafetyProfile
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

from .conftest import photo

pytestmark = pytest.mark.django_db


def profile_form_data(**changes) -> dict:
    """What the edit form posts for a new profile (unchecked boxes and empty fields are left out)."""
    initial = {**SafetyProfileForm(instance=SafetyProfile()).initial, **changes}
    return {k: v for k, v in initial.items() if v is not None and v is not False and v != "" and v != []}


def test_the_profile_page_shows_every_rule_with_its_reason(client, director_a, kg_a):
    services.profile_save(kindergarten=kg_a, user=director_a, staff_count=40, guards_full_time=2)
    page = client_for(client, director_a).get(reverse("safety:profile_detail", args=[kg_a.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-rule="guards"' in text and "登记 2 名" in text and 'data-rule="drills"' in text


def test_a_director_lands_on_their_own_safety_page(client, director_a, kg_a):
    response = client_for(client, director_a).get(reverse("safety:index"))
    assert response.status_code == 302 and response.url == reverse("safety:profile_detail", args=[kg_a.pk])


def test_the_overview_lists_what_the_user_may_see(client, wangjing_official, kg_a, kg_b, kg_c):
    text = client_for(client, wangjing_official).get(reverse("safety:index")).content.decode()
    assert kg_a.name in text and kg_b.name in text and kg_c.name not in text


def test_a_director_edits_their_own_profile_with_history(client, director_a, kg_a, kg_b):
    client = client_for(client, director_a)
    url = reverse("safety:profile_edit", args=[kg_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, profile_form_data(staff_count=30, guards_full_time=3, video_areas=["gates", "kitchen"]))
    assert response.status_code == 302
    profile = SafetyProfile.objects.get(kindergarten=kg_a)
    assert profile.guards_full_time == 3 and profile.video_areas == ["gates", "kitchen"]
    assert profile.history.first().history_user == director_a
    assert client.get(reverse("safety:profile_edit", args=[kg_b.pk])).status_code == 404


def test_those_who_only_watch_do_not_edit(client, wangjing_official, inspector, kg_a, kg_b):
    assert client_for(client, wangjing_official).get(reverse("safety:profile_edit", args=[kg_a.pk])).status_code == 403
    assert client_for(client, inspector).get(reverse("safety:profile_edit", args=[kg_b.pk])).status_code == 403


def test_a_director_records_a_drill(client, director_a, kg_a):
    response = client_for(client, director_a).post(
        reverse("safety:drill_add", args=[kg_a.pk]), {"held_on": "2025-10-10", "kind": "evacuation", "participants": 80}
    )
    assert response.status_code == 302 and kg_a.safety_drills.count() == 1


def test_a_director_never_sees_another_kindergartens_hazards(client, director_a, hazards, bureau_official, director_b):
    services.hazard_submit(hazard=hazards["B"], user=director_b, note="已整改", photos=[photo()])
    b_photo = hazards["B"].photos.get()
    client = client_for(client, director_a)
    listing = client.get(reverse("safety:hazard_list")).content.decode()
    assert reverse("safety:hazard_detail", args=[hazards["A"].pk]) in listing
    assert reverse("safety:hazard_detail", args=[hazards["B"].pk]) not in listing
    assert client.get(reverse("safety:hazard_detail", args=[hazards["B"].pk])).status_code == 404
    assert client.get(reverse("safety:hazard_photo", args=[b_photo.pk])).status_code == 404
    assert client.post(reverse("safety:hazard_step", args=[hazards["B"].pk, "start"])).status_code == 404
    assert client.get(reverse("safety:profile_detail", args=[hazards["B"].kindergarten_id])).status_code == 404


def test_the_photo_is_served_to_those_who_see_the_hazard(client, director_b, hazards, inspector):
    services.hazard_submit(hazard=hazards["B"], user=director_b, note="已整改", photos=[photo()])
    response = client_for(client, inspector).get(reverse("safety:hazard_photo", args=[hazards["B"].photos.get().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_loop_through_the_pages(client, inspector, director_b, kg_b):
    inspecting = client_for(client, inspector)
    response = inspecting.post(
        reverse("safety:hazard_add"),
        {
            "kindergarten": kg_b.pk,
            "category": "fire",
            "severity": "major",
            "description": "消防通道堵塞",
            "owner": "李园长",
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.severity == "major"
    directing = client_for(client, director_b)
    detail = directing.get(hazard.get_absolute_url()).content.decode()
    assert "提交整改结果" in detail
    directing.post(
        reverse("safety:hazard_step", args=[hazard.pk, "submit"]), {"note": "已清理通道", "photos": [photo()]}
    )
    assert Hazard.objects.get().status == HazardStatus.SUBMITTED
    client_for(client, inspector).post(reverse("safety:hazard_step", args=[hazard.pk, "close"]), {"note": "现场核实"})
    assert Hazard.objects.get().status == HazardStatus.CLOSED


def test_a_director_cannot_open_a_hazard_page(client, director_a):
    assert client_for(client, director_a).get(reverse("safety:hazard_add")).status_code == 403


def test_the_overdue_list_counts_per_subdistrict(client, bureau_official, kg_a, kg_c):
    import datetime

    from .conftest import open_hazard

    open_hazard(kg_a, bureau_official, found_on=datetime.date.today() - datetime.timedelta(days=60))
    open_hazard(kg_c, bureau_official)
    page = client_for(client, bureau_official).get(reverse("safety:hazard_overdue"))
    assert page.status_code == 200
    assert [(area.name, n) for area, n in page.context["by_subdistrict"]] == [("望京", 1)]


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_the_hazard_api_is_scoped(api_client, personas, hazards, persona):
    visible = VISIBLE_KINDERGARTENS[persona]
    expected = [h.pk for name, h in hazards.items() if name in visible]
    hidden = [h.pk for name, h in hazards.items() if name not in visible]
    assert_api_scope(api_client, personas[persona], "/api/hazards/", expected, hidden_ids=hidden)


def test_the_profile_api_is_scoped_and_kept_by_the_director(api_client, personas, kg_a, kg_b, kg_c, bureau_official):
    profiles = {
        n: services.profile_save(kindergarten=k, user=bureau_official)
        for n, k in zip("ABC", (kg_a, kg_b, kg_c), strict=True)
    }
    for persona, visible in VISIBLE_KINDERGARTENS.items():
        expected = [p.pk for n, p in profiles.items() if n in visible]
        hidden = [p.pk for n, p in profiles.items() if n not in visible]
        assert_api_scope(api_client, personas[persona], "/api/safety-profiles/", expected, hidden_ids=hidden)
    api_client.force_authenticate(personas["director_a"])
    ok = api_client.patch(f"/api/safety-profiles/{profiles['A'].pk}/", {"guards_full_time": 4}, format="json")
    assert ok.status_code == 200 and SafetyProfile.objects.get(pk=profiles["A"].pk).guards_full_time == 4
    bad = api_client.patch(f"/api/safety-profiles/{profiles['A'].pk}/", {"video_areas": ["roof"]}, format="json")
    assert bad.status_code == 400
    assert (
        api_client.patch(f"/api/safety-profiles/{profiles['B'].pk}/", {"cameras": 1}, format="json").status_code == 404
    )
    api_client.force_authenticate(personas["inspector"])
    assert (
        api_client.patch(f"/api/safety-profiles/{profiles['B'].pk}/", {"cameras": 1}, format="json").status_code == 404
    )


def test_the_hazard_list_costs_the_same_queries_however_many_hazards(client, bureau_official, kg_a, kg_b, kg_c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import open_hazard

    client = client_for(client, bureau_official)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("safety:hazard_list")).status_code == 200
        return len(captured)

    open_hazard(kg_a, bureau_official)
    few = cost()
    for kg in (kg_a, kg_b, kg_c, kg_b, kg_c):
        open_hazard(kg, bureau_official)
    assert cost() == few
