"""Teaching research and pairing: activities feed the participants' training records (all or
none), pairing candidates come from the published grades, and clusters and pairings are scoped."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.choices import EvaluationStatus, ResultGrade
from kindergartens.models import Kindergarten
from staff.choices import ReviewRating, TrainingLevel, TrainingMode, TrainingSource
from staff.models import ResearchActivity, TrainingRecord
from staff.selectors_development import STRONG_GRADES, WEAKER_GRADES, pairing_candidates
from staff.services import activity_record, cluster_save, pairing_review_save, pairing_save, team_save
from tests.conftest import client_for
from tests.helpers import assert_api_scope
from tests.inspections.factories import cycle, external_evaluation

from .factories import StaffMemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 4, 10)


@pytest.fixture
def cluster(kg_a, kg_b, bureau_official):
    return cluster_save(user=bureau_official, name="望京片区", lead=kg_a, members=[kg_b])


def test_the_lead_is_a_member_and_only_the_bureau_draws_clusters(cluster, kg_a, kg_b, kg_c, director_a):
    assert set(cluster.members.all()) == {kg_a, kg_b}
    with pytest.raises(PermissionDenied):
        cluster_save(user=director_a, name="x", lead=kg_c, members=[])


def test_an_activity_gives_each_participant_its_hours(cluster, kg_a, kg_b, bureau_official):
    a, b = StaffMemberFactory(kindergarten=kg_a), StaffMemberFactory(kindergarten=kg_b)
    team = team_save(user=bureau_official, cluster=cluster, name="游戏组", topic="自主游戏", members=[a.person])
    activity = activity_record(
        user=bureau_official,
        team=team,
        held_on=DAY,
        topic="观察记录",
        hours=Decimal("3"),
        mode=TrainingMode.OFFLINE,
        participants=[a.person, b.person],
    )
    records = TrainingRecord.objects.filter(activity=activity).order_by("kindergarten__code")
    assert [(r.kindergarten, r.hours, r.level, r.source) for r in records] == [
        (kg_a, Decimal(3), TrainingLevel.CLUSTER, TrainingSource.RESEARCH),
        (kg_b, Decimal(3), TrainingLevel.CLUSTER, TrainingSource.RESEARCH),
    ]


def test_a_participant_outside_the_cluster_refuses_the_whole_activity(cluster, kg_a, kg_c, bureau_official):
    inside, outside = StaffMemberFactory(kindergarten=kg_a), StaffMemberFactory(kindergarten=kg_c, person__name="外园")
    team = team_save(user=bureau_official, cluster=cluster, name="游戏组", topic="自主游戏", members=[])
    with pytest.raises(ValidationError) as error:
        activity_record(
            user=bureau_official,
            team=team,
            held_on=DAY,
            topic="t",
            hours=Decimal(2),
            mode=TrainingMode.ONLINE,
            participants=[inside.person, outside.person],
        )
    assert "外园" in str(error.value)
    assert not ResearchActivity.objects.exists() and not TrainingRecord.objects.exists()


def test_candidates_come_from_the_latest_published_grade(kg_a, kg_b, kg_c, wangjing, bureau_official):
    evaluation_cycle = cycle(start_year=2024)
    external_evaluation(evaluation_cycle, kg_a, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.EXCELLENT)
    external_evaluation(evaluation_cycle, kg_b, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.QUALIFIED)
    external_evaluation(evaluation_cycle, kg_c, status=EvaluationStatus.DRAFT, grade=ResultGrade.UNQUALIFIED)
    everyone = Kindergarten.objects.all()
    assert list(pairing_candidates(everyone, WEAKER_GRADES)) == [kg_b]  # C's grade is not published
    assert list(pairing_candidates(everyone, STRONG_GRADES)) == [kg_a]
    pairing_save(user=bureau_official, strong=kg_a, weak=kg_b, started_on=DAY, goals="一日生活规范")
    assert not pairing_candidates(everyone, WEAKER_GRADES).exists()  # already paired


def test_a_pairing_has_one_review_a_year(kg_a, kg_b, bureau_official):
    pairing = pairing_save(user=bureau_official, strong=kg_a, weak=kg_b, started_on=DAY, goals="目标")
    review = dict(rating=ReviewRating.PARTLY, progress="进展", reviewed_on=DAY)
    pairing_review_save(user=bureau_official, pairing=pairing, year=2025, **review)
    with pytest.raises(ValidationError):
        pairing_review_save(user=bureau_official, pairing=pairing, year=2025, **review)
    with pytest.raises(ValidationError):
        pairing_save(user=bureau_official, strong=kg_a, weak=kg_a, started_on=DAY, goals="x")


def test_clusters_and_pairings_are_scoped(api_client, personas, cluster, kg_a, kg_b, kg_c, bureau_official, client):
    other = cluster_save(user=bureau_official, name="双井片区", lead=kg_c, members=[])
    ab = pairing_save(user=bureau_official, strong=kg_a, weak=kg_b, started_on=DAY, goals="x")
    ca = pairing_save(user=bureau_official, strong=kg_c, weak=kg_a, started_on=DAY, goals="y")
    url = "/api/research-clusters/"
    assert_api_scope(api_client, personas["director_b"], url, [cluster.pk], hidden_ids=[other.pk])
    assert_api_scope(api_client, personas["wangjing_official"], url, [cluster.pk], hidden_ids=[other.pk])
    assert_api_scope(api_client, personas["inspector"], url, [cluster.pk, other.pk])
    url = "/api/pairings/"
    assert_api_scope(api_client, personas["director_a"], url, [ab.pk, ca.pk])
    assert_api_scope(api_client, personas["director_b"], url, [ab.pk], hidden_ids=[ca.pk])
    director_b = client_for(client, personas["director_b"])
    assert director_b.get(f"/staff/pairings/{ca.pk}/").status_code == 404
    assert director_b.get(f"/staff/research/{other.pk}/").status_code == 404
    assert director_b.get(f"/staff/research/{cluster.pk}/").status_code == 200
    assert director_b.get("/staff/pairings/").status_code == 200


def test_the_bureau_forms_a_team_and_records_an_activity_on_the_cluster_page(client, cluster, kg_a, bureau_official):
    post = StaffMemberFactory(kindergarten=kg_a, person__name="孙老师")
    client = client_for(client, bureau_official)
    url = f"/staff/research/{cluster.pk}/"
    client.post(f"{url}teams/", {"name": "阅读组", "topic": "绘本", "leader": post.person_id})
    team = cluster.teams.get()
    assert list(team.members.all()) == [post.person]
    client.post(
        f"{url}activities/",
        {
            "team": team.pk,
            "held_on": "2025-04-10",
            "topic": "共读",
            "hours": "2",
            "mode": TrainingMode.OFFLINE,
            "participants": [post.person_id],
        },
    )
    assert TrainingRecord.objects.get(person=post.person).hours == 2
    assert "共读" in client.get(url).content.decode()


def test_the_bureau_edits_a_clusters_member_kindergartens(client, cluster, kg_a, kg_b, kg_c, bureau_official):
    url = f"/staff/research/{cluster.pk}/edit/"
    client_for(client, bureau_official)
    assert url in client.get(cluster.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].instance == cluster
    data = {"name": "望京—双井片区", "lead": kg_a.pk, "members": [kg_c.pk], "description": ""}
    assert client.post(url, data).status_code == 302
    cluster.refresh_from_db()
    assert cluster.name == "望京—双井片区"
    assert set(cluster.members.all()) == {kg_a, kg_c}  # kg_b left, the lead stays a member
    assert cluster.history.latest().history_user == bureau_official
    assert client.post(url, {**data, "lead": ""}).status_code == 200  # field errors, nothing changed
    assert set(cluster.members.all()) == {kg_a, kg_c}


def test_the_bureau_edits_a_teams_members(client, cluster, kg_a, kg_b, kg_c, bureau_official):
    a, b = StaffMemberFactory(kindergarten=kg_a), StaffMemberFactory(kindergarten=kg_b)
    outsider = StaffMemberFactory(kindergarten=kg_c)
    team = team_save(user=bureau_official, cluster=cluster, name="游戏组", topic="自主游戏", members=[a.person])
    url = f"/staff/research/teams/{team.pk}/edit/"
    client_for(client, bureau_official)
    assert url in client.get(cluster.get_absolute_url()).content.decode()
    assert client.get(url).context["form"].initial["members"] == [a.person]
    data = {"name": "游戏与观察组", "topic": "自主游戏", "leader": b.person.pk, "members": [b.person.pk]}
    assert client.post(url, data).status_code == 302
    team.refresh_from_db()
    assert (team.name, team.leader, set(team.members.all())) == ("游戏与观察组", b.person, {b.person})
    # Only people in post at the cluster's kindergartens may be members.
    response = client.post(url, {**data, "members": [outsider.person.pk]})
    assert response.status_code == 200 and "members" in response.context["form"].errors
    assert set(team.members.all()) == {b.person}


@pytest.mark.parametrize("persona", ["director_a", "wangjing_official", "inspector", "director_b"])
def test_only_the_bureau_edits_clusters_and_teams_and_out_of_scope_is_404(
    client, personas, persona, cluster, kg_c, bureau_official
):
    team = team_save(user=bureau_official, cluster=cluster, name="游戏组", topic="自主游戏", members=[])
    hidden = cluster_save(user=bureau_official, name="双井片区", lead=kg_c, members=[])
    hidden_team = team_save(user=bureau_official, cluster=hidden, name="阅读组", topic="绘本", members=[])
    client_for(client, personas[persona])
    for url in (f"/staff/research/{cluster.pk}/edit/", f"/staff/research/teams/{team.pk}/edit/"):
        assert client.get(url).status_code == 403  # every persona sees the cluster (kg_a, kg_b)
        assert client.post(url, {"name": "改名"}).status_code == 403
    sees_hidden = persona == "inspector"  # the inspector is assigned kg_c
    for url in (f"/staff/research/{hidden.pk}/edit/", f"/staff/research/teams/{hidden_team.pk}/edit/"):
        assert client.get(url).status_code == (403 if sees_hidden else 404)
    cluster.refresh_from_db()
    assert cluster.name == "望京片区"
