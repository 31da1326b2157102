import pytest

from .factories import UserFactory


@pytest.fixture
def secretariat(db):
    return UserFactory(email="secretariat@example.org", is_secretariat=True)


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture(autouse=True)
def _media_and_var(settings, tmp_path):
    """Uploaded logos and kept import files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
