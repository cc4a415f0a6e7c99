"""The handbook's models answer `visible_to(user)` like the registry does: drafts are the bureau's
alone, published versions everybody's."""

import pytest

from inspections import services
from inspections.models import FrameworkVersion, KeyIndicator

from ..factories import national_framework

pytestmark = pytest.mark.django_db


def test_it_shows_handbook_drafts_to_the_bureau_only(self_assessment_world, personas):
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
