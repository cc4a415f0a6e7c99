"""The demo seeder: clearly labelled demo points in their own published version, a usable cycle."""

import datetime
import random

import pytest

from accounts.choices import Role
from inspections import demo
from inspections.choices import AssessmentStatus, PointOrigin
from inspections.models import CycleAssignment, EvaluationCycle, FrameworkVersion, SelfAssessment
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory, UserFactory, subdistrict

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 1)


@pytest.fixture
def registry(db):
    kindergartens = KindergartenFactory.create_batch(
        12, subdistrict=subdistrict("望京")
    ) + KindergartenFactory.create_batch(9, subdistrict=subdistrict("双井"))
    UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)
    UserFactory(username="director", role=Role.DIRECTOR, kindergarten=kindergartens[0])
    return kindergartens


def test_it_seeds_a_clearly_labelled_demo_handbook_and_a_cycle(registry):
    summary = demo.seed(random.Random(2025), today=TODAY)
    assert "演示评估手册" in summary
    handbook = FrameworkVersion.objects.get(is_demo=True)
    assert handbook.is_published and "演示" in handbook.name and handbook.version == 2
    points = list(handbook.points())
    assert len(points) == 30
    assert all(p.text.startswith("【演示】") and p.origin == PointOrigin.DEMO for p in points)
    # Version 1 still has no points: nothing official was invented.
    assert not FrameworkVersion.objects.get(version=1).points().exists()

    cycle = EvaluationCycle.objects.get()
    assert (cycle.start_year, cycle.framework_version) == (2025, handbook)
    assert CycleAssignment.objects.filter(cycle=cycle).count() == Kindergarten.objects.operating().count()
    statuses = set(SelfAssessment.objects.values_list("status", flat=True))
    assert AssessmentStatus.ACCEPTED in statuses or AssessmentStatus.SUBMITTED in statuses

    own = CycleAssignment.objects.get(cycle=cycle, kindergarten=registry[0])
    assert own.planned_year == 2026 and own.self_assessment_due > TODAY
    assert not SelfAssessment.objects.filter(kindergarten=registry[0]).exists()


def test_it_changes_nothing_when_run_again(registry):
    demo.seed(random.Random(2025), today=TODAY)
    counts = (FrameworkVersion.objects.count(), CycleAssignment.objects.count(), SelfAssessment.objects.count())
    demo.seed(random.Random(2025), today=TODAY)
    assert (FrameworkVersion.objects.count(), CycleAssignment.objects.count(), SelfAssessment.objects.count()) == counts
