"""Access-control and input-validation review of the quality-evaluation pages and API.

Each test pins a hole the review found: figures on list pages counted over rows the user may
not see, PATCH bodies that are not objects answering 500 instead of 400, and query or form
parameters that pass `str.isdigit()` but not `int()` ("²") answering 500.
"""

import pytest
from django.urls import reverse

from inspections.choices import EvaluationStatus
from inspections.models import ConductCase, RectificationOrder, UnlicensedCase
from tests.conftest import client_for

from .enforcement_builders import build_world
from .factories import assign, cycle, external_evaluation, handbook, team

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError


# --- figures on list pages stay within the user's scope -----------------------------------------


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


def test_it_counts_on_the_team_list_only_the_evaluations_the_user_sees(client, inspector, bureau_official, kg_a, kg_b):
    """The inspector is in the team, but only kindergarten B is assigned to them (A is not)."""
    plan = cycle(version=handbook())
    crew = team(plan, inspector)
    external_evaluation(plan, kg_a, team=crew, status=EvaluationStatus.PUBLISHED)
    external_evaluation(plan, kg_b, team=crew)

    def counts(user) -> tuple[int, int]:
        (row,) = client_for(client, user).get(reverse("inspections:team_list")).context["object_list"]
        return row.evaluation_count, row.published_count

    assert counts(inspector) == (1, 0)
    assert counts(bureau_official) == (2, 1)


# --- refused input is a 400 (or a 404), never a 500 --------------------------------------------


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
    world = build_world(personas, kg_a, kg_b, kg_c)
    pk = getattr(world, record).pk
    before = model.history.filter(id=pk).count()
    api_client.force_authenticate(bureau_official)
    for body in ([{"description": "改"}], "改"):
        response = api_client.patch(url.format(pk), body, format="json")
        assert response.status_code == 400, response.content
    assert model.history.filter(id=pk).count() == before


@pytest.mark.parametrize("name", ["inspections:results_overview", "inspections:results_export"])
@pytest.mark.parametrize("parameter", ["cycle", "subdistrict"])
def test_the_results_pages_ignore_a_parameter_that_is_not_a_number(client, bureau_official, kg_a, name, parameter):
    cycle(version=handbook())  # a cycle and a sub-district to compare the parameter with
    response = client_for(client, bureau_official).get(reverse(name), {parameter: SUPERSCRIPT_TWO})
    assert response.status_code == 200


def test_starting_a_self_assessment_with_a_cycle_that_is_not_a_number_is_a_404(client, director_a):
    response = client_for(client, director_a).post(
        reverse("inspections:self_assessment_start"), {"cycle": SUPERSCRIPT_TWO}
    )
    assert response.status_code == 404


def test_assigning_a_kindergarten_that_is_not_a_number_shows_the_form_error(client, bureau_official):
    plan = cycle(version=handbook())
    crew = team(plan, name="第二评估组")
    response = client_for(client, bureau_official).post(
        reverse("inspections:team_assign", args=[crew.pk]), {"kindergartens": [SUPERSCRIPT_TWO]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["kindergartens"]
