"""Deadlines with effect: days late, the tracker's sorting and filters, the non-submitters'
workbook, `/api/enrollment-submissions/` and the reminders before and after the deadline."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment.choices import SubmissionStatus
from enrollment.models import SchoolYear
from enrollment.selectors import days_late
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import send_reminders
from tests.conftest import client_for
from tests.helpers import assert_api_scope

from .factories import SchoolYearFactory, SubmissionFactory

TODAY = timezone.localdate()
API = "/api/enrollment-submissions/"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@pytest.fixture
def year(db):
    return SchoolYearFactory(start_year=SchoolYear.start_year_for(TODAY), submission_due=days(-10))


@pytest.fixture
def reports(kg_a, kg_b, kg_c, year):
    """Deadline 10 days ago: kg_a never started (10 days late), kg_b submitted 3 days after the
    deadline, kg_c saved a draft (10 days late). kg_c's principal and phone are on file."""
    SubmissionFactory(kindergarten=kg_b, school_year=year, status=SubmissionStatus.SUBMITTED, submitted_at=at(days(-7)))
    SubmissionFactory(kindergarten=kg_c, school_year=year)
    kg_c.principal, kg_c.phone = "李园长", "010-65001234"
    kg_c.save(update_fields=["principal", "phone"])


class TestDaysLate:
    def test_it_counts_from_the_day_of_submission(self):
        assert days_late(days(-10), days(-7), TODAY) == 3

    def test_it_counts_to_today_while_not_submitted(self):
        assert days_late(days(-10), None, TODAY) == 10

    def test_it_is_zero_when_on_time_or_without_a_deadline(self):
        assert days_late(days(-10), days(-10), TODAY) == 0
        assert days_late(days(5), None, TODAY) == 0
        assert days_late(None, None, TODAY) == 0


def tracker(client, year, **params):
    return client.get(reverse("enrollment:tracker"), {"year": year.start_year, **params})


def codes(response) -> list[str]:
    return [kg.code for kg in response.context["object_list"]]


@pytest.mark.django_db
class TestTracker:
    def test_it_shows_each_kindergartens_days_late(self, client, bureau_official, reports, year):
        response = tracker(client_for(client, bureau_official), year)
        late = {kg.code: kg.days_late for kg in response.context["object_list"]}
        assert late == {"KGA0001": 10, "KGB0001": 3, "KGC0001": 10}
        assert 'data-days-late="3"' in response.content.decode()

    def test_it_sorts_by_days_late_and_by_status(self, client, bureau_official, reports, year):
        client_for(client, bureau_official)
        assert codes(tracker(client, year, ordering="days_late"))[0] == "KGB0001"
        assert codes(tracker(client, year, ordering="-days_late"))[-1] == "KGB0001"
        # Not started, then draft, then submitted.
        assert codes(tracker(client, year, ordering="status")) == ["KGA0001", "KGC0001", "KGB0001"]

    def test_it_filters_by_days_late_and_by_what_is_still_owed(self, client, bureau_official, reports, year):
        client_for(client, bureau_official)
        assert set(codes(tracker(client, year, late_min=5))) == {"KGA0001", "KGC0001"}
        assert set(codes(tracker(client, year, late_min=1))) == {"KGA0001", "KGB0001", "KGC0001"}
        assert set(codes(tracker(client, year, status="unreported"))) == {"KGA0001", "KGC0001"}

    def test_it_counts_nobody_late_before_the_deadline(self, client, bureau_official, reports, year):
        year.submission_due = days(3)
        year.save(update_fields=["submission_due"])
        response = tracker(client_for(client, bureau_official), year, late_min=1)
        assert codes(response) == []


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [row for row in sheet.iter_rows(values_only=True) if any(row)]


@pytest.mark.django_db
class TestNonSubmitterExport:
    def test_it_lists_who_has_not_submitted_with_whom_to_call(self, client, bureau_official, reports, year):
        response = client_for(client, bureau_official).get(
            reverse("enrollment:non_submitter_export"), {"year": year.start_year}
        )
        rows = workbook_rows(response)
        header, body = rows[0], [r for r in rows[1:] if r[0] and str(r[0]).startswith("KG")]
        assert header[:7] == ("幼儿园编码", "幼儿园名称", "街道/地区", "报送状态", "逾期天数", "园长", "联系电话")
        by_code = {row[0]: row for row in body}
        assert set(by_code) == {"KGA0001", "KGC0001"}  # kg_b has submitted
        assert by_code["KGC0001"][3:7] == ("草稿（未报送）", 10, "李园长", "010-65001234")
        assert by_code["KGA0001"][3] == "未填报"

    def test_it_keeps_to_the_users_area(self, client, wangjing_official, reports, year):
        response = client_for(client, wangjing_official).get(
            reverse("enrollment:non_submitter_export"), {"year": year.start_year}
        )
        body = [r for r in workbook_rows(response)[1:] if r[0] and str(r[0]).startswith("KG")]
        assert [row[0] for row in body] == ["KGA0001"]

    def test_it_applies_the_trackers_filters(self, client, bureau_official, reports, year, shuangjing):
        response = client_for(client, bureau_official).get(
            reverse("enrollment:non_submitter_export"), {"year": year.start_year, "subdistrict": shuangjing.pk}
        )
        body = [r for r in workbook_rows(response)[1:] if r[0] and str(r[0]).startswith("KG")]
        assert [row[0] for row in body] == ["KGC0001"]


@pytest.mark.django_db
class TestApi:
    def test_it_lists_status_submission_time_and_days_late(self, api_client, bureau_official, reports, year, kg_b):
        api_client.force_authenticate(bureau_official)
        response = api_client.get(API, {"year": year.start_year, "ordering": "-days_late"})
        assert response.status_code == 200
        rows = {row["kindergarten_code"]: row for row in response.json()["results"]}
        assert rows["KGB0001"]["status"] == "submitted" and rows["KGB0001"]["days_late"] == 3
        assert rows["KGB0001"]["submitted_at"] is not None
        assert rows["KGA0001"]["status"] == "missing" and rows["KGA0001"]["days_late"] == 10
        assert rows["KGC0001"]["status"] == "draft"
        assert rows["KGA0001"]["submission_due"] == days(-10).isoformat()

    def test_it_filters_with_the_trackers_filterset(self, api_client, bureau_official, reports, year):
        api_client.force_authenticate(bureau_official)
        response = api_client.get(API, {"year": year.start_year, "status": "unreported", "late_min": 5})
        assert sorted(row["kindergarten_code"] for row in response.json()["results"]) == ["KGA0001", "KGC0001"]

    def test_it_keeps_each_user_to_their_scope(self, api_client, personas, reports, kg_a, kg_b, kg_c):
        assert_api_scope(api_client, personas["director_a"], API, [kg_a.pk], hidden_ids=[kg_b.pk, kg_c.pk])
        assert_api_scope(api_client, personas["wangjing_official"], API, [kg_a.pk, kg_b.pk], hidden_ids=[kg_c.pk])
        assert_api_scope(api_client, personas["inspector"], API, [kg_b.pk, kg_c.pk], hidden_ids=[kg_a.pk])
        assert_api_scope(api_client, personas["bureau_official"], API, [kg_a.pk, kg_b.pk, kg_c.pk])

    def test_it_is_read_only(self, api_client, bureau_official, reports, kg_a):
        api_client.force_authenticate(bureau_official)
        assert api_client.post(API, {}).status_code == 405
        assert api_client.delete(f"{API}{kg_a.pk}/").status_code == 405

    def test_it_answers_404_for_a_year_that_does_not_exist(self, api_client, bureau_official, reports):
        api_client.force_authenticate(bureau_official)
        assert api_client.get(API, {"year": 1999}).status_code == 404


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.django_db
class TestReminders:
    @pytest.fixture
    def due_soon(self, year, kg_b):
        """Deadline in 5 days; reminders 7 days before and 3 days after; kg_b has submitted."""
        year.submission_due, year.remind_days_before, year.remind_days_after = days(5), 7, 3
        year.save()
        SubmissionFactory(kindergarten=kg_b, school_year=year, submitted=True)
        return year

    def test_it_reminds_who_has_not_submitted_before_the_deadline_once(
        self, due_soon, director_a, director_b, wangjing_official
    ):
        send_reminders(today=TODAY)
        send_reminders(today=days(1))
        assert kinds_for(director_a) == [NotificationKind.ENROLLMENT_DUE]
        assert kinds_for(director_b) == []  # submitted
        assert kinds_for(wangjing_official) == []  # officials hear of it once it is late
        assert "还有 5 天" in Notification.objects.get(recipient=director_a).body

    def test_it_waits_until_the_days_before_the_deadline(self, due_soon, director_a):
        send_reminders(today=days(-3))  # 8 days before the deadline
        assert kinds_for(director_a) == []

    def test_it_reminds_after_the_deadline_once_and_tells_the_area(self, due_soon, director_a, wangjing_official):
        send_reminders(today=days(6))  # 1 day late: not yet
        assert NotificationKind.ENROLLMENT_OVERDUE not in kinds_for(director_a)
        send_reminders(today=days(8))  # 3 days late
        send_reminders(today=days(9))
        assert kinds_for(director_a) == [NotificationKind.ENROLLMENT_OVERDUE]
        assert kinds_for(wangjing_official) == [NotificationKind.ENROLLMENT_OVERDUE]
        official = Notification.objects.get(recipient=wangjing_official)
        assert official.link.startswith(reverse("enrollment:tracker")) and "unreported" in official.link
        assert "已逾期 3 天" in official.body

    def test_it_reminds_a_returned_report(self, due_soon, director_b, kg_b):
        kg_b.submissions.update(status=SubmissionStatus.DRAFT)  # returned by the bureau
        send_reminders(today=days(8))
        assert kinds_for(director_b) == [NotificationKind.ENROLLMENT_OVERDUE]

    def test_it_reminds_nobody_about_a_locked_year(self, due_soon, director_a):
        due_soon.locked = True
        due_soon.save(update_fields=["locked"])
        send_reminders(today=days(8))
        assert kinds_for(director_a) == []
