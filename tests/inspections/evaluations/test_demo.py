"""The demo supervisory evaluations: two teams, one led by the demo inspector, a mix of states, idempotent."""

import datetime
import random

import pytest

from accounts.choices import Role
from inspections import demo
from inspections.choices import EvaluationStatus
from inspections.models import CycleAssignment, EvaluationTeam, ExternalEvaluation, ExternalRating
from tests.factories import KindergartenFactory, UserFactory, subdistrict

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 1)


@pytest.fixture
def registry(db):
    kindergartens = KindergartenFactory.create_batch(45, subdistrict=subdistrict("望京")) + (
        KindergartenFactory.create_batch(45, subdistrict=subdistrict("双井"))
    )
    UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)
    UserFactory(username="director", role=Role.DIRECTOR, kindergarten=kindergartens[0])
    inspector = UserFactory(username="inspector", role=Role.INSPECTOR)
    return inspector


def snapshot() -> list[tuple]:
    return list(
        ExternalEvaluation.objects.order_by("kindergarten__code").values_list(
            "kindergarten__code", "team__name", "status", "grade", "visit_date"
        )
    )


def test_it_seeds_two_teams_and_evaluations_in_every_state(registry):
    demo.seed(random.Random(2025), today=TODAY)
    teams = EvaluationTeam.objects.order_by("name")
    assert teams.count() == 2
    first = teams.get(name="第一督导评估组")
    assert first.leader == registry and registry in first.members.all()

    evaluations = ExternalEvaluation.objects.all()
    past = CycleAssignment.objects.filter(planned_year__lt=TODAY.year).count()
    assert past > 20 and evaluations.count() == min(30, past)
    assert set(evaluations.values_list("status", flat=True)) == set(EvaluationStatus.values)
    assert all(e.cycle.start_year == 2025 for e in evaluations)
    planned = {a.kindergarten_id: a.planned_year for a in evaluations[0].cycle.assignments.all()}
    assert all(planned[e.kindergarten_id] < TODAY.year for e in evaluations)
    assert not evaluations.filter(status=EvaluationStatus.PUBLISHED, grade="").exists()
    assert ExternalRating.objects.exclude(findings="").exists()
    # The demo inspector's scope holds the first team's kindergartens.
    own = set(evaluations.filter(team=first).values_list("kindergarten_id", flat=True))
    assert own and own <= set(registry.assigned_kindergartens.values_list("pk", flat=True))


def test_it_is_deterministic_and_creates_nothing_the_second_time(registry):
    demo.seed(random.Random(2025), today=TODAY)
    first = snapshot()
    counts = (EvaluationTeam.objects.count(), ExternalRating.objects.count())
    demo.seed(random.Random(2025), today=TODAY)
    assert snapshot() == first
    assert (EvaluationTeam.objects.count(), ExternalRating.objects.count()) == counts
