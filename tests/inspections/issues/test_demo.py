"""The demo issue lists: drawn from submitted self-assessments, in every state, deterministic and idempotent."""

import datetime
import random

import pytest

from accounts.choices import Role
from inspections import demo
from inspections.choices import AssessmentStatus, IssueEventKind, IssueSource, IssueStatus
from inspections.models import IssueEvent, QualityIssue
from tests.factories import KindergartenFactory, UserFactory, subdistrict

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 1)


@pytest.fixture
def registry(db):
    kindergartens = KindergartenFactory.create_batch(14, subdistrict=subdistrict("望京")) + (
        KindergartenFactory.create_batch(10, subdistrict=subdistrict("双井"))
    )
    UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)
    UserFactory(username="director", role=Role.DIRECTOR, kindergarten=kindergartens[0])
    return kindergartens


def snapshot() -> list[tuple]:
    return list(
        QualityIssue.objects.order_by("kindergarten__code", "point_id").values_list(
            "kindergarten__code", "point_id", "status", "deadline"
        )
    )


def test_it_seeds_issues_in_every_state_from_submitted_self_assessments(registry):
    demo.seed(random.Random(2025), today=TODAY)
    issues = QualityIssue.objects.select_related("self_assessment", "external_evaluation")
    assert issues.exists()
    assert all(
        (
            i.source == IssueSource.SELF_ASSESSMENT
            and i.self_assessment.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
        )
        # The demo's published external evaluations (seeded just before) are sources too.
        or (i.source == IssueSource.EXTERNAL_EVALUATION and i.external_evaluation.is_published)
        for i in issues
    )
    assert set(issues.values_list("status", flat=True)) == set(IssueStatus.values)
    assert QualityIssue.objects.overdue().exists()
    assert (
        IssueEvent.objects.filter(kind=IssueEventKind.VERIFY).count()
        == issues.filter(status=IssueStatus.VERIFIED).count()
    )


def test_it_is_deterministic_and_idempotent(registry):
    demo.seed(random.Random(2025), today=TODAY)
    first = snapshot()
    events = IssueEvent.objects.count()
    demo.seed(random.Random(2025), today=TODAY)
    assert snapshot() == first and IssueEvent.objects.count() == events
