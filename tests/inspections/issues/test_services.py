"""Issue lists and improvement: drawing up a list from an evaluation (all rows or none), and the
report → verify / send back steps, each allowed only to the right person and from the right status."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections import services
from inspections.choices import EvaluationStatus, IssueEventKind, IssueSource, IssueStatus
from inspections.models import IssueAttachment, IssueEvent, QualityIssue, RatingLevel
from inspections.services import issues as issue_services
from inspections.services.issues import IssueInput, deadline_key, description_key

from ..factories import PNG_BYTES, cycle, external_evaluation, quality_issue, submitted, upload

pytestmark = pytest.mark.django_db

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def rated(evaluation_cycle, kindergarten, director, values: dict[int, int]):
    """A submitted self-assessment: the points at the given indexes at those levels, the rest 3."""
    assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=evaluation_cycle, user=director)
    scale = evaluation_cycle.framework_version.rating_scale
    level = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=scale)}
    points = list(evaluation_cycle.framework_version.points())
    services.self_assessment_save(
        assessment=assessment,
        user=director,
        ratings={p.pk: services.RatingInput(level[values.get(i, 3)], f"佐证 {i}") for i, p in enumerate(points)},
    )
    return services.self_assessment_submit(assessment=assessment, user=director), points


def test_it_preselects_the_points_rated_in_the_lowest_two_levels(evaluation_cycle, kg_b, director_b):
    assessment, points = rated(evaluation_cycle, kg_b, director_b, {0: 1, 1: 2, 2: 4})
    rows = {row.point.pk: row for row in issue_services.source_points(assessment)}
    assert [p.pk for p in points if rows[p.pk].preselected] == [points[0].pk, points[1].pk]
    # A self-assessment's evidence note is not a finding: it prefills, it does not preselect.
    assert issue_services.default_description(rows[points[2].pk]) == "佐证 2"


def test_it_preselects_external_findings_and_low_ratings(evaluation_cycle, kg_c):
    evaluation = external_evaluation(
        evaluation_cycle, kg_c, status=EvaluationStatus.SUBMITTED, value=3, findings="环境创设有待加强"
    )
    rows = issue_services.source_points(evaluation)
    assert rows and all(row.preselected for row in rows)
    assert issue_services.default_description(rows[0]) == "环境创设有待加强"


def test_an_assigned_inspector_draws_up_the_list_tied_to_points_and_source(
    evaluation_cycle, kg_b, director_b, inspector
):
    assessment, points = rated(evaluation_cycle, kg_b, director_b, {0: 1, 1: 2})
    created = issue_services.issues_create_from_source(
        source=assessment,
        user=inspector,
        issues=[IssueInput(points[0].pk, "材料不足", IN_A_MONTH), IssueInput(points[1].pk, "记录零散", IN_A_MONTH)],
    )
    assert len(created) == 2
    issue = QualityIssue.objects.get(point=points[0])
    assert (issue.kindergarten, issue.cycle, issue.source, issue.self_assessment) == (
        kg_b,
        evaluation_cycle,
        IssueSource.SELF_ASSESSMENT,
        assessment,
    )
    assert issue.status == IssueStatus.OPEN and issue.created_by == inspector
    assert issue.history.first().history_user == inspector


def test_one_bad_row_saves_nothing_and_names_the_row(evaluation_cycle, kg_b, director_b, bureau_official):
    assessment, points = rated(evaluation_cycle, kg_b, director_b, {})
    with pytest.raises(ValidationError) as error:
        issue_services.issues_create_from_source(
            source=assessment,
            user=bureau_official,
            issues=[
                IssueInput(points[0].pk, "材料不足", IN_A_MONTH),
                IssueInput(points[1].pk, "记录零散", None),
                IssueInput(points[2].pk, "  ", timezone.localdate()),
            ],
        )
    assert set(error.value.error_dict) == {
        deadline_key(points[1].pk),
        description_key(points[2].pk),
        deadline_key(points[2].pk),
    }
    assert not QualityIssue.objects.exists()


def test_a_point_is_listed_once_per_source(evaluation_cycle, kg_b, director_b, bureau_official):
    assessment, points = rated(evaluation_cycle, kg_b, director_b, {})
    row = IssueInput(points[0].pk, "材料不足", IN_A_MONTH)
    issue_services.issues_create_from_source(source=assessment, user=bureau_official, issues=[row])
    with pytest.raises(ValidationError) as error:
        issue_services.issues_create_from_source(
            source=assessment, user=bureau_official, issues=[IssueInput(points[1].pk, "另一问题", IN_A_MONTH), row]
        )
    assert description_key(points[0].pk) in error.value.error_dict
    assert QualityIssue.objects.count() == 1


def test_a_point_of_another_version_is_refused(evaluation_cycle, kg_b, director_b, bureau_official):
    assessment, _points = rated(evaluation_cycle, kg_b, director_b, {})
    other = cycle(by=bureau_official, start_year=evaluation_cycle.start_year + 3).framework_version.points().first()
    with pytest.raises(ValidationError) as error:
        issue_services.issues_create_from_source(
            source=assessment, user=bureau_official, issues=[IssueInput(other.pk, "x", IN_A_MONTH)]
        )
    assert description_key(other.pk) in error.value.error_dict


@pytest.mark.parametrize("who", ["director_b", "wangjing_official", "inspector_of_others"])
def test_only_the_bureau_and_assigned_evaluators_draw_up_lists(evaluation_cycle, kg_a, kg_b, director_b, request, who):
    assessment, points = rated(evaluation_cycle, kg_b, director_b, {})
    if who == "inspector_of_others":
        from accounts.choices import Role
        from tests.factories import UserFactory

        user = UserFactory(role=Role.INSPECTOR)
        user.assigned_kindergartens.set([kg_a])
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        issue_services.issues_create_from_source(
            source=assessment, user=user, issues=[IssueInput(points[0].pk, "材料不足", IN_A_MONTH)]
        )
    assert not QualityIssue.objects.exists()


# An external evaluation's findings reach the director only once the bureau has published it.
@pytest.mark.parametrize("evaluation_status", [EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED])
def test_an_unfinished_source_cannot_have_a_list(
    evaluation_cycle, kg_b, director_b, bureau_official, evaluation_status
):
    draft = services.self_assessment_start(kindergarten=kg_b, cycle=evaluation_cycle, user=director_b)
    evaluation = external_evaluation(evaluation_cycle, kg_b, status=evaluation_status, value=1)
    point = evaluation_cycle.framework_version.points().first()
    for source in (draft, evaluation):
        with pytest.raises(ValidationError):
            issue_services.issues_create_from_source(
                source=source, user=bureau_official, issues=[IssueInput(point.pk, "x", IN_A_MONTH)]
            )
    assert not QualityIssue.objects.exists()


def test_an_external_evaluation_source_is_recorded(evaluation_cycle, kg_c, inspector):
    evaluation = external_evaluation(evaluation_cycle, kg_c, status=EvaluationStatus.PUBLISHED, value=1)
    point = evaluation_cycle.framework_version.points().first()
    [issue] = issue_services.issues_create_from_source(
        source=evaluation, user=inspector, issues=[IssueInput(point.pk, "师幼互动不足", IN_A_MONTH)]
    )
    assert issue.source == IssueSource.EXTERNAL_EVALUATION and issue.external_evaluation == evaluation
    assert issue.self_assessment is None


def test_a_plain_issue_links_the_cycles_evaluation_of_its_kind(evaluation_cycle, kg_b, director_b, bureau_official):
    assessment = submitted(evaluation_cycle, kg_b, director_b)
    point = evaluation_cycle.framework_version.points().first()
    issue = issue_services.issue_create(
        kindergarten=kg_b,
        cycle=evaluation_cycle,
        point=point,
        source=IssueSource.SELF_ASSESSMENT,
        description="材料不足",
        deadline=IN_A_MONTH,
        user=bureau_official,
    )
    assert issue.self_assessment == assessment
    unlinked = issue_services.issue_create(
        kindergarten=kg_b,
        cycle=evaluation_cycle,
        point=point,
        source=IssueSource.EXTERNAL_EVALUATION,
        description="督导发现",
        deadline=IN_A_MONTH,
        user=bureau_official,
    )
    assert unlinked.external_evaluation is None


def test_a_plain_issue_needs_a_point_of_the_cycles_version(evaluation_cycle, kg_b, bureau_official):
    other = cycle(by=bureau_official, start_year=evaluation_cycle.start_year + 3).framework_version.points().first()
    with pytest.raises(ValidationError) as error:
        issue_services.issue_create(
            kindergarten=kg_b,
            cycle=evaluation_cycle,
            point=other,
            source=IssueSource.SELF_ASSESSMENT,
            description="x",
            deadline=IN_A_MONTH,
            user=bureau_official,
        )
    assert "point" in error.value.error_dict
    assert not QualityIssue.objects.exists()


# --- improvement ----------------------------------------------------------------------------------


def test_the_full_cycle_report_send_back_report_verify(evaluation_cycle, kg_b, director_b, inspector):
    issue = quality_issue(evaluation_cycle, kg_b)
    first = issue_services.issue_report(
        issue=issue, user=director_b, note="已补充材料", files=[upload("photo.png", PNG_BYTES, "image/png")]
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REPORTED
    assert IssueAttachment.objects.get().event == first

    issue_services.issue_send_back(issue=issue, user=inspector, note="还有两个班级未整改")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.verified_at is None

    issue_services.issue_report(issue=issue, user=director_b, note="全部班级已整改")
    issue_services.issue_verify(issue=issue, user=inspector)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.VERIFIED
    assert issue.verified_by == inspector and issue.verified_at is not None

    events = list(IssueEvent.objects.filter(issue=issue).order_by("created_at", "pk"))
    assert [e.kind for e in events] == [
        IssueEventKind.REPORT,
        IssueEventKind.SEND_BACK,
        IssueEventKind.REPORT,
        IssueEventKind.VERIFY,
    ]
    # Earlier steps are kept exactly as they were.
    assert (events[0].pk, events[0].note, events[0].created_by) == (first.pk, "已补充材料", director_b)
    assert events[3].created_by == inspector and events[3].note


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (IssueStatus.OPEN, "verify"),
        (IssueStatus.OPEN, "send_back"),
        (IssueStatus.REPORTED, "report"),
        (IssueStatus.VERIFIED, "report"),
        (IssueStatus.VERIFIED, "send_back"),
        (IssueStatus.VERIFIED, "verify"),
    ],
)
def test_only_the_allowed_transitions(evaluation_cycle, kg_b, director_b, bureau_official, status, step):
    issue = quality_issue(evaluation_cycle, kg_b, status=status)
    call = {
        "report": lambda: issue_services.issue_report(issue=issue, user=director_b, note="x"),
        "verify": lambda: issue_services.issue_verify(issue=issue, user=bureau_official, note="x"),
        "send_back": lambda: issue_services.issue_send_back(issue=issue, user=bureau_official, note="x"),
    }[step]
    with pytest.raises(ValidationError):
        call()
    issue.refresh_from_db()
    assert issue.status == status and not IssueEvent.objects.exists()


def test_a_director_cannot_verify_and_an_inspector_cannot_report(evaluation_cycle, kg_b, director_b, inspector):
    issue = quality_issue(evaluation_cycle, kg_b)
    with pytest.raises(PermissionDenied):
        issue_services.issue_report(issue=issue, user=inspector, note="代为报告")
    issue_services.issue_report(issue=issue, user=director_b, note="已整改")
    for step in (issue_services.issue_verify, issue_services.issue_send_back):
        with pytest.raises(PermissionDenied):
            step(issue=issue, user=director_b, note="自己验证")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REPORTED and IssueEvent.objects.count() == 1


def test_only_the_own_director_reports_and_only_assigned_inspectors_verify(
    evaluation_cycle, kg_a, director_a, director_b, inspector, wangjing_official
):
    issue = quality_issue(evaluation_cycle, kg_a)
    for user in (director_b, wangjing_official, inspector):
        with pytest.raises(PermissionDenied):
            issue_services.issue_report(issue=issue, user=user, note="x")
    issue_services.issue_report(issue=issue, user=director_a, note="已整改")
    for user in (inspector, wangjing_official):  # kg_a is not assigned to the inspector
        with pytest.raises(PermissionDenied):
            issue_services.issue_verify(issue=issue, user=user)


def test_a_report_needs_a_note_and_acceptable_files_and_saves_nothing_otherwise(
    evaluation_cycle, kg_b, director_b, media_root
):
    from ..factories import EXE_BYTES

    issue = quality_issue(evaluation_cycle, kg_b)
    with pytest.raises(ValidationError) as error:
        issue_services.issue_report(
            issue=issue,
            user=director_b,
            note=" ",
            files=[upload("ok.png", PNG_BYTES, "image/png"), upload("evil.pdf", EXE_BYTES)],
        )
    assert set(error.value.error_dict) == {"note", "files"}
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    assert not IssueEvent.objects.exists() and not IssueAttachment.objects.exists()
    assert not list(media_root.rglob("*.png")) if media_root.exists() else True


def test_sending_back_needs_a_comment(evaluation_cycle, kg_b, director_b, bureau_official):
    issue = quality_issue(evaluation_cycle, kg_b)
    issue_services.issue_report(issue=issue, user=director_b, note="已整改")
    with pytest.raises(ValidationError) as error:
        issue_services.issue_send_back(issue=issue, user=bureau_official, note="")
    assert "note" in error.value.error_dict
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REPORTED
