"""Failed log-ins are throttled per account and per client: one person's wrong passwords lock
neither the other accounts used from their address nor, behind a trusted reverse proxy, the
other people whose requests come through it."""

import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches us from its address
ALICE = "203.0.113.5"
BOB = "198.51.100.7"


def log_in(client: Client, email: str, password: str, *, via: str | None = None) -> bool:
    """Post the log-in form; whether it signed in (a throttled attempt does not)."""
    headers = {"REMOTE_ADDR": PROXY}
    if via:
        headers["HTTP_X_FORWARDED_FOR"] = via
    client.post(reverse("account_login"), {"login": email, "password": password}, **headers)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def test_five_wrong_passwords_lock_that_account_only(client):
    alice, bob = UserFactory(), UserFactory()
    for _ in range(5):
        assert not log_in(client, alice.email, "wrong")
    assert log_in(client, bob.email, PASSWORD)  # same address, another account
    assert not log_in(client, alice.email, PASSWORD)  # Alice's account waits


def test_the_locked_account_says_why(client):
    alice = UserFactory()
    for _ in range(5):
        log_in(client, alice.email, "wrong")
    response = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )


def _wrong_passwords_from(client, address: str | None, count: int = 10) -> None:
    """``count`` failed log-ins from one client, each for another account (so that only the
    per-client limit is reached)."""
    for n in range(count):
        assert not log_in(client, f"guess{n}@example.net", "wrong", via=address)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_clients_behind_a_trusted_proxy_are_throttled_separately(client):
    carol = UserFactory()
    _wrong_passwords_from(client, ALICE)
    assert not log_in(client, carol.email, PASSWORD, via=ALICE)  # Alice's address is held
    assert log_in(client, carol.email, PASSWORD, via=BOB)  # Bob, through the same proxy


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_the_forwarded_address_is_ignored_when_no_proxy_is_trusted(client):
    carol = UserFactory()
    # A client cannot dodge the limit by making up X-Forwarded-For: its address is the peer's.
    _wrong_passwords_from(client, ALICE)
    assert not log_in(client, carol.email, PASSWORD, via=BOB)
    assert not log_in(client, carol.email, PASSWORD)


@pytest.mark.parametrize(("value", "expected"), [(None, "0"), ("1", "1"), ("2", "2")])
def test_trusted_proxies_come_from_the_environment(tmp_path, value, expected):
    env = {**os.environ, "DEEPDIVE_VAR": str(tmp_path)}
    env.pop("DEEPDIVE_TRUSTED_PROXIES", None)
    if value is not None:
        env["DEEPDIVE_TRUSTED_PROXIES"] = value
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import deepdive.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == expected
