"""Builders for the supervisory (external) evaluation tests; they go through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.choices import Role
from inspections.models import EvaluationCycle, EvaluationTeam, ExternalEvaluation, RatingLevel
from inspections.services import evaluations as services
from tests.factories import UserFactory


def evaluator(*kindergartens, username: str | None = None):
    """An inspector (optionally with some kindergartens already in scope)."""
    user = UserFactory(role=Role.INSPECTOR, **({"username": username} if username else {}))
    if kindergartens:
        user.assigned_kindergartens.set(kindergartens)
    return user


def formed_team(cycle: EvaluationCycle, bureau, *members, name: str = "第一评估组") -> EvaluationTeam:
    return services.evaluation_team_create(
        cycle=cycle, name=name, user=bureau, leader=members[0] if members else None, members=list(members)
    )


def assigned(team: EvaluationTeam, bureau, kindergarten) -> ExternalEvaluation:
    services.evaluation_assign(team=team, kindergartens=[kindergarten], user=bureau)
    return ExternalEvaluation.objects.get(cycle=team.cycle, kindergarten=kindergarten)


def rate(evaluation: ExternalEvaluation, user, *, value: int = 3, skip: int = 0, findings: str = "") -> None:
    """Rates every point (but the last `skip`) at level `value`, with a visit date of yesterday."""
    level = RatingLevel.objects.get(scale=evaluation.framework_version.rating_scale, value=value)
    points = list(evaluation.framework_version.points())
    rated = points[: len(points) - skip] if skip else points
    services.evaluation_save(
        evaluation=evaluation,
        user=user,
        ratings={p.pk: services.FindingInput(level.pk, findings) for p in rated},
        visit_date=timezone.localdate() - datetime.timedelta(days=1),
        summary="总体良好",
    )


def submitted_evaluation(team: EvaluationTeam, bureau, kindergarten, user, *, value: int = 3, grade: str = "good"):
    evaluation = assigned(team, bureau, kindergarten)
    rate(evaluation, user, value=value)
    services.evaluation_save(evaluation=evaluation, user=user, ratings={}, grade=grade)
    return services.evaluation_submit(evaluation=evaluation, user=user)
