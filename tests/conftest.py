import pytest


@pytest.fixture(autouse=True)
def _everything_through_the_outbox(settings):
    """Django's test set-up swaps EMAIL_BACKEND for its mailbox; keep the outbox in front."""
    settings.EMAIL_BACKEND = "deepdive.outbox.backends.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached reference choices)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(db):
    """The reference data shipped with the code, loaded as `make demo` loads it."""
    from deepdive.reference.operations import load_reference_data

    load_reference_data()
