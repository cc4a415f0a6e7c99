"""The enforcement API: scoped per persona (assert_api_scope), the pages' filters, writes through
the services with field-level 400s that change nothing."""

import pytest

from inspections.choices import OrderStatus, UnlicensedCaseStatus
from inspections.models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from tests.helpers import api_list_ids, assert_api_scope

from ..factories import ENFORCEMENT_ALL as ALL
from ..factories import ENFORCEMENT_VISIBLE as VISIBLE
from ..factories import days, enforcement_world

pytestmark = pytest.mark.django_db

URLS = {
    "orders": "/api/rectification-orders/",
    "unlicensed": "/api/unlicensed-cases/",
    "conduct": "/api/conduct-cases/",
}


def pks(world, names) -> set[int]:
    return {getattr(world, name).pk for name in names}


@pytest.mark.parametrize("resource", list(URLS))
@pytest.mark.parametrize("persona", list(VISIBLE))
def test_each_persona_lists_exactly_its_rows(api_client, world, personas, persona, resource):
    expected = VISIBLE[persona][resource]
    assert_api_scope(
        api_client,
        personas[persona],
        URLS[resource],
        pks(world, expected),
        hidden_ids=pks(world, ALL[resource] - expected),
    )


def test_anonymous_callers_get_nothing(api_client, world):
    for url in URLS.values():
        assert api_client.get(url).status_code in (401, 403)


def test_the_filters_match_the_pages(api_client, world, bureau_official, wangjing):
    def ids(url):
        return set(api_list_ids(api_client, bureau_official, url))

    assert ids(f"{URLS['orders']}?overdue=true") == {world.order_c.pk}
    assert ids(f"{URLS['orders']}?subdistrict={wangjing.pk}") == pks(world, {"order_a", "order_b"})
    assert ids(f"{URLS['unlicensed']}?subdistrict={wangjing.pk}&open=true") == pks(world, {"case_w", "case_wb"})
    assert ids(f"{URLS['conduct']}?kind=ethics") == {world.conduct_c.pk}


class TestWrites:
    def test_an_inspector_issues_follows_up_and_rectifies_an_order(self, api_client, world, inspector, kg_b):
        api_client.force_authenticate(inspector)
        created = api_client.post(
            URLS["orders"],
            {
                "kindergarten": kg_b.pk,
                "reason": "unqualified_teacher",
                "description": "无证上岗",
                "deadline": str(days(30)),
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        order_id = created.json()["id"]
        visit = api_client.post(
            f"{URLS['orders']}{order_id}/follow-ups/",
            {"visited_on": str(days(0)), "note": "已整改", "rectified": True},
            format="json",
        )
        assert visit.status_code == 201
        body = visit.json()
        assert (body["status"], body["rectified_on"], len(body["follow_ups"])) == ("rectified", str(days(0)), 1)

    def test_a_bad_order_answers_field_errors_and_writes_nothing(self, api_client, world, bureau_official, kg_a):
        api_client.force_authenticate(bureau_official)
        response = api_client.post(
            URLS["orders"],
            {
                "kindergarten": kg_a.pk,
                "reason": "other",
                "description": "x",
                "issued_on": str(days(0)),
                "deadline": str(days(-3)),
            },
            format="json",
        )
        assert response.status_code == 400 and set(response.json()) == {"deadline"}
        response = api_client.post(URLS["orders"], {"reason": "nonsense"}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"kindergarten", "reason", "description", "deadline"}
        assert RectificationOrder.objects.count() == 3

    def test_an_inspector_cannot_issue_to_another_kindergarten(self, api_client, world, inspector, kg_a):
        api_client.force_authenticate(inspector)
        response = api_client.post(
            URLS["orders"],
            {"kindergarten": kg_a.pk, "reason": "other", "description": "x", "deadline": str(days(3))},
            format="json",
        )
        assert response.status_code == 400 and set(response.json()) == {"kindergarten"}

    def test_a_penalty_before_the_deadline_is_400_and_changes_nothing(self, api_client, world, bureau_official):
        api_client.force_authenticate(bureau_official)
        url = f"{URLS['orders']}{world.order_a.pk}/penalise/"
        response = api_client.post(
            url, {"penalty_kind": "fine", "penalty_note": "x", "penalised_on": str(days(0))}, format="json"
        )
        assert response.status_code == 400 and set(response.json()) == {"penalised_on"}
        world.order_a.refresh_from_db()
        assert world.order_a.status == OrderStatus.OPEN

    @pytest.mark.parametrize("persona", ["wangjing_official", "director_a"])
    def test_readers_cannot_write(self, api_client, world, personas, persona, kg_a):
        api_client.force_authenticate(personas[persona])
        assert (
            api_client.post(f"{URLS['orders']}{world.order_a.pk}/rectify/", {"rectified_on": str(days(0))}).status_code
            == 404
        )
        assert api_client.patch(f"{URLS['orders']}{world.order_a.pk}/", {"description": "改"}).status_code == 404
        created = api_client.post(
            URLS["orders"],
            {"kindergarten": kg_a.pk, "reason": "other", "description": "x", "deadline": str(days(3))},
            format="json",
        )
        assert created.status_code == 403
        assert not FollowUpVisit.objects.exists() and RectificationOrder.objects.count() == 3

    def test_a_patch_keeps_what_it_does_not_name(self, api_client, world, bureau_official):
        api_client.force_authenticate(bureau_official)
        response = api_client.patch(f"{URLS['orders']}{world.order_a.pk}/", {"deadline": str(days(90))}, format="json")
        assert response.status_code == 200
        world.order_a.refresh_from_db()
        assert (world.order_a.deadline, world.order_a.description) == (days(90), "视频监控存在盲区")

    def test_unlicensed_cases_move_on_through_transition(self, api_client, world, bureau_official, wangjing):
        api_client.force_authenticate(bureau_official)
        created = api_client.post(
            URLS["unlicensed"],
            {"subdistrict": wangjing.pk, "name": "新发现看护点", "discovered_on": str(days(-3)), "children": 12},
            format="json",
        )
        assert created.status_code == 201 and created.json()["is_open"] is True
        url = f"{URLS['unlicensed']}{created.json()['id']}/transition/"
        refused = api_client.post(url, {"status": "converted", "on": str(days(0))}, format="json")
        assert refused.status_code == 400 and set(refused.json()) == {"status"}
        early = api_client.post(url, {"status": "ordered_to_close", "on": str(days(-10))}, format="json")
        assert early.status_code == 400 and set(early.json()) == {"on"}
        for status in ("ordered_to_close", "closed"):
            assert api_client.post(url, {"status": status, "on": str(days(0))}, format="json").status_code == 200
        case = UnlicensedCase.objects.get(pk=created.json()["id"])
        assert case.status == UnlicensedCaseStatus.CLOSED and case.history.count() == 3

    def test_conduct_cases_are_registered_and_closed(self, api_client, world, bureau_official, wangjing):
        api_client.force_authenticate(bureau_official)
        refused = api_client.post(
            URLS["conduct"],
            {
                "kind": "training_institution",
                "subdistrict": wangjing.pk,
                "reported_on": str(days(0)),
                "description": "x",
            },
            format="json",
        )
        assert refused.status_code == 400 and set(refused.json()) == {"institution_name"}
        url = f"{URLS['conduct']}{world.conduct_w.pk}/close/"
        assert api_client.post(url, {"outcome": "", "closed_on": str(days(0))}, format="json").status_code == 400
        closed = api_client.post(url, {"outcome": "已取缔", "closed_on": str(days(0))}, format="json")
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        again = api_client.post(url, {"outcome": "再次", "closed_on": str(days(0))}, format="json")
        assert again.status_code == 400
        assert ConductCase.objects.get(pk=world.conduct_w.pk).outcome == "已取缔"


# --- from the access-control and input-validation review: a refused PATCH is a 400, never a 500 ---


@pytest.mark.parametrize(
    ("url", "record", "model"),
    [
        ("/api/rectification-orders/{}/", "order_a", RectificationOrder),
        ("/api/unlicensed-cases/{}/", "case_w", UnlicensedCase),
        ("/api/conduct-cases/{}/", "conduct_w", ConductCase),
    ],
)
def test_a_patch_whose_body_is_not_an_object_is_refused_and_changes_nothing(
    api_client, personas, kg_a, kg_b, kg_c, bureau_official, url, record, model
):
    world = enforcement_world(personas, kg_a, kg_b, kg_c)
    pk = getattr(world, record).pk
    before = model.history.filter(id=pk).count()
    api_client.force_authenticate(bureau_official)
    for body in ([{"description": "改"}], "改"):
        response = api_client.patch(url.format(pk), body, format="json")
        assert response.status_code == 400, response.content
    assert model.history.filter(id=pk).count() == before
