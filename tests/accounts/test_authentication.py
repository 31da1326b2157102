"""Sign up, e-mail verification, log in (password and code), password reset, throttling:
allauth's flows, with every e-mail stored in the outbox."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from deepdive.accounts.models import User
from deepdive.core.timezones import TZ_COOKIE
from deepdive.outbox.models import OutboxMessage

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def _code_in(message: OutboxMessage) -> str:
    lines = [line.strip() for line in message.body_text.splitlines()]
    start = next(i for i, line in enumerate(lines) if "browser window" in line)
    return next(line for line in lines[start + 1 :] if line)


def test_login_page_uses_site_layout_and_offers_a_code(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html  # our base.html
    assert re.search(r'<label for="id_login">Email:?</label>', html)
    assert re.search(r'<label for="id_password">Password:?</label>', html)
    assert re.search(r"<button[^>]*>\s*Sign In\s*</button>", html)
    assert "Send me a sign-in code" in html
    assert reverse("account_request_login_code") in html
    assert reverse("account_reset_password") in html


def test_signup_page_asks_name_email_and_password_twice(client):
    html = client.get(reverse("account_signup")).content.decode()
    for field in ("id_name", "id_email", "id_password1", "id_password2"):
        assert f'for="{field}"' in html
    assert "Full name" in html
    assert html.index('for="id_name"') < html.index('for="id_email"')


def test_signup_queues_verification_and_the_link_verifies(client):
    client.cookies[TZ_COOKIE] = "Africa/Abidjan"
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Ama Mensah",
            "email": "ama@example.net",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert _logged_in_as(client) is None  # verification is mandatory

    user = User.objects.get(email="ama@example.net")
    assert user.name == "Ama Mensah"
    assert user.timezone == "Africa/Abidjan"
    assert user.language == "fr"
    assert user.password.startswith("argon2")

    message = OutboxMessage.objects.get(to_email="ama@example.net")
    assert message.kind == "account"
    assert message.language == "fr"
    assert message.subject.startswith("[Deep Dive]")
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body_text)
    assert link, message.body_text

    page = client.get(link.group(1))
    assert page.status_code == 200  # confirmation needs a POST (no change on GET)
    assert not EmailAddress.objects.get(email="ama@example.net").verified
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ama@example.net").verified
    assert _logged_in_as(client) == user.pk


def test_signup_with_an_invalid_zone_cookie_leaves_the_zone_empty(client):
    client.cookies[TZ_COOKIE] = "Mars/Olympus"
    client.post(
        reverse("account_signup"),
        {"name": "B", "email": "b@example.net", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="b@example.net").timezone == ""


def test_signup_requires_a_name(client):
    response = client.post(
        reverse("account_signup"),
        {"name": "", "email": "c@example.net", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_name_errors"' in response.content.decode()
    assert not User.objects.filter(email="c@example.net").exists()


def test_login_with_password(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _logged_in_as(client) == user.pk


def test_wrong_password_shows_an_error_beside_the_form(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert _logged_in_as(client) is None


def test_login_by_code(client):
    user = UserFactory()
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    message = OutboxMessage.objects.get(to_email=user.email)
    assert message.kind == "account"
    code = _code_in(message)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert _logged_in_as(client) == user.pk


def test_login_code_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("account_request_login_code"), {"email": "nobody@example.net"})
    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    assert not OutboxMessage.objects.exists()


def test_password_reset_same_answer_for_unknown_address_and_works(client):
    user = UserFactory()
    known = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.net"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain[-1][0] == reverse("account_reset_password_done")

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(known) == main(unknown)
    assert not OutboxMessage.objects.filter(to_email="nobody@example.net").exists()
    message = OutboxMessage.objects.get(to_email=user.email)

    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+/)", message.body_text)
    assert link, message.body_text
    response = client.get(link.group(1))
    assert response.status_code == 302  # allauth moves the key into the session
    new_password = "Another-str0ng-secret"
    response = client.post(response.url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert user.password.startswith("argon2")


def test_failed_logins_are_throttled_after_five(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert _logged_in_as(client) is None
    assert response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "name", ["account_request_login_code", "account_reset_password", "account_signup"]
)
def test_anonymous_allauth_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "account_logout", "account_reauthenticate"]
)
def test_signed_in_allauth_pages_use_the_site_layout(client, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_signup_with_a_taken_address_looks_the_same_and_tells_the_owner(client):
    owner = UserFactory(email="taken@example.net")
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Intruder",
            "email": "taken@example.net",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.net").count() == 1
    message = OutboxMessage.objects.get(to_email=owner.email)
    assert message.kind == "account"
