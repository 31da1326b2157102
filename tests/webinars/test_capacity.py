"""The secretariat sets a webinar's seats: never below the people holding one, and more seats
offer them to the waiting list."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from tests.accounts.factories import SecretariatFactory
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    paris,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1
Status = Registration.Status


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def webinar():
    """Two seats, both taken, one person waiting."""
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Cocoa and child labour"),
        starts_at=paris(NEXT_YEAR, 1, 12, 14, 0),
        members_only=False,
        capacity=2,
    )
    RegistrationFactory(webinar=webinar, status=Status.REGISTERED, email="a@example.org")
    RegistrationFactory(webinar=webinar, status=Status.REGISTERED, email="b@example.org")
    RegistrationFactory(webinar=webinar, status=Status.WAITING, email="c@example.org")
    return webinar


def status_of(email: str) -> str:
    return Registration.objects.get(email=email).status


def test_fewer_seats_than_people_holding_one_is_refused_beside_the_field(secretariat, webinar):
    with pytest.raises(registrations.RegistrationRefused) as refused:
        registrations.set_capacity(actor=secretariat, webinar=webinar, capacity=1)

    assert "2 people already hold a seat" in refused.value.errors["capacity"][0]
    webinar.refresh_from_db()
    assert webinar.capacity == 2


def test_more_seats_offer_one_to_the_first_waiting(
    secretariat, webinar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registrations.set_capacity(actor=secretariat, webinar=webinar, capacity=3)

    webinar.refresh_from_db()
    assert webinar.capacity == 3
    assert status_of("c@example.org") == Status.OFFERED
    assert OutboxMessage.objects.filter(to_email="c@example.org").exists()
    assert AuditEntry.objects.filter(action="webinars.capacity_changed").count() == 1


def test_no_limit_offers_everyone_waiting(secretariat, webinar):
    registrations.set_capacity(actor=secretariat, webinar=webinar, capacity=None)

    webinar.refresh_from_db()
    assert webinar.capacity is None
    assert status_of("c@example.org") == Status.OFFERED


def test_the_fullest_session_sets_the_lowest_capacity(secretariat, webinar):
    repeat = RepeatSessionFactory(webinar=webinar)
    for n in range(3):
        RegistrationFactory(
            webinar=webinar, repeat=repeat, status=Status.REGISTERED, email=f"r{n}@example.org"
        )

    with pytest.raises(registrations.RegistrationRefused):
        registrations.set_capacity(actor=secretariat, webinar=webinar, capacity=2)
    registrations.set_capacity(actor=secretariat, webinar=webinar, capacity=3)


def test_only_the_secretariat_sets_the_seats(webinar):
    member = RegistrationFactory(webinar=webinar, status=Status.REGISTERED).user
    with pytest.raises(PermissionDenied):
        registrations.set_capacity(actor=member, webinar=webinar, capacity=10)


def test_the_page_keeps_what_was_typed_beside_the_field(client, secretariat, webinar):
    client.force_login(secretariat)
    url = reverse("webinars:capacity", kwargs={"pk": webinar.pk})

    page = client.post(url, {"capacity": "1"})

    assert page.status_code == 422
    body = page.content.decode()
    assert 'value="1"' in body
    assert "2 people already hold a seat" in body

    saved = client.post(url, {"capacity": ""})
    assert saved.status_code == 302
    webinar.refresh_from_db()
    assert webinar.capacity is None


def test_the_board_links_to_the_seats(client, secretariat, webinar):
    client.force_login(secretariat)
    board = client.get(reverse("webinars:board", kwargs={"slug": webinar.call.series.slug}))
    assert reverse("webinars:capacity", kwargs={"pk": webinar.pk}) in board.content.decode()


def test_others_may_not_open_the_page(client, webinar):
    member = RegistrationFactory(webinar=webinar, status=Status.REGISTERED).user
    client.force_login(member)
    response = client.get(reverse("webinars:capacity", kwargs={"pk": webinar.pk}))
    assert response.status_code == 403
