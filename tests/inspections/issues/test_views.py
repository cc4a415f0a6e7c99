"""Issue-list pages: scoping per persona (pages and evidence files), drawing up a list from an
evaluation (field errors, nothing saved), the improvement steps, the overdue escalation, the
trajectory's averages on a hand-computed case, and pinned query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from inspections import services
from inspections.choices import EvaluationStatus, IssueSource, IssueStatus
from inspections.models import ExternalRating, IssueAttachment, IssueEvent, QualityIssue, RatingLevel
from inspections.services import issues as issue_services
from inspections.services.issues import deadline_key, description_key
from inspections.trajectory import trajectory
from tests.conftest import client_for
from tests.factories import KindergartenFactory, UserFactory, subdistrict
from tests.helpers import VISIBLE_KINDERGARTENS

from ..factories import PNG_BYTES, assign, cycle, external_evaluation, handbook, quality_issue, submitted, upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def issues(evaluation_cycle, kg_a, kg_b, kg_c):
    """One issue per kindergarten; A's and C's overdue."""
    return {
        "A": quality_issue(evaluation_cycle, kg_a, deadline=YESTERDAY - datetime.timedelta(days=9)),
        "B": quality_issue(evaluation_cycle, kg_b),
        "C": quality_issue(evaluation_cycle, kg_c, deadline=YESTERDAY),
    }


def listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].paginated_rows}


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_pages_show_each_persona_only_their_scope(client, personas, issues, persona):
    client_for(client, personas[persona])
    visible = VISIBLE_KINDERGARTENS[persona]
    assert listed(client, reverse("inspections:issue_list")) == {issues[k].pk for k in visible}
    for letter, issue in issues.items():
        expected = 200 if letter in visible else 404
        assert client.get(issue.get_absolute_url()).status_code == expected
        kindergarten = issue.kindergarten_id
        assert client.get(reverse("inspections:trajectory", args=[kindergarten])).status_code == expected


def test_the_list_filters(client, bureau_official, issues, evaluation_cycle, wangjing):
    client_for(client, bureau_official)
    url = reverse("inspections:issue_list")
    assert listed(client, f"{url}?overdue=true") == {issues["A"].pk, issues["C"].pk}
    assert listed(client, f"{url}?overdue=false") == {issues["B"].pk}
    assert listed(client, f"{url}?subdistrict={wangjing.pk}&overdue=true") == {issues["A"].pk}
    area = issues["A"].point.key_indicator.area.name
    assert listed(client, f"{url}?area={area}&cycle={evaluation_cycle.pk}") == {i.pk for i in issues.values()}
    assert listed(client, f"{url}?area=教师队伍") == set()
    assert listed(client, f"{url}?source={IssueSource.EXTERNAL_EVALUATION}") == set()
    assert listed(client, f"{url}?status=open&kindergarten={issues['B'].kindergarten_id}") == {issues["B"].pk}


# --- drawing up a list from an evaluation ---------------------------------------------------------


@pytest.fixture
def assessment_b(evaluation_cycle, kg_b, director_b):
    """Kindergarten B's submitted self-assessment: its first point rated 1, the rest 3."""
    assessment = services.self_assessment_start(kindergarten=kg_b, cycle=evaluation_cycle, user=director_b)
    scale = evaluation_cycle.framework_version.rating_scale
    points = list(evaluation_cycle.framework_version.points())
    low, good = (RatingLevel.objects.get(scale=scale, value=v).pk for v in (1, 3))
    services.self_assessment_save(
        assessment=assessment,
        user=director_b,
        ratings={p.pk: services.RatingInput(low if i == 0 else good, "") for i, p in enumerate(points)},
    )
    return services.self_assessment_submit(assessment=assessment, user=director_b)


def test_the_issue_list_page_preselects_low_ratings_and_creates_them(client, inspector, assessment_b):
    client_for(client, inspector)
    url = reverse("inspections:issue_from_self_assessment", args=[assessment_b.pk])
    response = client.get(url)
    assert response.status_code == 200
    points = list(assessment_b.framework_version.points())
    form = response.context["form"]
    assert form[f"select_{points[0].pk}"].initial is True
    assert form[f"select_{points[1].pk}"].initial is False
    assert "需改进" in form[description_key(points[0].pk)].initial
    # Each row's fields are labelled with their point for screen readers (the table only has headers).
    number = response.context["rows"][0]["row"].point.number
    html = response.content.decode()
    for label in ("列入问题清单", "问题描述", "整改期限"):
        assert f'aria-label="{label} · 考查要点 {number}"' in html

    deadline = (TODAY + datetime.timedelta(days=45)).isoformat()
    response = client.post(
        url,
        {
            f"select_{points[0].pk}": "on",
            description_key(points[0].pk): "区域材料不足",
            deadline_key(points[0].pk): deadline,
            f"select_{points[1].pk}": "on",
            description_key(points[1].pk): "观察记录零散",
            deadline_key(points[1].pk): deadline,
        },
    )
    assert response.status_code == 302
    assert set(QualityIssue.objects.values_list("point_id", "self_assessment_id", "source")) == {
        (points[0].pk, assessment_b.pk, IssueSource.SELF_ASSESSMENT),
        (points[1].pk, assessment_b.pk, IssueSource.SELF_ASSESSMENT),
    }
    # Listed points are shown as listed, not offered again.
    response = client.get(url)
    assert f"select_{points[0].pk}" not in response.context["form"].fields


def test_one_bad_row_on_the_page_saves_nothing_and_marks_the_field(client, bureau_official, assessment_b):
    client_for(client, bureau_official)
    points = list(assessment_b.framework_version.points())
    response = client.post(
        reverse("inspections:issue_from_self_assessment", args=[assessment_b.pk]),
        {
            f"select_{points[0].pk}": "on",
            description_key(points[0].pk): "区域材料不足",
            deadline_key(points[0].pk): (TODAY + datetime.timedelta(days=30)).isoformat(),
            f"select_{points[1].pk}": "on",
            description_key(points[1].pk): "观察记录零散",
            deadline_key(points[1].pk): "",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[deadline_key(points[1].pk)]
    assert deadline_key(points[0].pk) not in form.errors
    assert not QualityIssue.objects.exists()


def test_the_list_page_is_for_the_bureau_and_assigned_evaluators(
    client, assessment_b, director_b, wangjing_official, kg_a, evaluation_cycle, director_a, inspector
):
    url = reverse("inspections:issue_from_self_assessment", args=[assessment_b.pk])
    for user in (director_b, wangjing_official):  # they see the assessment, they do not list issues
        client_for(client, user)
        assert client.get(url).status_code == 403
    other = submitted(evaluation_cycle, kg_a, director_a)
    client_for(client, inspector)  # kg_a is not theirs: the assessment does not exist for them
    assert client.get(reverse("inspections:issue_from_self_assessment", args=[other.pk])).status_code == 404


def test_an_external_evaluation_list_page(client, inspector, evaluation_cycle, kg_c):
    evaluation = external_evaluation(evaluation_cycle, kg_c, status=EvaluationStatus.PUBLISHED, value=3, findings="")
    rating = ExternalRating.objects.filter(evaluation=evaluation).first()
    ExternalRating.objects.filter(pk=rating.pk).update(findings="图书角图书陈旧")
    client_for(client, inspector)
    url = reverse("inspections:issue_from_external_evaluation", args=[evaluation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert [r["row"].point.pk for r in response.context["rows"] if r["row"].preselected] == [rating.point_id]
    response = client.post(
        url,
        {
            f"select_{rating.point_id}": "on",
            description_key(rating.point_id): "图书角图书陈旧",
            deadline_key(rating.point_id): (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert QualityIssue.objects.get().external_evaluation == evaluation


@pytest.mark.parametrize("status", [EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED])
def test_an_unpublished_evaluation_has_no_list_page(client, bureau_official, evaluation_cycle, kg_c, status):
    evaluation = external_evaluation(evaluation_cycle, kg_c, status=status, value=1)
    client_for(client, bureau_official)
    response = client.get(reverse("inspections:issue_from_external_evaluation", args=[evaluation.pk]))
    assert response.status_code == 302
    assert (
        "生成问题清单"
        not in client.get(reverse("inspections:external_evaluation_detail", args=[evaluation.pk])).content.decode()
    )


def test_the_plain_form_shows_field_errors(client, bureau_official, evaluation_cycle, kg_b):
    client_for(client, bureau_official)
    other = cycle(by=bureau_official, start_year=evaluation_cycle.start_year + 3).framework_version.points().first()
    data = {
        "kindergarten": kg_b.pk,
        "cycle": evaluation_cycle.pk,
        "point": other.pk,
        "source": IssueSource.SELF_ASSESSMENT,
        "description": "材料不足",
        "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    response = client.post(reverse("inspections:issue_add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["point"]
    data["point"] = evaluation_cycle.framework_version.points().first().pk
    data["deadline"] = YESTERDAY.isoformat()
    response = client.post(reverse("inspections:issue_add"), data)
    assert response.status_code == 400 and response.context["form"].errors["deadline"]
    assert not QualityIssue.objects.exists()
    data["deadline"] = (TODAY + datetime.timedelta(days=30)).isoformat()
    assert client.post(reverse("inspections:issue_add"), data).status_code == 302
    assert QualityIssue.objects.get().kindergarten == kg_b


def test_the_plain_form_offers_an_inspector_only_assigned_kindergartens(client, inspector, evaluation_cycle, kg_a):
    client_for(client, inspector)
    response = client.get(reverse("inspections:issue_add"))
    assert set(response.context["form"].fields["kindergarten"].queryset) == set(inspector.assigned_kindergartens.all())


# --- improvement on the page, and the evidence files ---------------------------------------------------


def test_report_and_verify_on_the_page(client, evaluation_cycle, kg_b, director_b, inspector):
    issue = quality_issue(evaluation_cycle, kg_b)
    client_for(client, director_b)
    response = client.post(
        reverse("inspections:issue_report", args=[issue.pk]),
        {"note": "已整改", "files": [upload("after.png", PNG_BYTES, "image/png")]},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REPORTED
    # The director cannot take the evaluator's step.
    response = client.post(reverse("inspections:issue_verify", args=[issue.pk]), {"decision": "verify"})
    assert response.status_code == 403
    client_for(client, inspector)
    response = client.post(reverse("inspections:issue_verify", args=[issue.pk]), {"decision": "send_back", "note": ""})
    assert response.status_code == 400 and response.context["verify_form"].errors["note"]
    response = client.post(reverse("inspections:issue_verify", args=[issue.pk]), {"decision": "verify"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.VERIFIED and issue.verified_by == inspector
    assert IssueEvent.objects.filter(issue=issue).count() == 2


def test_an_inspector_cannot_report_on_the_page(client, evaluation_cycle, kg_b, inspector, wangjing_official):
    issue = quality_issue(evaluation_cycle, kg_b)
    client_for(client, inspector)
    assert client.post(reverse("inspections:issue_report", args=[issue.pk]), {"note": "x"}).status_code == 403
    client_for(client, wangjing_official)  # reads, never changes: the issue is not in their change scope
    assert client.post(reverse("inspections:issue_report", args=[issue.pk]), {"note": "x"}).status_code == 404
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN


def test_a_refused_upload_on_the_page_shows_the_error_and_saves_nothing(client, evaluation_cycle, kg_b, director_b):
    from ..factories import EXE_BYTES

    issue = quality_issue(evaluation_cycle, kg_b)
    client_for(client, director_b)
    response = client.post(
        reverse("inspections:issue_report", args=[issue.pk]), {"note": "已整改", "files": [upload("x.pdf", EXE_BYTES)]}
    )
    assert response.status_code == 400 and response.context["report_form"].errors["files"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and not IssueEvent.objects.exists()


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_evidence_files_are_served_only_within_scope(client, personas, evaluation_cycle, kg_b, director_b, persona):
    issue = quality_issue(evaluation_cycle, kg_b)
    issue_services.issue_report(
        issue=issue, user=director_b, note="已整改", files=[upload("after.png", PNG_BYTES, "image/png")]
    )
    attachment = IssueAttachment.objects.get()
    client_for(client, personas[persona])
    response = client.get(reverse("inspections:issue_attachment", args=[attachment.pk]))
    if "B" in VISIBLE_KINDERGARTENS[persona]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG_BYTES
        # Private and never stored (the security headers middleware adds no-cache, must-revalidate).
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    else:
        assert response.status_code == 404


def test_anonymous_users_get_nothing(client, issues):
    assert client.get(reverse("inspections:issue_list")).status_code == 302
    assert client.get(issues["B"].get_absolute_url()).status_code == 302


# --- overdue escalation -----------------------------------------------------------------------------


def test_overdue_issues_escalate_per_subdistrict(client, bureau_official, issues, wangjing, shuangjing, kg_b):
    QualityIssue.objects.filter(pk=issues["B"].pk).update(deadline=YESTERDAY - datetime.timedelta(days=2))
    client_for(client, bureau_official)
    response = client.get(reverse("inspections:issue_overdue"))
    assert response.status_code == 200
    rows = {row["kindergarten__subdistrict_id"]: row for row in response.context["per_subdistrict"]}
    assert (rows[wangjing.pk]["issues"], rows[wangjing.pk]["kindergartens"]) == (2, 2)
    assert rows[wangjing.pk]["days"] == 10  # A's deadline passed ten days ago
    assert (rows[shuangjing.pk]["issues"], rows[shuangjing.pk]["days"]) == (1, 1)
    assert response.context["total"] == 3
    assert "逾期 10 天" in response.content.decode()


def test_verified_issues_do_not_escalate(client, bureau_official, issues):
    QualityIssue.objects.filter(pk=issues["C"].pk).update(status=IssueStatus.VERIFIED)
    client_for(client, bureau_official)
    response = client.get(reverse("inspections:issue_overdue"))
    assert {row.record.pk for row in response.context["table"].paginated_rows} == {issues["A"].pk}


def test_sub_district_officials_see_their_area_and_directors_no_escalation_page(
    client, wangjing_official, director_a, issues, wangjing
):
    client_for(client, wangjing_official)
    response = client.get(reverse("inspections:issue_overdue"))
    assert [row["kindergarten__subdistrict_id"] for row in response.context["per_subdistrict"]] == [wangjing.pk]
    client_for(client, director_a)
    assert client.get(reverse("inspections:issue_overdue")).status_code == 403


# --- trajectory ----------------------------------------------------------------------------------------


def test_trajectory_averages_per_area_and_cycle_by_hand(bureau_official, kg_b, director_b):
    """One point under each of the 15 key indicators: 办园方向 has 3 (indicators 1–3), 保育与安全 3
    (4–6), 教育过程 3 (7–9), 环境创设 2 (10–11), 教师队伍 4 (12–15)."""
    old = cycle(version=handbook(by=bureau_official), start_year=2020, by=bureau_official)
    new = cycle(version=handbook(by=bureau_official), start_year=2023, by=bureau_official)
    for evaluation_cycle, values in ((old, [1, 2, 3] + [4] * 12), (new, [4, 4, 4] + [2] * 12)):
        assign(evaluation_cycle, kg_b)
        assessment = services.self_assessment_start(kindergarten=kg_b, cycle=evaluation_cycle, user=director_b)
        scale = evaluation_cycle.framework_version.rating_scale
        level = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=scale)}
        points = list(evaluation_cycle.framework_version.points())
        services.self_assessment_save(
            assessment=assessment,
            user=director_b,
            ratings={p.pk: services.RatingInput(level[v], "") for p, v in zip(points, values, strict=True)},
        )
        services.self_assessment_submit(assessment=assessment, user=director_b)
    published = external_evaluation(new, kg_b, status=EvaluationStatus.PUBLISHED, value=1)
    ExternalRating.objects.filter(evaluation=published, point__key_indicator__order=12).update(
        level=RatingLevel.objects.get(scale=new.framework_version.rating_scale, value=4)
    )
    external_evaluation(old, kg_b, status=EvaluationStatus.SUBMITTED, value=4)  # not published: left out

    found = trajectory(kg_b, bureau_official)
    assert [c.pk for c in found.cycles] == [old.pk, new.pk]
    assert found.areas == ["办园方向", "保育与安全", "教育过程", "环境创设", "教师队伍"]
    self_ = IssueSource.SELF_ASSESSMENT
    external = IssueSource.EXTERNAL_EVALUATION
    assert found.averages[(old.pk, self_, "办园方向")] == pytest.approx(2.0)  # (1+2+3)/3
    assert found.averages[(old.pk, self_, "教师队伍")] == pytest.approx(4.0)
    assert found.averages[(new.pk, self_, "办园方向")] == pytest.approx(4.0)
    assert found.averages[(new.pk, self_, "环境创设")] == pytest.approx(2.0)
    assert found.averages[(new.pk, external, "教师队伍")] == pytest.approx(1.75)  # (4+1+1+1)/4
    assert found.averages[(new.pk, external, "保育与安全")] == pytest.approx(1.0)
    assert found.counts[(new.pk, external, "教师队伍")] == 4
    assert (old.pk, external, "教师队伍") not in found.averages

    # The director sees the same self-assessment averages and the published evaluation.
    assert trajectory(kg_b, director_b).averages == found.averages


def test_trajectory_issue_outcomes_and_days_to_resolve(client, evaluation_cycle, kg_b, director_b, bureau_official):
    resolved = quality_issue(evaluation_cycle, kg_b)
    QualityIssue.objects.filter(pk=resolved.pk).update(created_at=timezone.now() - datetime.timedelta(days=12))
    issue_services.issue_report(issue=resolved, user=director_b, note="已整改")
    issue_services.issue_verify(issue=resolved, user=bureau_official)
    quality_issue(evaluation_cycle, kg_b, deadline=YESTERDAY)
    found = trajectory(kg_b, director_b)
    [outcome] = found.outcomes
    assert (outcome.opened, outcome.open, outcome.reported, outcome.verified, outcome.overdue) == (2, 1, 0, 1, 1)
    assert outcome.average_days == 12
    by_pk = {i.pk: i for i in found.issues}
    assert by_pk[resolved.pk].days_to_resolve == 12 and by_pk[resolved.pk].reports == 1

    client_for(client, director_b)
    response = client.get(reverse("inspections:trajectory", args=[kg_b.pk]))
    assert response.status_code == 200
    assert 'id="trajectory-data"' in response.content.decode()


# --- query counts ---------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_issues(evaluation_cycle, n: int, kindergarten=None) -> None:
    bureau = UserFactory(role=Role.BUREAU_OFFICIAL)
    for i, kg in enumerate(KindergartenFactory.create_batch(n, subdistrict=subdistrict("劲松"))):
        kindergarten_ = kindergarten or kg
        director = UserFactory(role=Role.DIRECTOR, kindergarten=kindergarten_)
        issue = quality_issue(evaluation_cycle, kindergarten_, deadline=YESTERDAY if i % 2 else None)
        issue_services.issue_report(issue=issue, user=director, note="已整改")
        if i % 3 == 0:
            issue_services.issue_verify(issue=issue, user=bureau)


@pytest.mark.parametrize("name", ["issue_list", "issue_overdue"])
def test_it_pins_list_page_queries(client, bureau_official, evaluation_cycle, name):
    client_for(client, bureau_official)
    url = reverse(f"inspections:{name}")
    add_issues(evaluation_cycle, 2)
    few = queries(client, url)
    add_issues(evaluation_cycle, 6)
    assert queries(client, url) == few


def test_it_pins_the_trajectory_and_detail_queries(client, bureau_official, evaluation_cycle, kg_b, director_b):
    client_for(client, bureau_official)
    submitted(evaluation_cycle, kg_b, director_b)
    issue = quality_issue(evaluation_cycle, kg_b)
    issue_services.issue_report(
        issue=issue, user=director_b, note="一", files=[upload("a.png", PNG_BYTES, "image/png")]
    )
    url = reverse("inspections:trajectory", args=[kg_b.pk])
    few = (queries(client, url), queries(client, issue.get_absolute_url()))
    issue_services.issue_send_back(issue=issue, user=bureau_official, note="不足")
    issue_services.issue_report(
        issue=issue, user=director_b, note="二", files=[upload("b.png", PNG_BYTES, "image/png")]
    )
    for _ in range(4):
        quality_issue(evaluation_cycle, kg_b, point=evaluation_cycle.framework_version.points().last())
    assert (queries(client, url), queries(client, issue.get_absolute_url())) == few
