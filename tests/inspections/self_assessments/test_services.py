"""Directors' self-assessments: draft any time, submit only when complete, frozen once
submitted (for everybody) until returned, revised as a new version, every version kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.choices import AssessmentStatus
from inspections.models import Locked, SelfAssessment, SelfAssessmentAttachment, SelfAssessmentRating

from ..factories import PDF_BYTES, assign, cycle, levels, rate_all, submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation_cycle_of_a_and_b(bureau_official, kg_a, kg_b):
    """This year's cycle with A and B in the plan, not C (the shared `evaluation_cycle` plans all three)."""
    result = cycle(by=bureau_official)
    assign(result, kg_a)
    assign(result, kg_b)
    return result


def test_it_starts_version_one_for_the_directors_own_kindergarten_only(
    evaluation_cycle_of_a_and_b, kg_a, kg_b, director_a
):
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
    assert (assessment.version, assessment.status) == (1, AssessmentStatus.DRAFT)
    assert assessment.framework_version == evaluation_cycle_of_a_and_b.framework_version
    assert assessment.due_date == evaluation_cycle_of_a_and_b.due_date_for(evaluation_cycle_of_a_and_b.start_year)
    # Starting again returns the same draft.
    assert (
        services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
        == assessment
    )
    with pytest.raises(PermissionDenied):
        services.self_assessment_start(kindergarten=kg_b, cycle=evaluation_cycle_of_a_and_b, user=director_a)


def test_it_refuses_to_start_for_a_kindergarten_not_in_the_plan(evaluation_cycle_of_a_and_b, kg_c):
    from accounts.choices import Role
    from tests.factories import UserFactory

    director_c = UserFactory(role=Role.DIRECTOR, kindergarten=kg_c)
    with pytest.raises(ValidationError):
        services.self_assessment_start(kindergarten=kg_c, cycle=evaluation_cycle_of_a_and_b, user=director_c)


def test_it_saves_a_partial_draft_and_refuses_to_submit_it_naming_the_missing_points(
    evaluation_cycle_of_a_and_b, kg_a, director_a
):
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
    rate_all(assessment, director_a, skip=2)
    points = list(assessment.framework_version.points())
    with pytest.raises(services.IncompleteAssessment) as error:
        services.self_assessment_submit(assessment=assessment, user=director_a)
    assert [p.pk for p in error.value.missing] == [p.pk for p in points[-2:]]
    assert set(error.value.message_dict) >= {services.point_key(p.pk) for p in points[-2:]}
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert SelfAssessmentRating.objects.filter(assessment=assessment).count() == len(points) - 2


def test_it_counts_a_point_with_only_a_note_as_missing(evaluation_cycle_of_a_and_b, kg_a, director_a):
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
    rate_all(assessment, director_a, skip=1)
    last = assessment.framework_version.points().last()
    services.self_assessment_save(
        assessment=assessment, user=director_a, ratings={last.pk: services.RatingInput(None, "只写了说明")}
    )
    with pytest.raises(services.IncompleteAssessment) as error:
        services.self_assessment_submit(assessment=assessment, user=director_a)
    assert [p.pk for p in error.value.missing] == [last.pk]


def test_it_refuses_a_level_from_another_scale_and_points_of_another_version(
    evaluation_cycle_of_a_and_b, kg_a, director_a
):
    from inspections.models import RatingLevel, RatingScale

    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
    other_scale = RatingScale.objects.create(name="三级")
    foreign_level = RatingLevel.objects.create(scale=other_scale, value=1, label="差")
    point = assessment.framework_version.points().first()
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            assessment=assessment, user=director_a, ratings={point.pk: services.RatingInput(foreign_level.pk)}
        )
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            assessment=assessment, user=director_a, ratings={999999: services.RatingInput(None)}
        )


def test_it_lets_only_the_own_director_fill_a_draft(evaluation_cycle_of_a_and_b, kg_a, personas):
    assessment = services.self_assessment_start(
        kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=personas["director_a"]
    )
    point = assessment.framework_version.points().first()
    level = levels(assessment.framework_version)[0]
    for name in ("bureau_admin", "bureau_official", "wangjing_official", "director_b", "inspector"):
        with pytest.raises(PermissionDenied):
            services.self_assessment_save(
                assessment=assessment, user=personas[name], ratings={point.pk: services.RatingInput(level.pk)}
            )


def test_it_freezes_a_submitted_assessment_for_everybody(evaluation_cycle_of_a_and_b, kg_a, personas, tmp_path):
    director = personas["director_a"]
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director)
    services.self_assessment_attachment_add(assessment=assessment, user=director, file=upload("记录.pdf", PDF_BYTES))
    rate_all(assessment, director)
    services.self_assessment_submit(assessment=assessment, user=director)
    point = assessment.framework_version.points().first()
    level = levels(assessment.framework_version)[0]
    rating = SelfAssessmentRating.objects.filter(assessment=assessment).first()
    attachment = SelfAssessmentAttachment.objects.get(assessment=assessment)

    for user in personas.values():
        with pytest.raises(PermissionDenied):  # Locked is a PermissionDenied
            services.self_assessment_save(
                assessment=assessment, user=user, ratings={point.pk: services.RatingInput(level.pk, "改")}
            )
        with pytest.raises(PermissionDenied):
            services.self_assessment_attachment_add(assessment=assessment, user=user, file=upload("b.pdf", PDF_BYTES))
        with pytest.raises(PermissionDenied):
            services.self_assessment_attachment_delete(attachment=attachment, user=user)
        with pytest.raises(PermissionDenied):
            services.self_assessment_submit(assessment=assessment, user=user)
    # Below the services: the models and querysets refuse too.
    rating.evidence_note = "直接改"
    with pytest.raises(Locked):
        rating.save()
    with pytest.raises(Locked):
        rating.delete()
    with pytest.raises(Locked):
        SelfAssessmentRating.objects.filter(assessment=assessment).update(evidence_note="批量改")
    with pytest.raises(Locked):
        SelfAssessmentAttachment.objects.filter(assessment=assessment).delete()
    with pytest.raises(Locked):
        SelfAssessment.objects.filter(pk=assessment.pk).update(summary="批量改")
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    stored.summary = "直接改"
    with pytest.raises(Locked):
        stored.save()
    stored = SelfAssessment.objects.get(pk=assessment.pk)
    stored.status = AssessmentStatus.DRAFT
    with pytest.raises(Locked):
        stored.save()
    with pytest.raises(Locked):
        stored.delete()
    assert SelfAssessmentRating.objects.get(pk=rating.pk).evidence_note != "直接改"


def test_it_lets_only_the_bureau_review_and_requires_a_comment_to_return(evaluation_cycle_of_a_and_b, kg_a, personas):
    assessment = submitted(evaluation_cycle_of_a_and_b, kg_a, personas["director_a"])
    for name in ("wangjing_official", "director_a", "director_b", "inspector"):
        with pytest.raises(PermissionDenied):
            services.self_assessment_accept(assessment=assessment, user=personas[name])
    with pytest.raises(ValidationError):
        services.self_assessment_return(assessment=assessment, user=personas["bureau_official"], comment="  ")


def test_it_revises_a_returned_assessment_as_a_new_version_and_keeps_the_old_one(
    evaluation_cycle_of_a_and_b, kg_a, director_a, bureau_official, django_capture_on_commit_callbacks
):
    first = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b, user=director_a)
    services.self_assessment_attachment_add(assessment=first, user=director_a, file=upload("记录.pdf", PDF_BYTES))
    rate_all(first, director_a, value=4)
    services.self_assessment_submit(assessment=first, user=director_a)
    services.self_assessment_return(
        assessment=first, user=bureau_official, comment="师幼互动的评分偏高，请补充观察记录。"
    )
    first_ratings = list(
        SelfAssessmentRating.objects.filter(assessment=first).values_list("point", "level__value", "evidence_note")
    )

    second = services.self_assessment_revise(assessment=first, user=director_a)
    assert (second.version, second.status, second.revised_from) == (2, AssessmentStatus.DRAFT, first)
    assert (
        list(
            SelfAssessmentRating.objects.filter(assessment=second).values_list("point", "level__value", "evidence_note")
        )
        == first_ratings
    )
    assert (
        SelfAssessmentAttachment.objects.get(assessment=second).file.name
        == SelfAssessmentAttachment.objects.get(assessment=first).file.name
    )

    point = second.framework_version.points().first()
    low = levels(second.framework_version)[1]
    services.self_assessment_save(
        assessment=second, user=director_a, ratings={point.pk: services.RatingInput(low.pk, "已补充")}
    )
    # Deleting the copied attachment from the draft keeps the returned version's file.
    copied = SelfAssessmentAttachment.objects.get(assessment=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.self_assessment_attachment_delete(attachment=copied, user=director_a)
    assert SelfAssessmentAttachment.objects.get(assessment=first).file.storage.exists(copied.file.name)
    services.self_assessment_submit(assessment=second, user=director_a)
    services.self_assessment_accept(assessment=second, user=bureau_official, comment="同意")

    first.refresh_from_db()
    assert first.status == AssessmentStatus.RETURNED
    assert first.review_comment == "师幼互动的评分偏高，请补充观察记录。"
    assert (
        list(
            SelfAssessmentRating.objects.filter(assessment=first).values_list("point", "level__value", "evidence_note")
        )
        == first_ratings
    )
    assert SelfAssessment.objects.filter(kindergarten=kg_a, cycle=evaluation_cycle_of_a_and_b).count() == 2
    assert list(SelfAssessment.objects.latest_versions().filter(kindergarten=kg_a)) == [second]
    with pytest.raises(ValidationError):
        services.self_assessment_revise(assessment=second, user=director_a)


def test_it_records_who_did_each_step_in_the_history(evaluation_cycle_of_a_and_b, kg_a, director_a, bureau_official):
    assessment = submitted(evaluation_cycle_of_a_and_b, kg_a, director_a)
    services.self_assessment_accept(assessment=assessment, user=bureau_official)
    users = [h.history_user for h in assessment.history.order_by("history_date")]
    assert users == [director_a, director_a, bureau_official]
