"""Fixtures of the safety tests: a temporary MEDIA_ROOT for uploaded photos, hazards of A, B and C."""

import datetime

import pytest

from safety import services
from safety.choices import HazardCategory, Severity
from tests.inspections.factories import PNG_BYTES, upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(name: str = "after.png"):
    return upload(name, PNG_BYTES, "image/png")


def open_hazard(kindergarten, user, *, severity=Severity.GENERAL, found_on=None, **extra):
    return services.hazard_open(
        kindergarten=kindergarten,
        user=user,
        category=extra.pop("category", HazardCategory.FIRE),
        severity=severity,
        description=extra.pop("description", "灭火器过期"),
        owner=extra.pop("owner", "王老师"),
        found_on=found_on or datetime.date.today(),
        **extra,
    )


@pytest.fixture
def hazards(bureau_official, kg_a, kg_b, kg_c):
    """One open hazard per kindergarten, opened by the bureau: {"A": …, "B": …, "C": …}."""
    return {name: open_hazard(kg, bureau_official) for name, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True)}
