"""The enforcement world shared by the enforcement pages and API tests."""

import pytest

from ..factories import enforcement_world


@pytest.fixture
def world(personas, kg_a, kg_b, kg_c):
    """Orders, unlicensed cases and conduct cases for A, B and C (see `factories.enforcement_world`)."""
    return enforcement_world(personas, kg_a, kg_b, kg_c)
