import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate-limit audit is de-duplicated through the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()
