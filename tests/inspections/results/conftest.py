"""The hand-counted results world shared by the use-of-results tests."""

import pytest

from ..factories import results_world


@pytest.fixture
def world(kg_a, kg_b, kg_c, bureau_official):
    """Six kindergartens with published and unpublished results (see `factories.results_world`)."""
    return results_world(kg_a, kg_b, kg_c, by=bureau_official)
