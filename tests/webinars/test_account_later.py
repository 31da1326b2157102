"""An optional account later: a public registrant who confirmed is offered an account with
the same address, and once that address is VERIFIED in an account, the registration is listed
among the person's own (never by an unverified address)."""

import html

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from deepdive.webinars import queries
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def webinar():
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title="Supply chains"), members_only=False
    )


def public(webinar, email: str = "ana@example.net", **kwargs) -> Registration:
    values = {"status": Status.REGISTERED, "email_verified_at": timezone.now(), **kwargs}
    return RegistrationFactory(webinar=webinar, user=None, name="Ana Pérez", email=email, **values)


def page_of(client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def test_a_verified_address_brings_the_public_registration_to_the_account(webinar):
    registration = public(webinar, email="Ana@Example.net")
    person = ReaderFactory(email="ana@example.net")

    assert list(queries.registrations_of(person)) == [registration]


def test_a_second_verified_address_counts_too(webinar):
    registration = public(webinar, email="ana.perez@ngo.example")
    person = ReaderFactory(email="ana@example.net")
    EmailAddress.objects.create(user=person, email="ana.perez@ngo.example", verified=True)

    assert list(queries.registrations_of(person)) == [registration]


def test_an_unverified_address_never_matches(webinar):
    public(webinar, email="ana@example.net")
    person = ReaderFactory(email="ana@example.net", verified_email=False)
    EmailAddress.objects.create(user=person, email="ana@example.net", verified=False)

    assert list(queries.registrations_of(person)) == []


def test_someone_elses_account_registration_is_not_matched_by_address(webinar):
    other = ReaderFactory(email="ben@example.net")
    # Registered from Ben's account when it had this address.
    RegistrationFactory(webinar=webinar, user=other, email="ana@example.net")
    person = ReaderFactory(email="ana@example.net")

    assert list(queries.registrations_of(person)) == []
    assert list(queries.registrations_of(other)) == list(other.registrations.all())


def test_the_dashboard_lists_it_with_the_link_to_change_or_cancel(client, webinar):
    registration = public(webinar)
    client.force_login(ReaderFactory(email="ana@example.net"))

    page = page_of(client, reverse("core:dashboard"))

    assert "Webinars you registered for" in page
    assert "Supply chains" in page
    manage = reverse(
        "webinars:my_registration", kwargs={"token": registrations.manage_token(registration)}
    )
    assert f'<a href="{manage}">change or cancel' in page
    assert "Your registration" in page_of(client, manage)


def test_the_dashboard_leaves_out_an_unverified_address(client, webinar):
    public(webinar)
    person = ReaderFactory(email="ana@example.net", verified_email=False)
    EmailAddress.objects.create(user=person, email="ana@example.net", verified=False)
    client.force_login(person)

    assert "Supply chains" not in page_of(client, reverse("core:dashboard"))


def test_a_confirmed_public_registrant_is_offered_an_account(client, webinar):
    registration = public(webinar)
    manage = reverse(
        "webinars:my_registration", kwargs={"token": registrations.manage_token(registration)}
    )

    page = page_of(client, manage)

    signup = reverse("account_signup") + "?email=ana%40example.net"
    assert f'<a href="{signup}">create an account</a> with the same address' in page
    form = page_of(client, signup)
    assert 'value="ana@example.net"' in form


def test_no_account_is_offered_before_the_address_is_confirmed_or_when_signed_in(client, webinar):
    pending = public(webinar, status=Status.PENDING, email_verified_at=None)
    url = reverse("webinars:my_registration", kwargs={"token": registrations.manage_token(pending)})
    assert "create an account" not in page_of(client, url)

    confirmed = public(webinar, email="ben@example.net")
    client.force_login(ReaderFactory(email="other@example.net"))
    url = reverse(
        "webinars:my_registration", kwargs={"token": registrations.manage_token(confirmed)}
    )
    assert "create an account" not in page_of(client, url)
