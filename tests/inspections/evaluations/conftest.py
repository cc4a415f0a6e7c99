"""Fixtures shared by the supervisory (external) evaluation tests."""

import pytest

from ..factories import formed_team


@pytest.fixture
def team(evaluation_cycle, bureau_official, inspector):
    """The first evaluation team of the cycle, formed by the bureau, with the inspector as its leader."""
    return formed_team(evaluation_cycle, bureau_official, inspector)
