import pytest
from django.conf import settings
from django.urls import reverse

from deepdive.accounts import operations
from deepdive.core.models import AuditEntry

from .factories import SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_needs_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_profile_shows_current_values_and_links(client):
    user = UserFactory(timezone="Asia/Kathmandu", name="Sita")
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="timezone" value="Asia/Kathmandu"' in html
    assert 'value="Sita"' in html
    assert reverse("account_email") in html
    assert reverse("account_change_password") in html
    assert reverse("accounts:affiliations") in html
    assert reverse("mfa_index") not in html  # two-factor is for the secretariat


def test_profile_shows_two_factor_link_to_the_secretariat(client):
    client.force_login(SecretariatFactory())
    assert reverse("mfa_index") in client.get(reverse("accounts:profile")).content.decode()


def test_profile_update_changes_zone_and_language_with_audit(client):
    user = UserFactory(timezone="Europe/Paris", language="en", name="Sita")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Sita", "timezone": "America/Lima", "language": "es"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.timezone, user.language, user.name) == ("America/Lima", "es", "Sita")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    entry = AuditEntry.objects.get(action="accounts.preferences")
    assert entry.actor == user
    assert entry.changes == {
        "timezone": ["Europe/Paris", "America/Lima"],
        "language": ["en", "es"],
    }  # only the changed fields


def test_profile_update_without_language_change_sets_no_cookie(client):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "New name", "timezone": user.timezone, "language": "en"},
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.name == "New name"


def test_invalid_zone_gives_a_field_error_and_keeps_typed_values(client):
    user = UserFactory(timezone="Europe/Paris", name="Old")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Typed name", "timezone": "Mars/Olympus", "language": "fr"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_timezone_errors"' in html
    assert 'value="Typed name"' in html
    assert '<option value="fr" selected>' in html
    user.refresh_from_db()
    assert user.timezone == "Europe/Paris" and user.name == "Old"
    assert not AuditEntry.objects.exists()


def test_update_preferences_refuses_unknown_values():
    user = UserFactory()
    with pytest.raises(ValueError):
        operations.update_preferences(actor=user, user=user, timezone="Nowhere/Else")
    with pytest.raises(ValueError):
        operations.update_preferences(actor=user, user=user, language="de")


def test_update_preferences_without_change_writes_nothing():
    user = UserFactory(language="fr")
    assert operations.update_preferences(actor=user, user=user, language="fr") == {}
    assert not AuditEntry.objects.exists()


def test_language_switch_in_header_keeps_the_profile(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post(reverse("core:set_language"), {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"
