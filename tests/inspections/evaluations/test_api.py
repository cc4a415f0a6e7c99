"""`/api/evaluations/` and `/api/evaluation-teams/`: scoped reads with ratings; writes through the services."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import Role
from inspections.choices import EvaluationStatus, ResultGrade
from inspections.models import RatingLevel
from inspections.services import evaluations as services
from tests.helpers import assert_api_scope

from ..factories import assigned, evaluator, external_evaluation, formed_team, rate

pytestmark = pytest.mark.django_db

EVALUATIONS = "/api/evaluations/"
TEAMS = "/api/evaluation-teams/"


@pytest.fixture
def world(evaluation_cycle, bureau_official, inspector, kg_a, kg_b, kg_c):
    """A published (another team), B submitted and C draft (the inspector's team)."""
    team = formed_team(evaluation_cycle, bureau_official, inspector)
    other_team = formed_team(evaluation_cycle, bureau_official, evaluator(), name="第二评估组")
    a = external_evaluation(evaluation_cycle, kg_a, team=other_team, status=EvaluationStatus.PUBLISHED, value=3)
    b = assigned(team, bureau_official, kg_b)
    rate(b, inspector)
    services.evaluation_submit(evaluation=b, user=inspector)
    c = assigned(team, bureau_official, kg_c)
    return {"A": a, "B": b, "C": c, "team": team, "other_team": other_team}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_official", "ABC"),
        ("wangjing_official", "AB"),
        ("inspector", "BC"),
        ("director_a", "A"),
        ("director_b", ""),
    ],
)
def test_evaluations_are_scoped(api_client, personas, world, persona, visible):
    ids = {letter: world[letter].pk for letter in "ABC"}
    assert_api_scope(
        api_client,
        personas[persona],
        EVALUATIONS,
        [ids[x] for x in visible],
        hidden_ids=[ids[x] for x in "ABC" if x not in visible],
    )


def test_teams_are_the_bureaus_and_their_members(api_client, personas, world):
    team, other = world["team"], world["other_team"]
    assert_api_scope(api_client, personas["bureau_official"], TEAMS, [team.pk, other.pk])
    assert_api_scope(api_client, personas["inspector"], TEAMS, [team.pk], hidden_ids=[other.pk])
    assert_api_scope(api_client, personas["director_a"], TEAMS, [], hidden_ids=[team.pk])
    assert_api_scope(api_client, personas["wangjing_official"], TEAMS, [], hidden_ids=[team.pk])


def test_an_evaluation_is_retrieved_with_its_ratings(api_client, director_a, world):
    api_client.force_authenticate(director_a)
    data = api_client.get(f"{EVALUATIONS}{world['A'].pk}/").json()
    points = world["A"].framework_version.points().count()
    assert data["status"] == "published" and len(data["ratings"]) == points
    assert {r["level_value"] for r in data["ratings"]} == {3}
    assert data["grade"] == ResultGrade.GOOD and data["team_name"] == "第二评估组"


def test_an_evaluator_saves_and_submits_through_the_api(api_client, inspector, bureau_official, world):
    c = world["C"]
    level = RatingLevel.objects.get(scale=c.framework_version.rating_scale, value=2)
    points = list(c.framework_version.points())
    api_client.force_authenticate(inspector)
    response = api_client.patch(
        f"{EVALUATIONS}{c.pk}/",
        {
            "visit_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "grade": "qualified",
            "ratings": [{"point": p.pk, "level": level.pk, "findings": "材料不足"} for p in points[:-1]],
        },
        format="json",
    )
    assert response.status_code == 200 and len(response.json()["ratings"]) == len(points) - 1

    response = api_client.post(f"{EVALUATIONS}{c.pk}/submit/")
    assert response.status_code == 400 and response.json()["missing_points"] == [points[-1].pk]

    api_client.patch(f"{EVALUATIONS}{c.pk}/", {"ratings": [{"point": points[-1].pk, "level": level.pk}]}, format="json")
    assert api_client.post(f"{EVALUATIONS}{c.pk}/submit/").json()["status"] == "submitted"
    assert api_client.post(f"{EVALUATIONS}{c.pk}/publish/", {"grade": "good"}).status_code == 403

    api_client.force_authenticate(bureau_official)
    response = api_client.post(f"{EVALUATIONS}{c.pk}/publish/", {}, format="json")
    assert response.status_code == 200 and response.json()["grade"] == "qualified"
    assert response.json()["status"] == "published"


def test_others_cannot_write(api_client, director_b, wangjing_official, world):
    b = world["B"]
    for user in (director_b, wangjing_official):
        api_client.force_authenticate(user)
        assert api_client.patch(f"{EVALUATIONS}{b.pk}/", {"summary": "x"}, format="json").status_code in (403, 404)
        assert api_client.post(f"{EVALUATIONS}{b.pk}/publish/", {"grade": "good"}).status_code in (403, 404)
    b.refresh_from_db()
    assert b.status == EvaluationStatus.SUBMITTED and b.summary == "总体良好"


def test_the_bureau_returns_it_with_a_comment(api_client, bureau_official, world):
    b = world["B"]
    api_client.force_authenticate(bureau_official)
    response = api_client.post(f"{EVALUATIONS}{b.pk}/return/", {"comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    response = api_client.post(f"{EVALUATIONS}{b.pk}/return/", {"comment": "请补充"}, format="json")
    assert response.json()["status"] == "draft"


@pytest.mark.django_db
def test_a_member_who_no_longer_records_sees_the_team_no_more(api_client, team, inspector, kg_b):
    """Teams are for their evaluators: membership alone is not enough once the role has changed."""
    api_client.force_authenticate(inspector)
    assert [row["id"] for row in api_client.get("/api/evaluation-teams/").json()["results"]] == [team.pk]

    inspector.role, inspector.kindergarten = Role.DIRECTOR, kg_b
    inspector.save()

    assert api_client.get("/api/evaluation-teams/").json()["results"] == []
    assert api_client.get(f"/api/evaluation-teams/{team.pk}/").status_code == 404
