"""Enforcement pages: what each persona sees (others' rows are 404), who may act, forms that
answer a bad input with field-level errors and change nothing, and fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.choices import OrderStatus, UnlicensedCaseStatus
from inspections.models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from tests.conftest import client_for
from tests.factories import KindergartenFactory, subdistrict

from ..factories import ENFORCEMENT_ALL as ALL
from ..factories import ENFORCEMENT_VISIBLE as VISIBLE
from ..factories import conduct_case, days, order, unlicensed_case

pytestmark = pytest.mark.django_db

PAGES = {
    "orders": ("inspections:order_list", "inspections:order_detail"),
    "unlicensed": ("inspections:unlicensed_case_list", "inspections:unlicensed_case_detail"),
    "conduct": ("inspections:conduct_case_list", "inspections:conduct_case_detail"),
}


def iso(day) -> str:
    return day.isoformat()


@pytest.mark.parametrize("resource", list(PAGES))
@pytest.mark.parametrize("persona", list(VISIBLE))
def test_each_persona_sees_exactly_its_rows_and_others_are_404(client, world, personas, persona, resource):
    list_name, detail_name = PAGES[resource]
    client_for(client, personas[persona])
    listed = client.get(reverse(list_name))
    assert listed.status_code == 200
    shown = {row.record.pk for row in listed.context["table"].rows}
    expected = VISIBLE[persona][resource]
    assert shown == {getattr(world, name).pk for name in expected}
    for name in ALL[resource]:
        response = client.get(reverse(detail_name, args=[getattr(world, name).pk]))
        assert response.status_code == (200 if name in expected else 404), (persona, name)


def test_anonymous_users_are_sent_to_log_in(client, world):
    for list_name, detail_name in PAGES.values():
        assert client.get(reverse(list_name)).status_code == 302
        assert client.get(reverse(detail_name, args=[1])).status_code == 302
    assert client.get(reverse("inspections:order_detail", args=[world.order_a.pk])).status_code == 302


def test_a_director_reads_their_orders_without_any_action(client, world, director_a):
    client_for(client, director_a)
    page = client.get(world.order_a.get_absolute_url())
    assert page.context["can_act"] is False
    assert reverse("inspections:order_follow_up", args=[world.order_a.pk]) not in page.content.decode()
    posted = client.post(reverse("inspections:order_rectify", args=[world.order_a.pk]), {"rectified_on": iso(days(0))})
    assert posted.status_code == 404
    assert client.get(reverse("inspections:order_add")).status_code == 403
    world.order_a.refresh_from_db()
    assert world.order_a.status == OrderStatus.OPEN


def test_subdistrict_officials_read_but_cannot_act(client, world, wangjing_official):
    client_for(client, wangjing_official)
    assert client.get(world.case_w.get_absolute_url()).context["can_change"] is False
    posted = client.post(
        reverse("inspections:unlicensed_case_transition", args=[world.case_w.pk]),
        {"status": "ordered_to_close", "on": iso(days(0))},
    )
    assert posted.status_code == 404
    for name in ("inspections:order_add", "inspections:unlicensed_case_add", "inspections:conduct_case_add"):
        assert client.get(reverse(name)).status_code == 403
    assert UnlicensedCase.objects.get(pk=world.case_w.pk).status == UnlicensedCaseStatus.DISCOVERED


class TestOrderPages:
    def test_an_inspector_issues_an_order_to_an_assigned_kindergarten(self, client, world, inspector, kg_b, kg_a):
        client_for(client, inspector)
        form = client.get(reverse("inspections:order_add")).context["form"]
        assert set(form.fields["kindergarten"].queryset) == {kg_b, world.order_c.kindergarten}
        response = client.post(
            reverse("inspections:order_add"),
            {
                "kindergarten": kg_b.pk,
                "reason": "dangerous_building",
                "issued_on": iso(days(0)),
                "deadline": iso(days(30)),
                "description": "墙体开裂",
            },
        )
        created = RectificationOrder.objects.get(reason="dangerous_building")
        assert response.status_code == 302 and response.url == created.get_absolute_url()
        assert created.issued_by == inspector

    def test_a_bad_order_shows_field_errors_and_creates_nothing(self, client, world, bureau_official, kg_a):
        client_for(client, bureau_official)
        response = client.post(
            reverse("inspections:order_add"),
            {
                "kindergarten": kg_a.pk,
                "reason": "three_defences",
                "issued_on": iso(days(0)),
                "deadline": iso(days(-1)),
                "description": "",
            },
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert set(form.errors) == {"deadline", "description"}
        assert 'class="field has-error"' in response.content.decode()
        assert RectificationOrder.objects.count() == 3

    def test_a_follow_up_that_finds_it_rectified_closes_the_order(self, client, world, inspector):
        client_for(client, inspector)
        url = reverse("inspections:order_follow_up", args=[world.order_b.pk])
        response = client.post(url, {"visited_on": iso(days(-1)), "note": "已整改到位", "rectified": "on"})
        assert response.status_code == 302
        world.order_b.refresh_from_db()
        assert (world.order_b.status, world.order_b.rectified_on) == (OrderStatus.RECTIFIED, days(-1))
        page = client.get(world.order_b.get_absolute_url())
        assert page.context["can_act"] is False and "已整改到位" in page.content.decode()

    def test_a_bad_follow_up_shows_its_errors_on_the_detail_page(self, client, world, inspector):
        client_for(client, inspector)
        url = reverse("inspections:order_follow_up", args=[world.order_b.pk])
        response = client.post(url, {"visited_on": iso(days(3)), "note": ""})
        assert response.status_code == 400
        assert set(response.context["follow_up_form"].errors) == {"visited_on", "note"}
        assert not FollowUpVisit.objects.exists()

    def test_a_penalty_before_the_deadline_is_refused_under_its_date(self, client, world, bureau_official):
        client_for(client, bureau_official)
        assert client.get(world.order_a.get_absolute_url()).context["can_penalise"] is False
        response = client.post(
            reverse("inspections:order_penalise", args=[world.order_a.pk]),
            {"penalty_kind": "fine", "penalised_on": iso(days(0)), "penalty_note": "罚款"},
        )
        assert response.status_code == 400
        assert set(response.context["penalty_form"].errors) == {"penalised_on"}
        world.order_a.refresh_from_db()
        assert world.order_a.status == OrderStatus.OPEN

    def test_an_overdue_order_is_flagged_and_penalised(self, client, world, bureau_official):
        client_for(client, bureau_official)
        listing = client.get(reverse("inspections:order_list"), {"overdue": "true"})
        assert [row.record for row in listing.context["table"].rows] == [world.order_c]
        assert listing.context["totals"]["overdue"] == 1
        assert "已逾期" in listing.content.decode()
        response = client.post(
            reverse("inspections:order_penalise", args=[world.order_c.pk]),
            {"penalty_kind": "warning", "penalised_on": iso(days(0)), "penalty_note": "警告"},
        )
        assert response.status_code == 302
        world.order_c.refresh_from_db()
        assert world.order_c.status == OrderStatus.PENALISED

    def test_the_edit_page_extends_the_deadline(self, client, world, bureau_official):
        client_for(client, bureau_official)
        url = reverse("inspections:order_edit", args=[world.order_a.pk])
        response = client.post(
            url,
            {
                "kindergarten": world.order_c.kindergarten_id,  # ignored: the kindergarten field is disabled
                "reason": world.order_a.reason,
                "issued_on": iso(world.order_a.issued_on),
                "deadline": iso(days(60)),
                "description": "延期",
            },
        )
        assert response.status_code == 302
        world.order_a.refresh_from_db()
        assert (world.order_a.deadline, world.order_a.kindergarten.code) == (days(60), "KGA0001")


class TestUnlicensedPages:
    def test_the_dynamic_zero_table_counts_open_cases_per_subdistrict(self, client, world, bureau_official):
        from inspections.services import enforcement

        enforcement.unlicensed_case_transition(
            case=world.case_s, user=bureau_official, status=UnlicensedCaseStatus.CLOSED, on=days(0)
        )
        client_for(client, bureau_official)
        page = client.get(reverse("inspections:unlicensed_case_list"))
        zero = {row["name"]: row["open"] for row in page.context["zero"]}
        assert len(zero) == 43
        assert (zero["望京"], zero["双井"], zero["建外"]) == (2, 0, 0)
        assert page.context["open_total"] == 2
        html = page.content.decode()
        assert html.count('<li class="over">') == 1 and html.count('<li class="zero">') == 42

    def test_it_filters_by_subdistrict_status_and_open_only(self, client, world, bureau_official, shuangjing):
        client_for(client, bureau_official)
        url = reverse("inspections:unlicensed_case_list")

        def names(**params):
            return {row.record.name for row in client.get(url, params).context["table"].rows}

        assert names(subdistrict=shuangjing.pk) == {"双井阳光分部"}
        assert names(open="false") == set()
        assert names(open="true", q="花园") == {"望京花园分部"}
        assert names(status="closed") == set()

    def test_a_transition_form_refuses_an_early_date_and_changes_nothing(self, client, world, bureau_official):
        client_for(client, bureau_official)
        url = reverse("inspections:unlicensed_case_transition", args=[world.case_w.pk])
        response = client.post(url, {"status": "ordered_to_close", "on": iso(days(-365))})
        assert response.status_code == 400
        assert set(response.context["transition_form"].errors) == {"on"}
        assert UnlicensedCase.objects.get(pk=world.case_w.pk).status == UnlicensedCaseStatus.DISCOVERED
        response = client.post(url, {"status": "converted", "on": iso(days(0))})
        assert response.status_code == 400 and set(response.context["transition_form"].errors) == {"status"}
        response = client.post(url, {"status": "ordered_to_convert", "on": iso(days(0)), "note": "限期取得许可"})
        assert response.status_code == 302
        case = UnlicensedCase.objects.get(pk=world.case_w.pk)
        assert (case.status, case.ordered_on) == (UnlicensedCaseStatus.ORDERED_TO_CONVERT, days(0))
        assert "限期取得许可" in client.get(case.get_absolute_url()).content.decode()

    def test_registering_a_case_with_bad_input_shows_field_errors(self, client, world, bureau_official, kg_c):
        client_for(client, bureau_official)
        response = client.post(
            reverse("inspections:unlicensed_case_add"),
            {
                "subdistrict": subdistrict("望京").pk,
                "name": "",
                "children": "-1",
                "discovered_on": iso(days(0)),
                "kindergarten": kg_c.pk,
            },
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) >= {"name", "children", "kindergarten"}
        assert UnlicensedCase.objects.count() == 3


class TestConductPages:
    def test_counts_per_subdistrict_and_kind(self, client, world, bureau_official):
        client_for(client, bureau_official)
        page = client.get(reverse("inspections:conduct_case_list"))
        counts = {row["name"]: [(c["open"], c["total"]) for c in row["cells"]] for row in page.context["counts"]}
        # kinds in order: training institution, corporal punishment, ethics
        assert counts == {"望京": [(1, 1), (1, 1), (0, 0)], "双井": [(0, 0), (0, 0), (1, 1)]}

    def test_closing_needs_an_outcome(self, client, world, bureau_official):
        client_for(client, bureau_official)
        url = reverse("inspections:conduct_case_close", args=[world.conduct_w.pk])
        response = client.post(url, {"closed_on": iso(days(0)), "outcome": ""})
        assert response.status_code == 400 and set(response.context["close_form"].errors) == {"outcome"}
        assert client.post(url, {"closed_on": iso(days(0)), "outcome": "责令停止"}).status_code == 302
        case = ConductCase.objects.get(pk=world.conduct_w.pk)
        assert (case.status, case.outcome) == ("closed", "责令停止")
        edit = client.get(reverse("inspections:conduct_case_edit", args=[case.pk]))
        assert edit.status_code == 302  # a closed case is not edited

    def test_an_ethics_case_needs_a_kindergarten(self, client, world, bureau_official):
        client_for(client, bureau_official)
        response = client.post(
            reverse("inspections:conduct_case_add"),
            {"kind": "ethics", "subdistrict": subdistrict("望京").pk, "reported_on": iso(days(0)), "description": "x"},
        )
        assert response.status_code == 400 and "kindergarten" in response.context["form"].errors
        assert ConductCase.objects.count() == 3


# --- query counts -------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(bureau, n: int) -> None:
    area = subdistrict("劲松")
    for _ in range(n):
        kindergarten = KindergartenFactory(subdistrict=area)
        order(kindergarten, bureau, deadline=-1)
        unlicensed_case(bureau, area, kindergarten=kindergarten)
        conduct_case(bureau, area)


@pytest.mark.parametrize(
    "name", ["inspections:order_list", "inspections:unlicensed_case_list", "inspections:conduct_case_list"]
)
def test_list_pages_cost_a_fixed_number_of_queries(client, bureau_official, name):
    client_for(client, bureau_official)
    grow(bureau_official, 2)
    few = queries(client, reverse(name))
    grow(bureau_official, 8)
    assert queries(client, reverse(name)) == few


def test_detail_pages_cost_a_fixed_number_of_queries(client, bureau_official, kg_a):
    from inspections.services import enforcement

    client_for(client, bureau_official)
    issued = order(kg_a, bureau_official, issued=-60)
    enforcement.order_follow_up(order=issued, user=bureau_official, visited_on=days(-50), note="一")
    few = queries(client, issued.get_absolute_url())
    for n in range(5):
        enforcement.order_follow_up(order=issued, user=bureau_official, visited_on=days(-40 + n), note=str(n))
    assert queries(client, issued.get_absolute_url()) == few
