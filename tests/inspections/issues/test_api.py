"""`/api/issues/`: scoped per persona, the page's filters, events with their evidence, and the
improvement steps through the same services (403 for the wrong person, 400 with field keys)."""

import datetime

import pytest
from django.utils import timezone

from inspections.choices import IssueEventKind, IssueSource, IssueStatus
from inspections.models import IssueEvent, QualityIssue
from inspections.services import issues as issue_services
from tests.helpers import VISIBLE_KINDERGARTENS, api_list_ids, assert_api_scope

from ..factories import PNG_BYTES, quality_issue, upload

pytestmark = pytest.mark.django_db

URL = "/api/issues/"
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def issues(evaluation_cycle, kg_a, kg_b, kg_c):
    return {
        "A": quality_issue(evaluation_cycle, kg_a, deadline=YESTERDAY),
        "B": quality_issue(evaluation_cycle, kg_b),
        "C": quality_issue(evaluation_cycle, kg_c, deadline=YESTERDAY),
    }


@pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
def test_it_lists_only_the_callers_scope(api_client, personas, issues, persona):
    visible = VISIBLE_KINDERGARTENS[persona]
    assert_api_scope(
        api_client,
        personas[persona],
        URL,
        [issues[k].pk for k in visible],
        hidden_ids=[issues[k].pk for k in "ABC" if k not in visible],
    )


def test_it_filters_like_the_page(api_client, bureau_official, issues, wangjing):
    assert set(api_list_ids(api_client, bureau_official, f"{URL}?overdue=true")) == {issues["A"].pk, issues["C"].pk}
    assert api_list_ids(api_client, bureau_official, f"{URL}?overdue=true&subdistrict={wangjing.pk}") == [
        issues["A"].pk
    ]
    assert api_list_ids(api_client, bureau_official, f"{URL}?status=verified") == []
    assert api_list_ids(api_client, bureau_official, f"{URL}?area=教师队伍") == []


def test_the_director_reports_with_files_and_the_evaluator_verifies(api_client, issues, director_b, inspector):
    issue = issues["B"]
    api_client.force_authenticate(director_b)
    response = api_client.post(
        f"{URL}{issue.pk}/report/",
        {"note": "已整改", "files": [upload("after.png", PNG_BYTES, "image/png")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == IssueStatus.REPORTED
    [event] = data["events"]
    assert event["kind"] == IssueEventKind.REPORT and event["attachments"][0]["original_name"] == "after.png"
    # A director cannot verify their own improvement.
    assert api_client.post(f"{URL}{issue.pk}/verify/", {}, format="json").status_code == 403

    api_client.force_authenticate(inspector)
    # An inspector cannot report for the kindergarten.
    assert api_client.post(f"{URL}{issue.pk}/report/", {"note": "x"}, format="json").status_code == 403
    response = api_client.post(f"{URL}{issue.pk}/send-back/", {"note": ""}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api_client.post(f"{URL}{issue.pk}/verify/", {"note": "到位"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == IssueStatus.VERIFIED and response.json()["verified_by"] == inspector.pk
    # Verified is final.
    response = api_client.post(f"{URL}{issue.pk}/send-back/", {"note": "再看看"}, format="json")
    assert response.status_code == 400
    assert IssueEvent.objects.filter(issue=issue).count() == 2


def test_out_of_scope_actions_are_404(api_client, issues, director_a, wangjing_official, inspector):
    for user, letter in ((director_a, "B"), (wangjing_official, "A"), (inspector, "A")):
        api_client.force_authenticate(user)
        assert api_client.post(f"{URL}{issues[letter].pk}/report/", {"note": "x"}, format="json").status_code == 404
    assert QualityIssue.objects.filter(status=IssueStatus.OPEN).count() == 3


def test_creating_an_issue(api_client, evaluation_cycle, kg_a, kg_b, inspector, director_b):
    point = evaluation_cycle.framework_version.points().first()
    payload = {
        "kindergarten": kg_b.pk,
        "cycle": evaluation_cycle.pk,
        "point": point.pk,
        "source": IssueSource.EXTERNAL_EVALUATION,
        "description": "户外活动时间不足",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    api_client.force_authenticate(director_b)
    assert api_client.post(URL, payload, format="json").status_code == 403
    api_client.force_authenticate(inspector)
    response = api_client.post(URL, {**payload, "deadline": YESTERDAY.isoformat()}, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    assert api_client.post(URL, {**payload, "kindergarten": kg_a.pk}, format="json").status_code == 403
    response = api_client.post(URL, payload, format="json")
    assert response.status_code == 201
    assert response.json()["kindergarten"] == kg_b.pk and response.json()["events"] == []
    assert QualityIssue.objects.count() == 1


def test_the_list_costs_a_fixed_number_of_queries(
    api_client, bureau_official, evaluation_cycle, kg_b, director_b, django_assert_max_num_queries
):
    for _ in range(6):
        issue = quality_issue(evaluation_cycle, kg_b)
        issue_services.issue_report(
            issue=issue, user=director_b, note="已整改", files=[upload("a.png", PNG_BYTES, "image/png")]
        )
    api_client.force_authenticate(bureau_official)
    with django_assert_max_num_queries(8):
        assert api_client.get(URL).status_code == 200
