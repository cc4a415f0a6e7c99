"""The self-assessment API: the same rules as the pages, scoped per persona."""

import pytest

from inspections import services
from inspections.choices import AssessmentStatus
from inspections.models import SelfAssessmentRating

from ..factories import EXE_BYTES, PDF_BYTES, levels, submitted, upload

pytestmark = pytest.mark.django_db


def test_it_lets_a_director_create_fill_and_submit_through_the_api(api_client, evaluation_cycle, kg_a, director_a):
    api_client.force_authenticate(director_a)
    response = api_client.post("/api/self-assessments/", {"cycle": evaluation_cycle.pk}, format="json")
    assert response.status_code == 201
    pk = response.data["id"]
    assert response.data["kindergarten"] == kg_a.pk and response.data["status"] == "draft"

    points = list(evaluation_cycle.framework_version.points())
    level = levels(evaluation_cycle.framework_version)[2]
    ratings = [{"point": p.pk, "level": level.pk, "evidence_note": "有记录"} for p in points[:-1]]
    response = api_client.patch(f"/api/self-assessments/{pk}/", {"summary": "良好", "ratings": ratings}, format="json")
    assert response.status_code == 200 and len(response.data["ratings"]) == 14

    response = api_client.post(f"/api/self-assessments/{pk}/submit/")
    assert response.status_code == 400
    assert response.data["missing_points"] == [points[-1].pk]
    assert f"point_{points[-1].pk}" in response.data

    response = api_client.post(
        f"/api/self-assessments/{pk}/attachments/", {"file": upload("a.pdf", PDF_BYTES)}, format="multipart"
    )
    assert response.status_code == 201 and response.data["content_type"] == "application/pdf"
    response = api_client.post(
        f"/api/self-assessments/{pk}/attachments/", {"file": upload("b.pdf", EXE_BYTES)}, format="multipart"
    )
    assert response.status_code == 400

    api_client.patch(
        f"/api/self-assessments/{pk}/", {"ratings": [{"point": points[-1].pk, "level": level.pk}]}, format="json"
    )
    response = api_client.post(f"/api/self-assessments/{pk}/submit/")
    assert response.status_code == 200 and response.data["status"] == "submitted"


def test_it_lets_nobody_change_a_submitted_assessment_through_the_api(api_client, evaluation_cycle, kg_a, personas):
    assessment = submitted(evaluation_cycle, kg_a, personas["director_a"])
    point = assessment.framework_version.points().first()
    level = levels(assessment.framework_version)[0]
    before = list(SelfAssessmentRating.objects.filter(assessment=assessment).values_list("level", "evidence_note"))
    for user in personas.values():
        api_client.force_authenticate(user)
        response = api_client.patch(
            f"/api/self-assessments/{assessment.pk}/",
            {"summary": "改", "ratings": [{"point": point.pk, "level": level.pk, "evidence_note": "改"}]},
            format="json",
        )
        assert response.status_code in (403, 404)
        response = api_client.post(
            f"/api/self-assessments/{assessment.pk}/attachments/",
            {"file": upload("a.pdf", PDF_BYTES)},
            format="multipart",
        )
        assert response.status_code in (403, 404)
        assert api_client.delete(f"/api/self-assessments/{assessment.pk}/").status_code in (403, 404, 405)
    assert (
        list(SelfAssessmentRating.objects.filter(assessment=assessment).values_list("level", "evidence_note")) == before
    )


def test_it_lets_the_bureau_return_and_the_director_revise_through_the_api(
    api_client, evaluation_cycle, kg_a, director_a, bureau_official
):
    assessment = submitted(evaluation_cycle, kg_a, director_a)
    api_client.force_authenticate(director_a)
    assert api_client.post(f"/api/self-assessments/{assessment.pk}/accept/").status_code == 403
    api_client.force_authenticate(bureau_official)
    assert api_client.post(f"/api/self-assessments/{assessment.pk}/return/", {"comment": ""}).status_code == 400
    response = api_client.post(f"/api/self-assessments/{assessment.pk}/return/", {"comment": "请补充材料"})
    assert response.status_code == 200 and response.data["status"] == "returned"
    api_client.force_authenticate(director_a)
    response = api_client.post(f"/api/self-assessments/{assessment.pk}/revise/")
    assert response.status_code == 201
    assert (response.data["version"], response.data["status"], response.data["revised_from"]) == (
        2,
        "draft",
        assessment.pk,
    )
    listed = api_client.get("/api/self-assessments/").data["results"]
    assert [a["version"] for a in listed] == [2]
    everything = api_client.get("/api/self-assessments/?all_versions=true").data["results"]
    assert sorted(a["version"] for a in everything) == [1, 2]
    old = api_client.get(f"/api/self-assessments/{assessment.pk}/")
    assert old.status_code == 200 and old.data["status"] == AssessmentStatus.RETURNED


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_admin", {"A", "B", "C"}),
        ("bureau_official", {"A", "B", "C"}),
        ("wangjing_official", {"A", "B"}),
        ("director_a", {"A"}),
        ("director_b", {"B"}),
        ("inspector", {"B", "C"}),
    ],
)
def test_it_scopes_self_assessments_per_persona(
    api_client, evaluation_cycle, kg_a, kg_b, kg_c, personas, persona, visible
):
    from accounts.choices import Role
    from tests.factories import UserFactory

    director_c = UserFactory(role=Role.DIRECTOR, kindergarten=kg_c)
    directors = {"A": (kg_a, personas["director_a"]), "B": (kg_b, personas["director_b"]), "C": (kg_c, director_c)}
    ids = {
        letter: services.self_assessment_start(kindergarten=kg, cycle=evaluation_cycle, user=director).pk
        for letter, (kg, director) in directors.items()
    }
    api_client.force_authenticate(personas[persona])
    listed = {a["id"] for a in api_client.get("/api/self-assessments/").data["results"]}
    assert listed == {ids[letter] for letter in visible}
    for letter, pk in ids.items():
        expected = 200 if letter in visible else 404
        assert api_client.get(f"/api/self-assessments/{pk}/").status_code == expected
