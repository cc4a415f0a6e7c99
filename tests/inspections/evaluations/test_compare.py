"""The comparison page: self-rating beside external rating per point, differences highlighted,
per-area averages; a fixed number of queries however many points."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services as assessment_services
from inspections.choices import EvaluationStatus
from inspections.models import RatingLevel
from inspections.services import evaluations as services
from tests.conftest import client_for

from ..factories import assign, assigned, cycle, formed_team, handbook, rate, rate_all, submitted

pytestmark = pytest.mark.django_db


def compare_url(evaluation) -> str:
    return reverse("inspections:external_evaluation_compare", args=[evaluation.pk])


def row(page: str, point_id: int) -> str:
    match = re.search(rf'<tr id="point-{point_id}"[^>]*>.*?</tr>', page, re.S)
    assert match, f"no row for point {point_id}"
    return match.group(0)


@pytest.fixture
def evaluation_cycle_of_b(bureau_official, kg_b):
    """This year's cycle with only B in the plan (the shared `evaluation_cycle` plans A, B and C)."""
    result = cycle(by=bureau_official)
    assign(result, kg_b)
    return result


def test_it_shows_both_ratings_and_highlights_the_differences(
    client, evaluation_cycle_of_b, bureau_official, inspector, kg_b, director_b
):
    assessment = submitted(evaluation_cycle_of_b, kg_b, director_b)  # every point self-rated 3
    team = formed_team(evaluation_cycle_of_b, bureau_official, inspector)
    evaluation = assigned(team, bureau_official, kg_b)
    rate(evaluation, inspector, value=3)
    points = list(evaluation.framework_version.points())
    level = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=evaluation.framework_version.rating_scale)}
    services.evaluation_save(
        evaluation=evaluation,
        user=inspector,
        ratings={
            points[0].pk: services.FindingInput(level[1], "安全检查记录缺失"),
            points[1].pk: services.FindingInput(level[4]),
        },
    )

    client_for(client, inspector)
    page = client.get(compare_url(evaluation)).content.decode()

    lower, higher, same = row(page, points[0].pk), row(page, points[1].pk), row(page, points[2].pk)
    assert 'class="differs lower big"' in lower and "-2" in lower and "↓" in lower and "安全检查记录缺失" in lower
    assert 'class="differs higher"' in higher and "+1" in higher and "↑" in higher
    assert 'class=""' in same and 'data-difference="0"' in same
    assert f"第 {assessment.version} 版" in page
    # Per-area averages: the first area (三个要点: 1, 4, 3 against 3, 3, 3 in this handbook).
    first_area = points[0].key_indicator.area
    area_points = [p for p in points if p.key_indicator.area_id == first_area.pk]
    assert len(area_points) == 3
    averages = re.search(r'<table class="table area-averages".*?</table>', page, re.S).group(0)
    first_row = re.search(r"<tr[^>]*><td>1\. .*?</tr>", averages, re.S).group(0)
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', first_row)
    assert cells[:2] == ["3.0", "2.67"] and cells[2].startswith("-0.33") and cells[3] == "2"
    assert "2 / 15" in page  # two points differ


def test_without_a_submitted_self_assessment_only_external_ratings_show(
    client, evaluation_cycle_of_b, bureau_official, inspector, kg_b, director_b
):
    draft = assessment_services.self_assessment_start(kindergarten=kg_b, cycle=evaluation_cycle_of_b, user=director_b)
    rate_all(draft, director_b, value=1)  # a draft is not compared
    team = formed_team(evaluation_cycle_of_b, bureau_official, inspector)
    evaluation = assigned(team, bureau_official, kg_b)
    rate(evaluation, inspector, value=2)
    client_for(client, bureau_official)
    page = client.get(compare_url(evaluation)).content.decode()
    assert 'id="no-self-assessment"' in page and "differs" not in re.sub(r"legend-swatch differs", "", page)


def test_the_page_costs_a_fixed_number_of_queries_however_many_points(
    client, bureau_official, inspector, kg_b, director_b
):
    counts = []
    for start_year, per_indicator in ((2020, 1), (2023, 3)):
        evaluation_cycle = cycle(
            version=handbook(by=bureau_official, points_per_indicator=per_indicator),
            start_year=start_year,
            by=bureau_official,
        )
        assign(evaluation_cycle, kg_b)
        submitted(evaluation_cycle, kg_b, director_b)
        team = formed_team(evaluation_cycle, bureau_official, inspector, name=f"评估组 {start_year}")
        evaluation = assigned(team, bureau_official, kg_b)
        rate(evaluation, inspector, value=2, findings="发现")
        client_for(client, inspector)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(compare_url(evaluation)).status_code == 200
        counts.append(len(captured))
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(reverse("inspections:external_evaluation_detail", args=[evaluation.pk])).status_code == 200
            )
        counts.append(len(captured))
    assert counts[0] == counts[2] and counts[1] == counts[3]
    assert evaluation.status == EvaluationStatus.DRAFT
