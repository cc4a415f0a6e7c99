"""The cycle plan's models answer `restrict(user, action)` like the registry does: only the bureau
changes the plan (and the handbook it uses)."""

import pytest

from inspections.models import Area, AssessmentPoint, CycleAssignment, EvaluationCycle, FrameworkVersion, KeyIndicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["wangjing_official", "director_a", "director_b", "inspector"])
def test_it_keeps_the_plan_and_the_handbook_the_bureaus_to_change(self_assessment_world, personas, persona):
    user = personas[persona]
    for model in (CycleAssignment, EvaluationCycle, FrameworkVersion, Area, KeyIndicator, AssessmentPoint):
        assert not model.objects.restrict(user, "change").exists()
    assert EvaluationCycle.objects.visible_to(user).count() == 1
