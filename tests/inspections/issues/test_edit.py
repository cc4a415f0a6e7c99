"""Correcting an issue (修改问题 / 调整整改期限): who may, which input is refused (and then nothing
changes), the step in the timeline and the history, the page per persona, the API's PATCH, and
a moved deadline bringing a new reminder."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.choices import IssueEventKind, IssueStatus
from inspections.models import IssueEvent, QualityIssue
from inspections.services import issues as issue_services
from notifications.models import Notification
from notifications.services import send_reminders
from tests.conftest import client_for

from ..factories import quality_issue

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = "/api/issues/"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def issue(evaluation_cycle, kg_b):
    """An open issue of kindergarten B (in the inspector's charge), due in 30 days."""
    return quality_issue(evaluation_cycle, kg_b, description="区域活动材料投放不足", deadline=days(30))


def snapshot(issue: QualityIssue) -> tuple:
    fresh = QualityIssue.objects.get(pk=issue.pk)
    return (
        fresh.description,
        fresh.deadline,
        fresh.status,
        fresh.history.count(),
        IssueEvent.objects.filter(issue=issue).count(),
    )


def update(issue, user, **changes):
    values = {"description": issue.description, "deadline": issue.deadline, "reason": ""}
    return issue_services.issue_update(issue=issue, user=user, **{**values, **changes})


# --- the service ------------------------------------------------------------------------------------


class TestWhoMayCorrect:
    @pytest.mark.parametrize("persona", ["bureau_admin", "bureau_official", "inspector"])
    def test_the_bureau_and_the_assigned_inspector_may(self, personas, issue, persona):
        event = update(issue, personas[persona], deadline=days(45), reason="园所申请延期")
        issue.refresh_from_db()
        assert issue.deadline == days(45)
        assert event.created_by == personas[persona]

    @pytest.mark.parametrize("persona", ["director_a", "director_b", "wangjing_official"])
    def test_directors_and_sub_district_officials_may_not(self, personas, issue, persona):
        before = snapshot(issue)
        with pytest.raises(PermissionDenied):
            update(issue, personas[persona], description="改", deadline=days(45), reason="延期")
        assert snapshot(issue) == before

    def test_an_inspector_may_not_for_a_kindergarten_not_assigned(self, evaluation_cycle, kg_a, inspector):
        other = quality_issue(evaluation_cycle, kg_a)
        with pytest.raises(PermissionDenied):
            update(other, inspector, description="改")

    def test_it_matches_the_flag_the_pages_use(self, personas, issue):
        allowed = {name for name, user in personas.items() if issue.is_correctable_by(user)}
        assert allowed == {"bureau_admin", "bureau_official", "inspector"}


class TestRefusedInput:
    def test_a_verified_issue_is_final(self, issue, director_b, inspector):
        issue_services.issue_report(issue=issue, user=director_b, note="已整改")
        issue_services.issue_verify(issue=issue, user=inspector)
        before = snapshot(issue)
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, description="改", deadline=days(60), reason="延期")
        assert refused.value.code == "final"
        assert snapshot(issue) == before
        assert not QualityIssue.objects.get(pk=issue.pk).is_correctable_by(inspector)

    def test_a_reported_issue_may_still_be_corrected(self, issue, director_b, inspector):
        issue_services.issue_report(issue=issue, user=director_b, note="已整改")
        update(issue, inspector, deadline=days(40), reason="等待复查")
        issue.refresh_from_db()
        assert (issue.deadline, issue.status) == (days(40), IssueStatus.REPORTED)

    @pytest.mark.parametrize("deadline", [days(0), days(-1)])
    def test_a_new_deadline_must_be_after_today(self, issue, inspector, deadline):
        before = snapshot(issue)
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, description="新描述", deadline=deadline, reason="提前")
        assert set(refused.value.message_dict) == {"deadline"}
        assert snapshot(issue) == before

    def test_a_moved_deadline_needs_a_reason(self, issue, inspector):
        before = snapshot(issue)
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, description="新描述", deadline=days(45), reason="  ")
        assert set(refused.value.message_dict) == {"reason"}
        assert snapshot(issue) == before

    def test_the_description_is_required_and_errors_come_together(self, issue, inspector):
        before = snapshot(issue)
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, description=" ", deadline=None)
        assert set(refused.value.message_dict) == {"description", "deadline"}
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, description="x" * 2001)
        assert set(refused.value.message_dict) == {"description"}
        with pytest.raises(ValidationError) as refused:
            update(issue, inspector, deadline=days(40), reason="x" * 501)
        assert set(refused.value.message_dict) == {"reason"}
        assert snapshot(issue) == before

    def test_an_overdue_deadline_may_stay_while_the_description_is_corrected(self, evaluation_cycle, kg_b, inspector):
        late = quality_issue(evaluation_cycle, kg_b, deadline=days(-5))
        event = update(late, inspector, description="图书角图书陈旧、数量不足")
        late.refresh_from_db()
        assert (late.description, late.deadline) == ("图书角图书陈旧、数量不足", days(-5))
        assert event.kind == IssueEventKind.UPDATE


class TestTheRecord:
    def test_a_moved_deadline_is_a_step_with_its_reason_and_the_history_keeps_the_old_values(
        self, issue, bureau_official
    ):
        event = update(issue, bureau_official, description=" 区域材料不足，种类单一 ", deadline=days(50), reason="寒假")
        issue.refresh_from_db()
        assert (issue.description, issue.deadline) == ("区域材料不足，种类单一", days(50))
        assert event.kind == IssueEventKind.CHANGE_DEADLINE
        assert event.note.splitlines() == [
            "问题描述已修改。",
            f"整改期限由 {days(30).isoformat()} 调整为 {days(50).isoformat()}。",
            "调整原因：寒假",
        ]
        newest, previous = issue.history.order_by("-history_date", "-history_id")[:2]
        assert (newest.deadline, newest.description, newest.history_user) == (
            days(50),
            "区域材料不足，种类单一",
            bureau_official,
        )
        assert (previous.deadline, previous.description) == (days(30), "区域活动材料投放不足")

    def test_a_corrected_description_alone_needs_no_reason(self, issue, inspector):
        event = update(issue, inspector, description="区域材料不足")
        assert (event.kind, event.note) == (IssueEventKind.UPDATE, "问题描述已修改。")

    def test_nothing_changed_writes_nothing(self, issue, inspector):
        before = snapshot(issue)
        assert update(issue, inspector, description=" 区域活动材料投放不足 ", reason="无") is None
        assert snapshot(issue) == before


# --- the page ---------------------------------------------------------------------------------------


def edit_url(issue) -> str:
    return reverse("inspections:issue_edit", args=[issue.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("bureau_admin", 200),
        ("bureau_official", 200),
        ("inspector", 200),
        ("wangjing_official", 403),  # sees the issue, does not evaluate
        ("director_b", 403),  # the kindergarten's own director reports, never edits
        ("director_a", 404),  # another kindergarten's issue does not exist for them
    ],
)
def test_the_page_per_persona(client, personas, issue, persona, expected):
    client_for(client, personas[persona])
    assert client.get(edit_url(issue)).status_code == expected
    post = client.post(edit_url(issue), {"description": "改", "deadline": days(45).isoformat(), "reason": "延期"})
    assert post.status_code == (302 if expected == 200 else expected)
    detail = client.get(issue.get_absolute_url())
    if expected == 404:
        assert detail.status_code == 404
    else:
        assert detail.context["can_edit"] is (expected == 200)
        assert (edit_url(issue) in detail.content.decode()) is (expected == 200)


def test_an_inspector_gets_404_for_a_kindergarten_not_assigned(client, evaluation_cycle, kg_a, inspector):
    other = quality_issue(evaluation_cycle, kg_a)
    client_for(client, inspector)
    assert client.get(edit_url(other)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, issue):
    response = client.get(edit_url(issue))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_saves_and_the_timeline_shows_the_step(client, issue, inspector):
    client_for(client, inspector)
    form = client.get(edit_url(issue)).context["form"]
    assert (form.initial["description"], form.initial["deadline"]) == (issue.description, issue.deadline)
    response = client.post(
        edit_url(issue), {"description": issue.description, "deadline": days(60).isoformat(), "reason": "园所申请延期"}
    )
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    issue.refresh_from_db()
    assert issue.deadline == days(60)
    page = client.get(issue.get_absolute_url())
    html = page.content.decode()
    assert "调整整改期限" in html and "调整原因：园所申请延期" in html
    assert [e.kind for e in page.context["events"]] == [IssueEventKind.CHANGE_DEADLINE]


def test_the_page_shows_field_errors_and_saves_nothing(client, issue, bureau_official):
    client_for(client, bureau_official)
    before = snapshot(issue)
    response = client.post(edit_url(issue), {"description": "改", "deadline": days(45).isoformat(), "reason": ""})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    response = client.post(edit_url(issue), {"description": "", "deadline": days(45).isoformat(), "reason": "延期"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["description"]
    for deadline in (days(-1), TODAY):
        response = client.post(
            edit_url(issue), {"description": "改", "deadline": deadline.isoformat(), "reason": "提前"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors == {"deadline": ["整改期限须晚于今天。"]}
    assert snapshot(issue) == before


def test_a_verified_issue_has_no_edit_page(client, issue, director_b, inspector):
    issue_services.issue_report(issue=issue, user=director_b, note="已整改")
    issue_services.issue_verify(issue=issue, user=inspector)
    client_for(client, inspector)
    assert client.get(issue.get_absolute_url()).context["can_edit"] is False
    before = snapshot(issue)
    response = client.post(edit_url(issue), {"description": "改", "deadline": days(45).isoformat(), "reason": "延期"})
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    assert snapshot(issue) == before


# --- the API ----------------------------------------------------------------------------------------


def test_patch_corrects_the_issue(api_client, issue, inspector):
    api_client.force_authenticate(inspector)
    response = api_client.patch(
        f"{URL}{issue.pk}/", {"deadline": days(45).isoformat(), "reason": "园所申请延期"}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["deadline"], data["description"]) == (days(45).isoformat(), "区域活动材料投放不足")
    assert [e["kind"] for e in data["events"]] == [IssueEventKind.CHANGE_DEADLINE]
    response = api_client.patch(f"{URL}{issue.pk}/", {"description": "区域材料不足"}, format="json")
    assert response.status_code == 200
    assert response.json()["description"] == "区域材料不足" and response.json()["deadline"] == days(45).isoformat()
    assert [e["kind"] for e in response.json()["events"]] == [IssueEventKind.CHANGE_DEADLINE, IssueEventKind.UPDATE]


def test_patch_refuses_bad_input_with_field_keys(api_client, issue, bureau_official):
    api_client.force_authenticate(bureau_official)
    before = snapshot(issue)
    response = api_client.patch(f"{URL}{issue.pk}/", {"deadline": days(45).isoformat()}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"reason"}
    response = api_client.patch(
        f"{URL}{issue.pk}/", {"deadline": days(-1).isoformat(), "reason": "提前"}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"deadline"}
    response = api_client.patch(f"{URL}{issue.pk}/", {"description": ""}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    assert snapshot(issue) == before


def test_patch_is_403_for_the_director_and_404_outside_the_change_scope(
    api_client, issue, evaluation_cycle, kg_a, director_a, director_b, wangjing_official, inspector
):
    payload = {"description": "改", "deadline": days(45).isoformat(), "reason": "延期"}
    before = snapshot(issue)
    api_client.force_authenticate(director_b)
    assert api_client.patch(f"{URL}{issue.pk}/", payload, format="json").status_code == 403
    for user in (director_a, wangjing_official):  # like the other actions: not in their change scope
        api_client.force_authenticate(user)
        assert api_client.patch(f"{URL}{issue.pk}/", payload, format="json").status_code == 404
    other = quality_issue(evaluation_cycle, kg_a)
    api_client.force_authenticate(inspector)
    assert api_client.patch(f"{URL}{other.pk}/", payload, format="json").status_code == 404
    assert snapshot(issue) == before


def test_patch_on_a_verified_issue_is_400(api_client, issue, director_b, inspector):
    issue_services.issue_report(issue=issue, user=director_b, note="已整改")
    issue_services.issue_verify(issue=issue, user=inspector)
    api_client.force_authenticate(inspector)
    response = api_client.patch(f"{URL}{issue.pk}/", {"description": "改"}, format="json")
    assert response.status_code == 400
    assert QualityIssue.objects.get(pk=issue.pk).description == "区域活动材料投放不足"


# --- reminders --------------------------------------------------------------------------------------


def test_a_moved_deadline_brings_a_new_reminder(evaluation_cycle, kg_b, director_b, inspector):
    soon = quality_issue(evaluation_cycle, kg_b, deadline=days(3))
    send_reminders(today=TODAY)
    send_reminders(today=TODAY)  # once per deadline
    reminders = Notification.objects.filter(recipient=director_b, kind="issue_due").order_by("pk")
    assert [n.dedupe_key for n in reminders] == [f"issue_due:{soon.pk}:{days(3).isoformat()}"]
    update(soon, inspector, deadline=days(6), reason="园所申请延期")
    send_reminders(today=TODAY)
    send_reminders(today=TODAY)
    assert [n.dedupe_key for n in reminders.all()] == [
        f"issue_due:{soon.pk}:{days(3).isoformat()}",
        f"issue_due:{soon.pk}:{days(6).isoformat()}",
    ]
    assert days(6).isoformat() in reminders.last().body
