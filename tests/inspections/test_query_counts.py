"""List pages and the form cost a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services
from tests.conftest import client_for
from tests.factories import KindergartenFactory, UserFactory, subdistrict

from .factories import cycle, rate_all

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_kindergartens_with_assessments(evaluation_cycle, n: int) -> None:
    from accounts.choices import Role

    for kindergarten in KindergartenFactory.create_batch(n, subdistrict=subdistrict("劲松")):
        services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=UserFactory(role=Role.BUREAU_OFFICIAL))
        director = UserFactory(role=Role.DIRECTOR, kindergarten=kindergarten)
        assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=evaluation_cycle, user=director)
        rate_all(assessment, director, skip=3)


@pytest.mark.parametrize("name", ["cycle_detail", "self_assessment_list", "self_assessment_overdue", "framework_list"])
def test_it_pins_list_page_queries(client, bureau_official, name):
    evaluation_cycle = cycle(by=bureau_official)
    url = reverse(f"inspections:{name}", args=[evaluation_cycle.pk] if name == "cycle_detail" else [])
    client_for(client, bureau_official)
    add_kindergartens_with_assessments(evaluation_cycle, 2)
    few = queries(client, url)
    add_kindergartens_with_assessments(evaluation_cycle, 6)
    assert queries(client, url) == few


def test_it_renders_the_form_and_the_detail_page_in_a_fixed_number_of_queries(
    client, bureau_official, kg_a, director_a
):
    from .factories import handbook

    small = cycle(version=handbook(by=bureau_official, points_per_indicator=1), start_year=2020, by=bureau_official)
    large = cycle(version=handbook(by=bureau_official, points_per_indicator=3), start_year=2023, by=bureau_official)
    counts = []
    client_for(client, director_a)
    for evaluation_cycle in (small, large):
        services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=bureau_official)
        assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
        rate_all(assessment, director_a, skip=1)
        counts.append(
            (
                queries(client, reverse("inspections:self_assessment_edit", args=[assessment.pk])),
                queries(client, assessment.get_absolute_url()),
                queries(client, reverse("inspections:self_assessment_versions", args=[assessment.pk])),
            )
        )
    assert counts[0] == counts[1]
