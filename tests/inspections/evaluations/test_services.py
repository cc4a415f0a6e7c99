"""Supervisory (external) evaluation services: teams and their scope, the visit record, review,
and the models' lock on published evaluations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inspections import services as assessment_services
from inspections.choices import EvaluationStatus, ResultGrade
from inspections.models import (
    CycleAssignment,
    ExternalEvaluation,
    ExternalEvaluationAttachment,
    ExternalRating,
    Locked,
    RatingLevel,
    SelfAssessment,
)
from inspections.services import evaluations as services
from tests.factories import KindergartenFactory

from ..factories import (
    EXE_BYTES,
    PNG_BYTES,
    assigned,
    evaluator,
    external_evaluation,
    formed_team,
    rate,
    submitted,
    submitted_evaluation,
    upload,
)

pytestmark = pytest.mark.django_db


# --- teams and assignment ------------------------------------------------------------------------------


def test_it_assigns_kindergartens_as_drafts_and_adds_them_to_every_members_scope(
    evaluation_cycle, bureau_official, kg_a, kg_b
):
    leader, member = evaluator(), evaluator()
    team = formed_team(evaluation_cycle, bureau_official, leader, member)

    result = services.evaluation_assign(team=team, kindergartens=[kg_a, kg_b], user=bureau_official)

    assert (result.created, result.moved) == (2, 0)
    evaluations = ExternalEvaluation.objects.filter(cycle=evaluation_cycle)
    assert {e.kindergarten_id for e in evaluations} == {kg_a.pk, kg_b.pk}
    assert all(e.status == EvaluationStatus.DRAFT and e.team == team for e in evaluations)
    assert all(e.framework_version_id == evaluation_cycle.framework_version_id for e in evaluations)
    for user in (leader, member):
        assert set(user.assigned_kindergartens.values_list("pk", flat=True)) == {kg_a.pk, kg_b.pk}
        assert ExternalEvaluation.objects.visible_to(user).count() == 2
    # Assigning again changes nothing.
    again = services.evaluation_assign(team=team, kindergartens=[kg_a], user=bureau_official)
    assert (again.created, again.moved, again.unchanged) == (0, 0, 1)


def test_a_member_who_joins_later_gets_the_teams_kindergartens(evaluation_cycle, bureau_official, kg_a):
    first = evaluator()
    team = formed_team(evaluation_cycle, bureau_official, first)
    services.evaluation_assign(team=team, kindergartens=[kg_a], user=bureau_official)
    late = evaluator()
    services.evaluation_team_update(
        team=team, name=team.name, user=bureau_official, leader=first, members=[first, late]
    )
    assert list(late.assigned_kindergartens.values_list("pk", flat=True)) == [kg_a.pk]


def test_team_members_must_be_inspectors(evaluation_cycle, bureau_official, director_a):
    with pytest.raises(ValidationError) as error:
        formed_team(evaluation_cycle, bureau_official, evaluator(), director_a)
    assert "members" in error.value.message_dict


def test_a_draft_moves_to_another_team_but_a_submitted_one_does_not(
    evaluation_cycle, bureau_official, team, inspector, kg_b, kg_c
):
    other_member = evaluator()
    other = formed_team(evaluation_cycle, bureau_official, other_member, name="第二评估组")
    draft = assigned(team, bureau_official, kg_b)
    submitted_evaluation(team, bureau_official, kg_c, inspector)

    moved = services.evaluation_assign(team=other, kindergartens=[kg_b], user=bureau_official)
    assert moved.moved == 1
    draft.refresh_from_db()
    assert draft.team == other and kg_b in other_member.assigned_kindergartens.all()

    with pytest.raises(ValidationError) as error:
        services.evaluation_assign(team=other, kindergartens=[kg_c], user=bureau_official)
    assert "kindergartens" in error.value.message_dict
    assert ExternalEvaluation.objects.get(kindergarten=kg_c).team == team
    assert kg_c not in other_member.assigned_kindergartens.all()


def test_assignment_is_all_or_nothing_and_only_of_the_cycles_plan(evaluation_cycle, bureau_official, team, kg_a):
    outside = KindergartenFactory(subdistrict=kg_a.subdistrict)
    with pytest.raises(ValidationError) as error:
        services.evaluation_assign(team=team, kindergartens=[kg_a, outside], user=bureau_official)
    assert outside.name in " ".join(error.value.message_dict["kindergartens"])
    assert not ExternalEvaluation.objects.exists()
    assert not team.members.first().assigned_kindergartens.filter(pk=kg_a.pk).exists()


def test_only_the_bureau_forms_teams_and_assigns(evaluation_cycle, team, inspector, wangjing_official, kg_a):
    for user in (inspector, wangjing_official):
        with pytest.raises(PermissionDenied):
            services.evaluation_assign(team=team, kindergartens=[kg_a], user=user)
        with pytest.raises(PermissionDenied):
            formed_team(evaluation_cycle, user, evaluator(), name="越权评估组")


# --- the visit record --------------------------------------------------------------------------------


def test_submit_refuses_an_incomplete_evaluation_and_names_the_missing_points(bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    rate(evaluation, inspector, skip=2, findings="区域材料不足")
    with pytest.raises(services.IncompleteEvaluation) as refused:
        services.evaluation_submit(evaluation=evaluation, user=inspector)
    points = list(evaluation.framework_version.points())
    assert [p.pk for p in refused.value.missing] == [p.pk for p in points[-2:]]
    assert f"point_{points[-1].pk}" in refused.value.message_dict
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT

    assert ExternalRating.objects.filter(evaluation=evaluation, findings="区域材料不足").count() == len(points) - 2
    rate(evaluation, inspector)
    services.evaluation_submit(evaluation=evaluation, user=inspector)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.submitted_by == inspector


def test_submit_needs_the_visit_date(bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    level = RatingLevel.objects.get(scale=evaluation.framework_version.rating_scale, value=3)
    ratings = {p.pk: services.FindingInput(level.pk) for p in evaluation.framework_version.points()}
    services.evaluation_save(evaluation=evaluation, user=inspector, ratings=ratings)
    with pytest.raises(services.IncompleteEvaluation) as refused:
        services.evaluation_submit(evaluation=evaluation, user=inspector)
    assert refused.value.missing == [] and "visit_date" in refused.value.message_dict


def test_bad_input_is_refused_per_field_and_nothing_is_saved(bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    point = evaluation.framework_version.points().first()
    unknown_level = RatingLevel.objects.order_by("-pk").first().pk + 100
    good = RatingLevel.objects.get(scale=point.rating_scale, value=2)
    second = evaluation.framework_version.points()[1]
    bad = {point.pk: services.FindingInput(unknown_level), second.pk: services.FindingInput(good.pk)}
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(evaluation=evaluation, user=inspector, ratings=bad, grade="superb")
    assert set(error.value.message_dict) == {f"point_{point.pk}", "grade"}
    assert not ExternalRating.objects.filter(evaluation=evaluation).exists()


def test_only_team_members_record_and_nobody_after_submit(evaluation_cycle, bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    outsider = evaluator(kg_b)  # kindergarten in scope, but not in the team
    for user in (outsider, bureau_official):
        with pytest.raises(PermissionDenied):
            rate(evaluation, user)
    rate(evaluation, inspector)
    services.evaluation_submit(evaluation=evaluation, user=inspector)
    with pytest.raises(Locked):
        rate(evaluation, inspector, value=1)
    with pytest.raises(Locked):
        services.evaluation_attachment_add(evaluation=evaluation, user=inspector, file=upload("a.png", PNG_BYTES))


def test_attachments_are_checked(bureau_official, team, inspector, kg_b):
    evaluation = assigned(team, bureau_official, kg_b)
    with pytest.raises(ValidationError):
        services.evaluation_attachment_add(evaluation=evaluation, user=inspector, file=upload("报告.pdf", EXE_BYTES))
    attachment = services.evaluation_attachment_add(
        evaluation=evaluation,
        user=inspector,
        file=upload("现场照片.png", PNG_BYTES),
        point=evaluation.framework_version.points().first(),
    )
    assert attachment.content_type == "image/png" and attachment.file.name.startswith(
        f"inspections/external-evaluations/{kg_b.pk}/"
    )
    assert "现场照片" not in attachment.file.name


# --- review ---------------------------------------------------------------------------------------------


def test_publish_requires_a_grade_and_records_who_and_when(bureau_official, team, inspector, kg_b):
    evaluation = submitted_evaluation(team, bureau_official, kg_b, inspector, grade="")
    with pytest.raises(ValidationError) as error:
        services.evaluation_publish(evaluation=evaluation, user=bureau_official)
    assert "grade" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.evaluation_publish(evaluation=evaluation, user=inspector, grade=ResultGrade.GOOD)

    services.evaluation_publish(
        evaluation=evaluation, user=bureau_official, grade=ResultGrade.EXCELLENT, comment="同意"
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED and evaluation.grade == ResultGrade.EXCELLENT
    assert evaluation.published_by == bureau_official and evaluation.published_at is not None


def test_publish_takes_the_proposed_grade(bureau_official, team, inspector, kg_b):
    evaluation = submitted_evaluation(team, bureau_official, kg_b, inspector, grade=ResultGrade.QUALIFIED)
    services.evaluation_publish(evaluation=evaluation, user=bureau_official)
    evaluation.refresh_from_db()
    assert evaluation.grade == ResultGrade.QUALIFIED


def test_return_sends_it_back_to_draft_with_a_comment(bureau_official, team, inspector, kg_b):
    evaluation = submitted_evaluation(team, bureau_official, kg_b, inspector)
    with pytest.raises(ValidationError) as error:
        services.evaluation_return(evaluation=evaluation, user=bureau_official, comment=" ")
    assert "comment" in error.value.message_dict
    services.evaluation_return(evaluation=evaluation, user=bureau_official, comment="请补充第 3 项的评估发现")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.review_comment.startswith("请补充")
    rate(evaluation, inspector, value=2)  # the team may record again
    services.evaluation_submit(evaluation=evaluation, user=inspector)


# --- the lock on published evaluations ----------------------------------------------------------------------


def test_a_published_evaluation_its_ratings_and_attachments_cannot_be_changed_or_deleted(
    bureau_official, team, inspector, kg_b
):
    evaluation = assigned(team, bureau_official, kg_b)
    rate(evaluation, inspector)
    attachment = services.evaluation_attachment_add(
        evaluation=evaluation, user=inspector, file=upload("a.png", PNG_BYTES)
    )
    services.evaluation_save(evaluation=evaluation, user=inspector, ratings={}, grade=ResultGrade.GOOD)
    services.evaluation_submit(evaluation=evaluation, user=inspector)
    services.evaluation_publish(evaluation=evaluation, user=bureau_official)
    evaluation.refresh_from_db()

    evaluation.summary = "改过的意见"
    rating = ExternalRating.objects.filter(evaluation=evaluation).first()
    rating.findings = "改过"
    attempts = [
        evaluation.save,
        evaluation.delete,
        ExternalEvaluation.objects.filter(pk=evaluation.pk).delete,
        rating.save,
        rating.delete,
        ExternalRating.objects.filter(evaluation=evaluation).delete,
        lambda: ExternalRating.objects.create(evaluation=evaluation, point=rating.point),
        ExternalEvaluationAttachment.objects.get(pk=attachment.pk).delete,
    ]
    for attempt in attempts:
        # A refused delete breaks the enclosing transaction, as any database error would.
        with pytest.raises(Locked), transaction.atomic():
            attempt()
    with pytest.raises(ValidationError):
        services.evaluation_return(evaluation=evaluation, user=bureau_official, comment="再改")
    evaluation.refresh_from_db()
    assert evaluation.summary == "总体良好" and evaluation.is_published


def test_a_published_evaluation_may_be_created_directly_and_a_draft_may_still_change(evaluation_cycle, kg_a, kg_b):
    published = external_evaluation(evaluation_cycle, kg_a, status=EvaluationStatus.PUBLISHED, value=3)
    assert published.is_published and published.ratings.count() == evaluation_cycle.framework_version.points().count()
    draft = external_evaluation(evaluation_cycle, kg_b, value=2)
    draft.summary = "草稿可以修改"
    draft.save()
    draft.ratings.first().delete()
    draft.delete()


# --- the cycle's coverage ---------------------------------------------------------------------------------


def test_a_published_external_evaluation_counts_as_evaluated(
    evaluation_cycle, bureau_official, kg_a, kg_b, kg_c, director_a
):
    submitted(evaluation_cycle, kg_a, director_a)  # submitted, not accepted: not yet evaluated
    external_evaluation(evaluation_cycle, kg_b, status=EvaluationStatus.PUBLISHED)
    external_evaluation(evaluation_cycle, kg_c, status=EvaluationStatus.SUBMITTED)

    evaluated = CycleAssignment.objects.filter(cycle=evaluation_cycle).filter(
        CycleAssignment.objects.evaluated_condition()
    )
    assert list(evaluated.values_list("kindergarten_id", flat=True)) == [kg_b.pk]
    progress = {a.kindergarten_id: a.evaluated for a in CycleAssignment.objects.with_progress()}
    assert progress == {kg_a.pk: False, kg_b.pk: True, kg_c.pk: False}
    totals = CycleAssignment.objects.filter(cycle=evaluation_cycle).coverage_totals()
    assert totals["evaluated"] == 1

    assessment_services.self_assessment_accept(
        assessment=SelfAssessment.objects.get(kindergarten=kg_a), user=bureau_official
    )
    assert CycleAssignment.objects.filter(cycle=evaluation_cycle).coverage_totals()["evaluated"] == 2
