import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """The public pages cache their answers: every test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()
