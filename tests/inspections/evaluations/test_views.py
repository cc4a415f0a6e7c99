"""Supervisory evaluation pages: the bureau forms teams and assigns, an evaluator records and
submits, the bureau publishes; everybody else sees only what is theirs (404 otherwise)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.choices import EvaluationStatus, ResultGrade
from inspections.forms import files_field, level_field
from inspections.forms.evaluations import findings_field
from inspections.models import EvaluationTeam, ExternalEvaluation, ExternalRating, RatingLevel
from inspections.services import evaluations as services
from tests.conftest import client_for
from tests.factories import KindergartenFactory

from ..factories import (
    PNG_BYTES,
    assign,
    assigned,
    cycle,
    evaluator,
    external_evaluation,
    handbook,
    rate,
    submitted_evaluation,
    team,
    upload,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"inspections:{name}", args=args)


def form_data(evaluation, *, count=None, action="save", value=3, visit_date=None) -> dict:
    level = RatingLevel.objects.get(scale=evaluation.framework_version.rating_scale, value=value)
    points = list(evaluation.framework_version.points())
    data = {
        "action": action,
        "summary": "保教过程规范",
        "grade": ResultGrade.GOOD,
        "visit_date": (visit_date or timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }
    for point in points[: count if count is not None else len(points)]:
        data[level_field(point.pk)] = str(level.pk)
        data[findings_field(point.pk)] = f"发现 {point.pk}"
    return data


# --- the bureau: teams and assignment ----------------------------------------------------------------------


def test_the_bureau_forms_a_team_of_inspectors(client, evaluation_cycle, bureau_official, director_a):
    first, second = evaluator(username="eva1"), evaluator(username="eva2")
    client_for(client, bureau_official)
    assert client.get(url("team_add")).status_code == 200

    bad = {"cycle": evaluation_cycle.pk, "name": "第一组", "leader": first.pk, "members": [first.pk, director_a.pk]}
    response = client.post(url("team_add"), bad)
    assert response.status_code == 200 and "members" in response.context["form"].errors
    assert not EvaluationTeam.objects.exists()

    good = {"cycle": evaluation_cycle.pk, "name": "第一组", "leader": first.pk, "members": [second.pk]}
    response = client.post(url("team_add"), good)
    team = EvaluationTeam.objects.get()
    assert response.url == url("team_detail", team.pk)
    assert set(team.members.all()) == {first, second} and team.leader == first
    assert "eva2" in client.get(url("team_list")).content.decode()


def test_the_bureau_assigns_kindergartens_picked_by_subdistrict(
    client, evaluation_cycle, bureau_official, team, inspector, kg_a, kg_b, kg_c, wangjing
):
    client_for(client, bureau_official)
    page = client.get(url("team_assign", team.pk), {"subdistrict": wangjing.pk}).content.decode()
    assert kg_a.name in page and kg_b.name in page and kg_c.name not in page

    response = client.post(url("team_assign", team.pk), {"kindergartens": [kg_a.pk, kg_b.pk]})
    assert response.url == url("team_detail", team.pk)
    assert set(ExternalEvaluation.objects.values_list("kindergarten_id", flat=True)) == {kg_a.pk, kg_b.pk}
    assert kg_a in inspector.assigned_kindergartens.all()
    detail = client.get(url("team_detail", team.pk)).content.decode()
    assert kg_a.name in detail and "记录中" in detail

    outside = KindergartenFactory(subdistrict=wangjing)
    response = client.post(url("team_assign", team.pk), {"kindergartens": [outside.pk]})
    assert response.status_code == 400 and "kindergartens" in response.context["form"].errors


def test_only_the_bureau_reaches_the_team_forms(client, team, inspector, wangjing_official, director_a):
    for user in (inspector, wangjing_official, director_a):
        client_for(client, user)
        assert client.get(url("team_add")).status_code == 403
        assert client.post(url("team_assign", team.pk), {"kindergartens": []}).status_code == 403
    client_for(client, inspector)
    assert client.get(url("team_detail", team.pk)).status_code == 200  # their own team, read only
    client_for(client, wangjing_official)
    assert client.get(url("team_detail", team.pk)).status_code == 404


# --- the evaluator: record, save, come back, submit --------------------------------------------------------------


def test_an_evaluator_records_saves_and_submits(client, bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    client_for(client, inspector)
    response = client.get(url("index"))
    assert response.url == url("external_evaluation_mine")
    assert kg_b.name in client.get(response.url).content.decode()

    edit = url("external_evaluation_edit", evaluation.pk)
    page = client.get(edit).content.decode()
    assert 'type="radio"' in page and "保存草稿" in page and "尚未评分的考查要点（15 个）" in page

    data = form_data(evaluation, count=10)
    first_point = evaluation.framework_version.points().first()
    data[files_field(first_point.pk)] = upload("现场照片.png", PNG_BYTES)
    assert client.post(edit, data).url == edit
    assert ExternalRating.objects.filter(evaluation=evaluation).count() == 10
    attachment = evaluation.attachments.get()
    assert attachment.point == first_point

    # Submitting part of it: saved, refused, and the unrated points are listed.
    response = client.post(edit, form_data(evaluation, count=12, action="submit"))
    assert response.status_code == 200
    assert "尚未评分的考查要点（3 个）" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.ratings.count() == 12

    response = client.post(edit, form_data(evaluation, action="submit"))
    assert response.url == url("external_evaluation_detail", evaluation.pk)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.grade == ResultGrade.GOOD

    # Read only for the evaluators from now on.
    assert client.get(edit).url == url("external_evaluation_detail", evaluation.pk)
    assert client.post(edit, form_data(evaluation, value=1)).status_code == 403
    assert client.post(url("external_evaluation_attachment_delete", attachment.pk)).status_code in (302, 403)
    assert evaluation.attachments.count() == 1


def test_bad_input_shows_under_the_field_and_saves_nothing(client, bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    client_for(client, inspector)
    data = form_data(evaluation, visit_date=timezone.localdate() + datetime.timedelta(days=5))
    response = client.post(url("external_evaluation_edit", evaluation.pk), data)
    assert response.status_code == 400 and "visit_date" in response.context["form"].errors
    assert not ExternalRating.objects.filter(evaluation=evaluation).exists()


def test_an_inspector_outside_the_team_cannot_record(client, bureau_official, team, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    outsider = evaluator(kg_b)
    client_for(client, outsider)
    assert client.get(url("external_evaluation_detail", evaluation.pk)).status_code == 200
    assert client.get(url("external_evaluation_edit", evaluation.pk)).status_code == 403
    stranger = evaluator()
    client_for(client, stranger)
    assert client.get(url("external_evaluation_detail", evaluation.pk)).status_code == 404


# --- the bureau's review --------------------------------------------------------------------------------


def test_the_bureau_publishes_with_a_grade_or_returns_with_a_comment(
    client, bureau_official, team, inspector, kg_b, kg_c
):
    evaluation = submitted_evaluation(team, bureau_official, kg_b, inspector, grade="")
    client_for(client, bureau_official)
    review = url("external_evaluation_review", evaluation.pk)
    assert "审定" in client.get(url("external_evaluation_detail", evaluation.pk)).content.decode()

    response = client.post(review, {"decision": "publish", "grade": ""})
    assert response.status_code == 400 and "grade" in response.context["review_form"].errors
    response = client.post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "comment" in response.context["review_form"].errors
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED

    client.post(review, {"decision": "publish", "grade": ResultGrade.EXCELLENT, "comment": "同意公布"})
    evaluation.refresh_from_db()
    assert evaluation.is_published and evaluation.grade == ResultGrade.EXCELLENT

    other = submitted_evaluation(team, bureau_official, kg_c, inspector)
    client.post(url("external_evaluation_review", other.pk), {"decision": "return", "comment": "请补充评估发现"})
    other.refresh_from_db()
    assert other.status == EvaluationStatus.DRAFT and other.review_comment == "请补充评估发现"

    client_for(client, inspector)
    assert client.post(url("external_evaluation_review", other.pk), {"decision": "publish"}).status_code == 403


# --- scoping -----------------------------------------------------------------------------------------------


@pytest.fixture
def evaluations(evaluation_cycle, bureau_official, team, inspector, kg_a, kg_b, kg_c):
    """A published, B submitted (with an attachment), C draft."""
    result = {"A": external_evaluation(evaluation_cycle, kg_a, status=EvaluationStatus.PUBLISHED, value=3)}
    result["B"] = assigned(team, bureau_official, kg_b)
    rate(result["B"], inspector)
    services.evaluation_attachment_add(evaluation=result["B"], user=inspector, file=upload("b.png", PNG_BYTES))
    services.evaluation_submit(evaluation=result["B"], user=inspector)
    result["C"] = assigned(team, bureau_official, kg_c)
    return result


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_official", "ABC"),
        ("wangjing_official", "AB"),
        ("inspector", "BC"),
        ("director_a", "A"),
        ("director_b", ""),  # B's evaluation is not published yet
    ],
)
def test_pages_and_files_are_scoped(client, personas, evaluations, persona, visible):
    client_for(client, personas[persona])
    listed = client.get(url("external_evaluation_list")).context["table"].data.data
    assert {e.kindergarten.code[2] for e in listed} == set(visible)
    for letter, evaluation in evaluations.items():
        expected = 200 if letter in visible else 404
        assert client.get(url("external_evaluation_detail", evaluation.pk)).status_code == expected
        assert client.get(url("external_evaluation_compare", evaluation.pk)).status_code == expected
    attachment = evaluations["B"].attachments.get()
    response = client.get(url("external_evaluation_attachment", attachment.pk))
    assert response.status_code == (200 if "B" in visible else 404)


def test_a_director_sees_the_own_published_evaluation(client, evaluations, director_a):
    client_for(client, director_a)
    page = client.get(url("external_evaluation_detail", evaluations["A"].pk)).content.decode()
    assert "已公布" in page and "记录评估" not in page and "审定结论" not in page


def test_the_list_filters_by_status_and_grade(client, bureau_official, evaluations):
    client_for(client, bureau_official)
    rows = client.get(url("external_evaluation_list"), {"status": "submitted"}).context["table"].data.data
    assert [e.pk for e in rows] == [evaluations["B"].pk]
    rows = client.get(url("external_evaluation_list"), {"grade": "good"}).context["table"].data.data
    assert [e.pk for e in rows] == [evaluations["A"].pk]


def test_the_list_pages_cost_a_fixed_number_of_queries(client, evaluation_cycle, bureau_official, team, inspector):
    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for kindergarten in KindergartenFactory.create_batch(n):
            assign(evaluation_cycle, kindergarten)
            evaluation = assigned(team, bureau_official, kindergarten)
            rate(evaluation, inspector, skip=1)

    add(2)
    counts = []
    for user, path in ((bureau_official, "external_evaluation_list"), (inspector, "external_evaluation_mine")):
        client_for(client, user)
        counts.append(queries(url(path)))
    client_for(client, bureau_official)
    counts.append(queries(url("team_list")))
    add(5)
    again = []
    for user, path in ((bureau_official, "external_evaluation_list"), (inspector, "external_evaluation_mine")):
        client_for(client, user)
        again.append(queries(url(path)))
    client_for(client, bureau_official)
    again.append(queries(url("team_list")))
    assert again == counts


# --- from the access-control and input-validation review: figures on list pages stay within the
# user's scope, refused input is a 400. `team` in these two is the ORM builder of factories (the
# fixture of the same name is not requested).

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError


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


def test_assigning_a_kindergarten_that_is_not_a_number_shows_the_form_error(client, bureau_official):
    plan = cycle(version=handbook())
    crew = team(plan, name="第二评估组")
    response = client_for(client, bureau_official).post(
        reverse("inspections:team_assign", args=[crew.pk]), {"kindergartens": [SUPERSCRIPT_TWO]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["kindergartens"]
