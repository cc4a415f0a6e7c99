"""The self-assessment models (ratings, files, and the plan's assignments they belong to) answer
`restrict(user, action)` like the registry does; anonymous users see nothing of the app."""

import pytest

from inspections.models import (
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from tests.accounts.test_scoping import EXPECTED_CHANGE, EXPECTED_VIEW

pytestmark = pytest.mark.django_db


def letters(queryset, path: str) -> set[str]:
    return {code[2] for code in queryset.values_list(path, flat=True)}


SCOPED = [
    (SelfAssessment, "kindergarten__code"),
    (SelfAssessmentRating, "assessment__kindergarten__code"),
    (SelfAssessmentAttachment, "assessment__kindergarten__code"),
    (CycleAssignment, "kindergarten__code"),
]


@pytest.mark.parametrize(("model", "path"), SCOPED)
@pytest.mark.parametrize("persona", EXPECTED_VIEW)
def test_it_shows_each_persona_exactly_its_kindergartens_rows(self_assessment_world, personas, model, path, persona):
    assert letters(model.objects.visible_to(personas[persona]), path) == EXPECTED_VIEW[persona]


@pytest.mark.parametrize(("model", "path"), SCOPED[:3])
@pytest.mark.parametrize("persona", EXPECTED_CHANGE)
def test_it_lets_directors_change_only_their_own_assessment_rows(self_assessment_world, personas, model, path, persona):
    assert letters(model.objects.restrict(personas[persona], "change"), path) == EXPECTED_CHANGE[persona]


def test_it_shows_nothing_to_anonymous_users(self_assessment_world):
    from django.contrib.auth.models import AnonymousUser

    for model in (SelfAssessment, SelfAssessmentAttachment, CycleAssignment, EvaluationCycle, FrameworkVersion):
        assert not model.objects.visible_to(AnonymousUser()).exists()
