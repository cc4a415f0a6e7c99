"""Safety reminders through the daily job: overdue hazards, drills not held, alarms not tested.

Each is sent once, to the right people, and to nobody outside the kindergarten's scope. Days are
fixed: 2025-11-20 is in the second month of the quarter that began on 2025-10-01.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.choices import Role
from kindergartens.choices import LicenceStatus
from notifications.choices import NotificationKind as Kind
from notifications.models import Notification
from notifications.services import send_reminders
from safety.choices import DrillKind, HazardCategory, HazardStatus, Severity
from safety.models import Drill, Hazard, SafetyProfile, SafetyRuleSet
from tests.factories import KindergartenFactory, UserFactory

from .conftest import received

pytestmark = pytest.mark.django_db

DATE = datetime.date.fromisoformat
TODAY = DATE("2025-11-20")


@pytest.fixture
def director_c(kg_c):
    return UserFactory(username="director_c", role=Role.DIRECTOR, kindergarten=kg_c)


@pytest.fixture
def other_inspector(kg_a):
    user = UserFactory(username="inspector_a", role=Role.INSPECTOR)
    user.assigned_kindergartens.set([kg_a])
    return user


def hazard(kindergarten, *, deadline: str, opened_by=None, status=HazardStatus.OPEN, **fields) -> Hazard:
    return Hazard.objects.create(
        kindergarten=kindergarten,
        category=HazardCategory.FIRE,
        severity=fields.pop("severity", Severity.GENERAL),
        description=fields.pop("description", "灭火器过期"),
        owner="王老师",
        found_on=DATE(deadline) - datetime.timedelta(days=30),
        deadline=DATE(deadline),
        status=status,
        opened_by=opened_by,
        **fields,
    )


def profile(kindergarten, **fields) -> SafetyProfile:
    return SafetyProfile.objects.create(kindergarten=kindergarten, **fields)


def keys(user) -> list[str]:
    return [key for _, key in received(user)]


class TestOverdueHazards:
    def test_it_tells_the_director_the_opener_and_the_assigned_inspectors(
        self, kg_a, kg_b, director_a, director_b, inspector, other_inspector, wangjing_official, bureau_official
    ):
        late_b = hazard(kg_b, deadline="2025-11-19", opened_by=inspector)  # opener and assigned: told once
        late_a = hazard(kg_a, deadline="2025-11-01", opened_by=bureau_official, severity=Severity.MAJOR)

        summary = send_reminders(today=TODAY)

        key_b, key_a = f"hazard_overdue:{late_b.pk}:2025-11-19", f"hazard_overdue:{late_a.pk}:2025-11-01"
        assert received(director_b) == [(Kind.HAZARD_OVERDUE, key_b)]
        assert received(inspector) == [(Kind.HAZARD_OVERDUE, key_b)]  # A is not assigned to them
        assert received(director_a) == [(Kind.HAZARD_OVERDUE, key_a)]
        assert received(other_inspector) == [(Kind.HAZARD_OVERDUE, key_a)]
        assert received(bureau_official) == [(Kind.HAZARD_OVERDUE, key_a)]  # the opener
        assert received(wangjing_official) == []  # the dashboard's panel shows them; no escalation mail
        assert summary.created == {Kind.HAZARD_OVERDUE: 5}
        notification = Notification.objects.get(recipient=director_a)
        assert notification.link == late_a.get_absolute_url()
        assert "重大隐患" in notification.body and "已逾期 19 天" in notification.body

    def test_a_hazard_due_today_closed_or_outside_the_scope_tells_nobody_else(
        self, kg_a, kg_b, kg_c, director_a, director_b, inspector
    ):
        hazard(kg_a, deadline="2025-11-20")  # due today: not late yet
        hazard(kg_a, deadline="2025-11-01", status=HazardStatus.CLOSED, closed_on=DATE("2025-11-02"))
        hazard(kg_c, deadline="2025-11-01")  # C has no director; the inspector is assigned to it

        send_reminders(today=TODAY)

        assert received(director_a) == [] and received(director_b) == []
        assert [kind for kind, _ in received(inspector)] == [Kind.HAZARD_OVERDUE]

    def test_an_opener_who_lost_the_kindergarten_is_not_told(self, kg_a, director_a, inspector):
        hazard(kg_a, deadline="2025-11-01", opened_by=inspector)  # the inspector is no longer assigned to A
        send_reminders(today=TODAY)
        assert received(inspector) == []
        assert len(received(director_a)) == 1

    def test_it_is_sent_once_and_again_only_for_a_new_deadline(self, kg_a, director_a):
        late = hazard(kg_a, deadline="2025-11-01")
        assert send_reminders(today=TODAY).created_total == 1
        assert send_reminders(today=TODAY + datetime.timedelta(days=1)).created_total == 0
        Hazard.objects.filter(pk=late.pk).update(deadline=DATE("2025-11-10"))
        send_reminders(today=TODAY)
        assert keys(director_a) == [f"hazard_overdue:{late.pk}:2025-11-01", f"hazard_overdue:{late.pk}:2025-11-10"]


class TestDrills:
    @pytest.fixture
    def profiles(self, kg_a, kg_b, kg_c):
        return {kg.code: profile(kg) for kg in (kg_a, kg_b, kg_c)}

    def test_it_tells_the_directors_of_kindergartens_without_an_evacuation_drill_this_quarter(
        self, profiles, kg_a, kg_b, kg_c, director_a, director_b, director_c, wangjing_official
    ):
        Drill.objects.create(kindergarten=kg_b, held_on=DATE("2025-10-15"), kind=DrillKind.FIRE)
        Drill.objects.create(kindergarten=kg_c, held_on=DATE("2025-10-15"), kind=DrillKind.ANTI_INTRUSION)
        Drill.objects.create(kindergarten=kg_a, held_on=DATE("2025-09-30"))  # last quarter

        send_reminders(today=TODAY)

        assert received(director_a) == [(Kind.DRILL_MISSING, f"drill_missing:{kg_a.pk}:2025-10-01")]
        assert received(director_b) == []
        assert received(director_c) == [(Kind.DRILL_MISSING, f"drill_missing:{kg_c.pk}:2025-10-01")]
        assert received(wangjing_official) == []
        notification = Notification.objects.get(recipient=director_a)
        assert notification.link == reverse("safety:drill_add", args=[kg_a.pk])
        assert "0 次" in notification.body and "至少 1 次" in notification.body

    def test_it_waits_for_the_second_month_and_reminds_once_a_quarter(self, profiles, kg_a, director_a):
        assert send_reminders(today=DATE("2025-10-31")).created_total == 0  # first month of the quarter
        send_reminders(today=DATE("2025-11-01"))
        send_reminders(today=DATE("2025-12-15"))
        send_reminders(today=DATE("2026-02-01"))  # the next quarter's second month
        assert keys(director_a) == [f"drill_missing:{kg_a.pk}:2025-10-01", f"drill_missing:{kg_a.pk}:2026-01-01"]

    def test_it_follows_the_rule_sets_number_of_drills(self, profiles, kg_a, director_a):
        Drill.objects.create(kindergarten=kg_a, held_on=DATE("2025-10-15"))
        assert send_reminders(today=TODAY).created_total == 0
        SafetyRuleSet.objects.update(drills_per_quarter=2)
        send_reminders(today=TODAY)
        assert keys(director_a) == [f"drill_missing:{kg_a.pk}:2025-10-01"]

    def test_kindergartens_without_a_profile_or_not_operating_are_left_alone(self, kg_a, director_a, wangjing):
        closed = KindergartenFactory(subdistrict=wangjing, licence_status=LicenceStatus.UNLICENSED)
        profile(closed)
        UserFactory(username="director_u", role=Role.DIRECTOR, kindergarten=closed)
        assert send_reminders(today=TODAY).created_total == 0


class TestAlarms:
    def test_it_tells_the_director_when_the_alarm_was_not_tested_for_more_than_the_rule_sets_days(
        self, kg_a, kg_b, kg_c, director_a, director_b, director_c, inspector
    ):
        profile(kg_a, alarm_installed=True, alarm_last_tested=DATE("2025-10-21"))  # 30 days: still fine
        profile(kg_b, alarm_installed=True, alarm_last_tested=DATE("2025-10-20"))  # 31 days
        profile(kg_c, alarm_installed=True)  # never tested
        Drill.objects.bulk_create(Drill(kindergarten=kg, held_on=DATE("2025-10-02")) for kg in (kg_a, kg_b, kg_c))

        send_reminders(today=TODAY)

        assert received(director_a) == []
        assert received(director_b) == [(Kind.ALARM_UNTESTED, f"alarm_untested:{kg_b.pk}:2025-10-20")]
        assert received(director_c) == [(Kind.ALARM_UNTESTED, f"alarm_untested:{kg_c.pk}:never")]
        assert received(inspector) == []
        body = Notification.objects.get(recipient=director_b).body
        assert "2025-10-20" in body and "30 天" in body
        assert Notification.objects.get(recipient=director_b).link == reverse("safety:profile_edit", args=[kg_b.pk])

    def test_a_new_test_that_lapses_again_is_a_new_reminder_and_no_alarm_none(self, kg_a, kg_b, director_a, director_b):
        tested = profile(kg_a, alarm_installed=True, alarm_last_tested=DATE("2025-09-01"))
        profile(kg_b)  # no alarm: the coverage shows it, there is nothing to test
        Drill.objects.bulk_create(Drill(kindergarten=kg, held_on=DATE("2025-10-02")) for kg in (kg_a, kg_b))
        send_reminders(today=TODAY)
        send_reminders(today=TODAY)
        SafetyProfile.objects.filter(pk=tested.pk).update(alarm_last_tested=DATE("2025-10-01"))
        send_reminders(today=TODAY)  # tested 50 days ago: lapsed again
        assert keys(director_a) == [f"alarm_untested:{kg_a.pk}:2025-09-01", f"alarm_untested:{kg_a.pk}:2025-10-01"]
        assert received(director_b) == []

    def test_the_interval_is_the_rule_sets(self, kg_a, director_a):
        profile(kg_a, alarm_installed=True, alarm_last_tested=DATE("2025-10-01"))
        Drill.objects.create(kindergarten=kg_a, held_on=DATE("2025-10-02"))
        SafetyRuleSet.objects.update(alarm_test_days=60)
        assert send_reminders(today=TODAY).created_total == 0
