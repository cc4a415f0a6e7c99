"""The cycle plan's pages: the bureau creates, edits and fills a cycle and moves a kindergarten to
another year; coverage (and the list's counts) stay within the user's scope; the list page
renders for every persona and the plan costs a fixed number of queries."""

import pytest
from django.urls import reverse

from inspections.models import CycleAssignment
from tests.conftest import client_for

from ..conftest import queries
from ..factories import add_kindergartens_with_assessments, assign, cycle, handbook

pytestmark = pytest.mark.django_db


def test_it_shows_the_cycle_plan_with_coverage_and_lets_the_bureau_move_a_kindergarten(
    client, evaluation_cycle, kg_a, bureau_official, wangjing_official
):
    client_for(client, bureau_official)
    page = client.get(evaluation_cycle.get_absolute_url()).content.decode()
    assert "各街道/地区覆盖情况" in page and "望京" in page and "双井" in page and "调整年度" in page
    assignment = CycleAssignment.objects.get(kindergarten=kg_a)
    url = reverse("inspections:assignment_edit", args=[assignment.pk])
    response = client.post(
        url, {"planned_year": evaluation_cycle.start_year + 2, "self_assessment_due": "", "note": ""}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.planned_year == evaluation_cycle.start_year + 2

    client.logout()
    client_for(client, wangjing_official)
    page = client.get(evaluation_cycle.get_absolute_url()).content.decode()
    assert "望京" in page and "双井" not in page and "调整年度" not in page
    assert client.get(url).status_code == 403


def test_it_lets_the_bureau_create_and_edit_a_cycle_in_the_browser(client, bureau_official):
    from inspections.models import EvaluationCycle

    from ..factories import handbook

    version = handbook(by=bureau_official)
    client_for(client, bureau_official)
    assert client.get(reverse("inspections:cycle_add")).status_code == 200
    data = {
        "name": "2030—2032 年评估周期",
        "start_year": 2030,
        "framework_version": version.pk,
        "due_month": 5,
        "due_day": 31,
    }
    response = client.post(reverse("inspections:cycle_add"), data)
    created = EvaluationCycle.objects.get(start_year=2030)
    assert response.url == created.get_absolute_url() and created.end_year == 2032
    response = client.post(reverse("inspections:cycle_add"), {**data, "start_year": 2031})
    assert response.status_code == 200 and "重叠" in response.content.decode()
    edit = reverse("inspections:cycle_edit", args=[created.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {**data, "name": "改名后的周期", "start_year": 1999})
    created.refresh_from_db()
    assert (created.name, created.start_year) == ("改名后的周期", 2030)  # the start year stays
    response = client.post(reverse("inspections:cycle_assign", args=[created.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    ["cycle_list"],
)
@pytest.mark.parametrize("persona", ["bureau_official", "wangjing_official", "director_a", "inspector"])
def test_it_renders_every_list_page_for_every_persona(client, evaluation_cycle, personas, name, persona):
    client_for(client, personas[persona])
    response = client.get(reverse(f"inspections:{name}"), follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["cycle_detail"])
def test_it_pins_list_page_queries(client, bureau_official, name):
    evaluation_cycle = cycle(by=bureau_official)
    url = reverse(f"inspections:{name}", args=[evaluation_cycle.pk] if name == "cycle_detail" else [])
    client_for(client, bureau_official)
    add_kindergartens_with_assessments(evaluation_cycle, 2)
    few = queries(client, url)
    add_kindergartens_with_assessments(evaluation_cycle, 6)
    assert queries(client, url) == few


# --- from the access-control and input-validation review: figures on list pages stay within the user's scope ---


def test_it_counts_on_the_cycle_list_only_the_kindergartens_the_user_sees(
    client, director_a, wangjing_official, bureau_official, kg_a, kg_b, kg_c
):
    plan = cycle(version=handbook())
    for kindergarten in (kg_a, kg_b, kg_c):
        assign(plan, kindergarten)

    def assigned(user) -> list[int]:
        response = client_for(client, user).get(reverse("inspections:cycle_list"))
        assert response.status_code == 200
        return [c.assigned for c in response.context["object_list"]]

    assert assigned(director_a) == [1]
    assert assigned(wangjing_official) == [2]
    assert assigned(bureau_official) == [3]


def test_it_renders_the_progress_badges_as_markup_not_as_text(client, evaluation_cycle, kg_a, bureau_official):
    import datetime

    CycleAssignment.objects.filter(kindergarten=kg_a).update(
        self_assessment_due=datetime.date(2000, 1, 1), note="<b>备注</b>"
    )
    client_for(client, bureau_official)
    page = client.get(evaluation_cycle.get_absolute_url()).content.decode()
    assert '<span class="badge b-danger">自评逾期</span>' in page
    assert "&lt;span" not in page
    assert "&lt;b&gt;备注&lt;/b&gt;" in page  # what people type stays text
