"""The daily reminders (`notifications.services.send_reminders`): who is told what, once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from inspections import services as inspection_services
from inspections.choices import IssueStatus, OrderStatus
from inspections.models import QualityIssue, RectificationOrder
from notifications.choices import NotificationKind as Kind
from notifications.models import Notification
from notifications.services import send_reminders
from tests.factories import KindergartenFactory, UserFactory
from tests.inspections.factories import quality_issue, submitted

from .conftest import TODAY, assigned, days, order, received

pytestmark = pytest.mark.django_db


class TestSelfAssessmentDue:
    def test_it_tells_the_director_when_the_due_date_is_within_14_days(
        self, evaluation_cycle, kg_a, kg_b, mailed_personas
    ):
        soon = assigned(evaluation_cycle, kg_a, due=days(14))
        assigned(evaluation_cycle, kg_b, due=days(15))  # not yet

        summary = send_reminders(today=TODAY)

        key = f"self_assessment_due:{soon.pk}:{days(14).isoformat()}"
        assert received(mailed_personas["director_a"]) == [(Kind.SELF_ASSESSMENT_DUE, key)]
        assert received(mailed_personas["director_b"]) == []
        assert received(mailed_personas["wangjing_official"]) == []  # only late ones escalate
        assert summary.created == {Kind.SELF_ASSESSMENT_DUE: 1}
        notification = Notification.objects.get()
        assert notification.link == reverse("inspections:self_assessment_mine")
        assert kg_a.name in notification.title and days(14).isoformat() in notification.body

    def test_it_says_nothing_once_the_self_assessment_is_submitted(
        self, evaluation_cycle, kg_a, director_a, mailed_personas
    ):
        assigned(evaluation_cycle, kg_a, due=days(3))
        submitted(evaluation_cycle, kg_a, director_a)
        assert send_reminders(today=TODAY).created_total == 0

    def test_a_moved_due_date_is_a_new_reminder(self, evaluation_cycle, kg_a, mailed_personas):
        assignment = assigned(evaluation_cycle, kg_a, due=days(10))
        send_reminders(today=TODAY)
        type(assignment).objects.filter(pk=assignment.pk).update(self_assessment_due=days(12))
        send_reminders(today=TODAY)
        assert [key for _, key in received(mailed_personas["director_a"])] == [
            f"self_assessment_due:{assignment.pk}:{days(10).isoformat()}",
            f"self_assessment_due:{assignment.pk}:{days(12).isoformat()}",
        ]


class TestSelfAssessmentOverdue:
    def test_it_tells_the_director_and_the_subdistrict_officials_not_the_bureau(
        self, evaluation_cycle, kg_a, kg_c, mailed_personas, shuangjing_official
    ):
        late = assigned(evaluation_cycle, kg_a, due=days(-1))

        send_reminders(today=TODAY)

        key = f"self_assessment_overdue:{late.pk}:{days(-1).isoformat()}"
        assert received(mailed_personas["director_a"]) == [(Kind.SELF_ASSESSMENT_OVERDUE, key)]
        assert received(mailed_personas["wangjing_official"]) == [(Kind.SELF_ASSESSMENT_OVERDUE, key)]
        assert received(shuangjing_official) == []  # kindergarten A is in 望京
        assert received(mailed_personas["bureau_official"]) == []
        assert received(mailed_personas["director_b"]) == []
        links = dict(Notification.objects.values_list("recipient__username", "link"))
        assert links == {
            "director_a": reverse("inspections:self_assessment_mine"),
            "wangjing": reverse("inspections:self_assessment_overdue"),
        }

    def test_a_returned_version_does_not_count_as_submitted(
        self, evaluation_cycle, kg_a, director_a, bureau_official, mailed_personas
    ):
        assigned(evaluation_cycle, kg_a, due=days(-5))
        inspection_services.self_assessment_return(
            assessment=submitted(evaluation_cycle, kg_a, director_a), user=bureau_official, comment="请补充佐证"
        )
        send_reminders(today=TODAY)
        kinds = [kind for kind, _ in received(director_a)]
        assert kinds == [Kind.SELF_ASSESSMENT_OVERDUE, Kind.SELF_ASSESSMENT_RETURNED]

    def test_it_leaves_out_cycles_that_have_ended(self, bureau_official, kg_a, mailed_personas):
        from tests.inspections.factories import cycle

        old = cycle(start_year=TODAY.year - 3, by=bureau_official)
        assigned(old, kg_a, due=days(-400))
        assert send_reminders(today=TODAY).created_total == 0


class TestReturnedSelfAssessment:
    def test_it_tells_the_director_until_the_revision_is_submitted(
        self, evaluation_cycle, kg_a, director_a, bureau_official, wangjing_official
    ):
        assigned(evaluation_cycle, kg_a, due=days(60))
        first = inspection_services.self_assessment_return(
            assessment=submitted(evaluation_cycle, kg_a, director_a), user=bureau_official, comment="请补充佐证材料"
        )
        inspection_services.self_assessment_revise(assessment=first, user=director_a)  # a draft: still to do

        send_reminders(today=TODAY)

        assert received(director_a) == [(Kind.SELF_ASSESSMENT_RETURNED, f"self_assessment_returned:{first.pk}")]
        assert received(wangjing_official) == []
        notification = Notification.objects.get()
        assert notification.link == first.get_absolute_url()
        assert "请补充佐证材料" in notification.body

    def test_it_says_nothing_when_the_revision_was_submitted_before_the_run(
        self, evaluation_cycle, kg_a, director_a, bureau_official
    ):
        assigned(evaluation_cycle, kg_a, due=days(60))
        first = inspection_services.self_assessment_return(
            assessment=submitted(evaluation_cycle, kg_a, director_a), user=bureau_official, comment="请修改"
        )
        revision = inspection_services.self_assessment_revise(assessment=first, user=director_a)
        inspection_services.self_assessment_submit(assessment=revision, user=director_a)
        assert send_reminders(today=TODAY).created_total == 0


class TestIssueDeadlines:
    def test_an_open_issue_due_within_7_days_tells_the_director(self, evaluation_cycle, kg_a, kg_b, mailed_personas):
        soon = quality_issue(evaluation_cycle, kg_a, deadline=days(7))
        quality_issue(evaluation_cycle, kg_b, deadline=days(8))  # not yet

        send_reminders(today=TODAY)

        key = f"issue_due:{soon.pk}:{days(7).isoformat()}"
        assert received(mailed_personas["director_a"]) == [(Kind.ISSUE_DUE, key)]
        assert received(mailed_personas["director_b"]) == []
        assert received(mailed_personas["wangjing_official"]) == []
        assert Notification.objects.get().link == soon.get_absolute_url()

    def test_a_reported_issue_waits_for_the_evaluator_so_the_director_is_not_reminded(
        self, evaluation_cycle, kg_a, mailed_personas
    ):
        quality_issue(evaluation_cycle, kg_a, deadline=days(2), status=IssueStatus.REPORTED)
        assert send_reminders(today=TODAY).created_total == 0

    def test_an_overdue_issue_escalates_to_the_subdistrict(self, evaluation_cycle, kg_a, kg_c, mailed_personas):
        late = quality_issue(evaluation_cycle, kg_a, deadline=days(-3), status=IssueStatus.REPORTED)
        quality_issue(evaluation_cycle, kg_c, deadline=days(-3), status=IssueStatus.VERIFIED)  # resolved

        send_reminders(today=TODAY)

        key = f"issue_overdue:{late.pk}:{days(-3).isoformat()}"
        assert received(mailed_personas["director_a"]) == [(Kind.ISSUE_OVERDUE, key)]
        assert received(mailed_personas["wangjing_official"]) == [(Kind.ISSUE_OVERDUE, key)]
        assert received(mailed_personas["bureau_official"]) == []
        assert set(Notification.objects.values_list("link", flat=True)) == {late.get_absolute_url()}


class TestRectificationOrders:
    def test_an_order_due_within_7_days_tells_the_director_and_the_issuing_inspector(self, kg_b, mailed_personas):
        inspector = mailed_personas["inspector"]
        soon = order(kg_b, deadline=days(5), issued_by=inspector)
        order(kg_b, deadline=days(9), issued_by=inspector)  # not yet

        send_reminders(today=TODAY)

        key = f"order_due:{soon.pk}:{days(5).isoformat()}"
        assert received(mailed_personas["director_b"]) == [(Kind.ORDER_DUE, key)]
        assert received(inspector) == [(Kind.ORDER_DUE, key)]
        assert received(mailed_personas["wangjing_official"]) == []
        assert set(Notification.objects.values_list("link", flat=True)) == {soon.get_absolute_url()}

    def test_an_overdue_order_tells_them_again_and_a_rectified_one_does_not(self, kg_b, kg_c, mailed_personas):
        inspector = mailed_personas["inspector"]
        late = order(kg_b, deadline=days(-1), issued_by=inspector)
        order(kg_c, deadline=days(-1), issued_by=inspector, status=OrderStatus.RECTIFIED, rectified_on=days(-2))

        send_reminders(today=TODAY)

        key = f"order_overdue:{late.pk}:{days(-1).isoformat()}"
        assert received(mailed_personas["director_b"]) == [(Kind.ORDER_OVERDUE, key)]
        assert received(inspector) == [(Kind.ORDER_OVERDUE, key)]

    def test_an_issuer_no_longer_assigned_the_kindergarten_is_not_told(self, kg_b, mailed_personas):
        inspector = mailed_personas["inspector"]
        order(kg_b, deadline=days(-1), issued_by=inspector)
        inspector.assigned_kindergartens.remove(kg_b)

        send_reminders(today=TODAY)

        assert received(inspector) == []
        assert [kind for kind, _ in received(mailed_personas["director_b"])] == [Kind.ORDER_OVERDUE]

    def test_an_order_without_an_issuer_tells_the_director_only(self, kg_b, director_b, inspector):
        order(kg_b, deadline=days(1))
        send_reminders(today=TODAY)
        assert [kind for kind, _ in received(director_b)] == [Kind.ORDER_DUE]
        assert received(inspector) == []


class TestOnceOnly:
    def test_a_second_run_creates_and_sends_nothing(self, evaluation_cycle, kg_a, kg_b, mailed_personas):
        assigned(evaluation_cycle, kg_a, due=days(-1))
        quality_issue(evaluation_cycle, kg_b, deadline=days(2))
        order(kg_b, deadline=days(-4), issued_by=mailed_personas["inspector"])

        first = send_reminders(today=TODAY)
        rows = list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "dedupe_key", "emailed_at"))
        sent = len(mail.outbox)
        second = send_reminders(today=TODAY)
        third = send_reminders(today=TODAY + datetime.timedelta(days=1))  # the next day: still the same reminders

        assert first.created_total == len(rows) == 5 and first.emailed == sent == 5
        assert (second.created_total, second.emailed, third.created_total, third.emailed) == (0, 0, 0, 0)
        assert (
            list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "dedupe_key", "emailed_at"))
            == rows
        )
        assert len(mail.outbox) == sent

    def test_someone_reached_two_ways_is_told_once(self, kg_b, director_b):
        # A person reached two ways (here a director who is also named as the issuer) gets one notification.
        order(kg_b, deadline=days(3), issued_by=director_b)
        send_reminders(today=TODAY)
        assert len(received(director_b)) == 1

    def test_inactive_users_are_not_told(self, evaluation_cycle, kg_a, director_a):
        director_a.is_active = False
        director_a.save(update_fields=["is_active"])
        assigned(evaluation_cycle, kg_a, due=days(1))
        assert send_reminders(today=TODAY).created_total == 0


class TestEmail:
    def test_it_emails_each_new_notification_from_the_portal_address(
        self, settings, evaluation_cycle, kg_a, mailed_personas
    ):
        settings.DEFAULT_FROM_EMAIL = "portal@jw.chaoyang.example.cn"
        settings.PORTAL_URL = "https://preschool.example.gov.cn/"
        assigned(evaluation_cycle, kg_a, due=days(-2))

        send_reminders(today=TODAY)

        by_address = {message.to[0]: message for message in mail.outbox}
        assert set(by_address) == {"director_a@example.cn", "wangjing@example.cn"}
        notification = Notification.objects.get(recipient=mailed_personas["director_a"])
        message = by_address["director_a@example.cn"]
        assert message.from_email == "portal@jw.chaoyang.example.cn"
        assert notification.title in message.subject
        assert notification.body in message.body
        assert f"https://preschool.example.gov.cn/notifications/{notification.pk}/open/" in message.body
        assert notification.emailed_at is not None

    def test_users_without_an_address_get_the_portal_notification_only(
        self, evaluation_cycle, kg_a, kg_b, director_a, mailed_personas
    ):
        director_a.email = ""
        director_a.save(update_fields=["email"])
        assigned(evaluation_cycle, kg_a, due=days(1))
        assigned(evaluation_cycle, kg_b, due=days(1))

        summary = send_reminders(today=TODAY)

        assert [m.to for m in mail.outbox] == [["director_b@example.cn"]]
        assert summary.emailed == 1 and summary.created_total == 2
        assert Notification.objects.get(recipient=director_a).emailed_at is None
        assert Notification.objects.get(recipient=mailed_personas["director_b"]).emailed_at is not None
        send_reminders(today=TODAY)
        assert len(mail.outbox) == 1

    def test_a_refused_message_is_tried_again_by_the_next_run(self, settings, evaluation_cycle, kg_a, mailed_personas):
        settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
        assigned(evaluation_cycle, kg_a, due=days(1))

        failed = send_reminders(today=TODAY)
        assert (failed.created_total, failed.emailed, failed.email_failed) == (1, 0, 1)
        assert Notification.objects.get().emailed_at is None

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        retried = send_reminders(today=TODAY)
        assert (retried.created_total, retried.emailed) == (0, 1)
        assert len(mail.outbox) == 1


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server here")


def test_it_costs_the_same_number_of_queries_for_many_kindergartens(bureau_official, evaluation_cycle, wangjing):
    def district(n: int) -> None:
        for kindergarten in KindergartenFactory.create_batch(n, subdistrict=wangjing):
            UserFactory(role=Role.DIRECTOR, kindergarten=kindergarten, email=f"{kindergarten.code}@example.cn")
            assigned(evaluation_cycle, kindergarten, due=days(-1))
            quality_issue(evaluation_cycle, kindergarten, deadline=days(3))
            order(kindergarten, deadline=days(-2), issued_by=bureau_official)
        UserFactory(role=Role.SUBDISTRICT_OFFICIAL, subdistrict=wangjing, email=f"sd{n}@example.cn")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            summary = send_reminders(today=TODAY)
        assert summary.created_total > 0 and summary.email_failed == 0
        return len(captured)

    district(2)
    few = queries()
    district(8)
    assert queries() == few


def test_it_does_not_touch_the_source_records(evaluation_cycle, kg_a, kg_b, director_a):
    issue = quality_issue(evaluation_cycle, kg_a, deadline=days(-1))
    an_order = order(kg_b, deadline=days(-1))
    send_reminders(today=TODAY)
    assert QualityIssue.objects.get(pk=issue.pk).status == IssueStatus.OPEN
    assert RectificationOrder.objects.get(pk=an_order.pk).status == OrderStatus.OPEN
