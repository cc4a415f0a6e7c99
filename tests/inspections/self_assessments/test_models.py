"""Every inspections model answers `restrict(user, action)` like the registry does."""

import pytest

from accounts.choices import Role
from inspections import services
from inspections.models import (
    Area,
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from tests.accounts.test_scoping import EXPECTED_CHANGE, EXPECTED_VIEW
from tests.factories import UserFactory

from ..factories import PDF_BYTES, assign, cycle, national_framework, rate_all, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, kg_a, kg_b, kg_c):
    """A self-assessment (with a rating and a file) for each of A, B and C."""
    evaluation_cycle = cycle(by=personas["bureau_official"])
    director_c = UserFactory(role=Role.DIRECTOR, kindergarten=kg_c)
    directors = {kg_a: personas["director_a"], kg_b: personas["director_b"], kg_c: director_c}
    for kindergarten, director in directors.items():
        assign(evaluation_cycle, kindergarten)
        assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=evaluation_cycle, user=director)
        rate_all(assessment, director, skip=14)
        services.self_assessment_attachment_add(assessment=assessment, user=director, file=upload("a.pdf", PDF_BYTES))
    return evaluation_cycle


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
def test_it_shows_each_persona_exactly_its_kindergartens_rows(world, personas, model, path, persona):
    assert letters(model.objects.visible_to(personas[persona]), path) == EXPECTED_VIEW[persona]


@pytest.mark.parametrize(("model", "path"), SCOPED[:3])
@pytest.mark.parametrize("persona", EXPECTED_CHANGE)
def test_it_lets_directors_change_only_their_own_assessment_rows(world, personas, model, path, persona):
    assert letters(model.objects.restrict(personas[persona], "change"), path) == EXPECTED_CHANGE[persona]


@pytest.mark.parametrize("persona", ["wangjing_official", "director_a", "director_b", "inspector"])
def test_it_keeps_the_plan_and_the_handbook_the_bureaus_to_change(world, personas, persona):
    user = personas[persona]
    for model in (CycleAssignment, EvaluationCycle, FrameworkVersion, Area, KeyIndicator, AssessmentPoint):
        assert not model.objects.restrict(user, "change").exists()
    assert EvaluationCycle.objects.visible_to(user).count() == 1


def test_it_shows_handbook_drafts_to_the_bureau_only(world, personas):
    draft = services.framework_version_copy(
        source=national_framework(), user=personas["bureau_official"], name="草稿手册"
    )
    for name, user in personas.items():
        visible = FrameworkVersion.objects.visible_to(user)
        assert (draft in visible) == name.startswith("bureau")
        assert national_framework() in visible
        assert KeyIndicator.objects.visible_to(user).filter(area__framework_version=draft).exists() == name.startswith(
            "bureau"
        )


def test_it_shows_nothing_to_anonymous_users(world):
    from django.contrib.auth.models import AnonymousUser

    for model in (SelfAssessment, SelfAssessmentAttachment, CycleAssignment, EvaluationCycle, FrameworkVersion):
        assert not model.objects.visible_to(AnonymousUser()).exists()
