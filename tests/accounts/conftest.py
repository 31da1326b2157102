import pytest
from django.core.cache import cache

from .factories import PASSWORD, SecretariatFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()
