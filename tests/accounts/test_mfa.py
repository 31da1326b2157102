import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from .factories import PASSWORD, SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP_PAGES = ["mfa_index", "mfa_activate_totp", "mfa_generate_recovery_codes"]


@pytest.mark.parametrize("page", SETUP_PAGES)
def test_two_factor_setup_refused_to_non_secretariat(client, page):
    client.force_login(UserFactory())
    response = client.get(reverse(page))
    assert response.status_code == 403
    assert "Only the secretariat" in response.content.decode()


def test_two_factor_activation_post_refused_to_non_secretariat(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert response.status_code == 403
    assert not Authenticator.objects.filter(user=user).exists()


def test_two_factor_pages_reachable_for_secretariat(client):
    client.force_login(SecretariatFactory())
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "Authenticator App" in response.content.decode()
    # Activation first asks to confirm the password (allauth's reauthentication).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in (200, 302)
    assert response.status_code == 200 or "reauthenticate" in response.url


def test_secretariat_with_totp_logs_in_with_a_code(client):
    user = SecretariatFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert page.status_code == 200
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))  # current one
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
