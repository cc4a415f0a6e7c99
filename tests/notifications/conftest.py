"""Data for reminder tests: a current cycle with kindergartens A and B (望京) and C (双井), their
directors with email addresses, and helpers to put deadlines where a test needs them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.choices import Role
from inspections.choices import OrderReason
from inspections.models import CycleAssignment, RectificationOrder
from notifications.models import Notification
from tests.factories import UserFactory
from tests.inspections.factories import assign, cycle

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def evaluation_cycle(bureau_official):
    return cycle(by=bureau_official)


@pytest.fixture
def mailed_personas(director_a, director_b, wangjing_official, bureau_official, inspector):
    """The persona users, each with an email address."""
    for user in (director_a, director_b, wangjing_official, bureau_official, inspector):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return {
        "director_a": director_a,
        "director_b": director_b,
        "wangjing_official": wangjing_official,
        "bureau_official": bureau_official,
        "inspector": inspector,
    }


@pytest.fixture
def shuangjing_official(shuangjing):
    return UserFactory(
        username="shuangjing", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=shuangjing, email="sj@example.cn"
    )


def assigned(evaluation_cycle, kindergarten, *, due: datetime.date) -> CycleAssignment:
    assignment = assign(evaluation_cycle, kindergarten)
    CycleAssignment.objects.filter(pk=assignment.pk).update(self_assessment_due=due)
    assignment.refresh_from_db()
    return assignment


def order(kindergarten, *, deadline: datetime.date, issued_by=None, **fields) -> RectificationOrder:
    return RectificationOrder.objects.create(
        kindergarten=kindergarten,
        reason=fields.pop("reason", OrderReason.DANGEROUS_BUILDING),
        description=fields.pop("description", "西侧教学楼墙体开裂"),
        issued_on=fields.pop("issued_on", days(-60)),
        deadline=deadline,
        issued_by=issued_by,
        **fields,
    )


def received(user) -> list[tuple[str, str]]:
    """(kind, dedupe_key) of every notification the user has, sorted."""
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "dedupe_key"))


def notify(user, n: int = 1, **fields) -> list[Notification]:
    """`n` hand-made notifications for `user` (not through the daily job)."""
    made = []
    for i in range(n):
        made.append(
            Notification.objects.create(
                recipient=user,
                kind=fields.get("kind", "issue_due"),
                title=fields.get("title", f"问题整改即将到期 {i}"),
                body=fields.get("body", "请按时报告整改成效。"),
                link=fields.get("link", "/inspections/"),
                dedupe_key=f"{fields.get('key', 'test')}:{user.pk}:{i}",
                created_at=timezone.now() - datetime.timedelta(minutes=n - i),
            )
        )
    return made
