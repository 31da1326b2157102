"""100 registrations at the same moment for 20 seats, on real connections in threads
(tests/races.py): never more than 20 registered, the others on the waiting list."""

import threading

import pytest
from django.db import connection

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from tests.races import database_on_disk, race
from tests.webinars.factories import PublishedWebinarFactory, ReaderFactory, RepeatSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = 20
PEOPLE = 100
# PostgreSQL's default max_connections (100, 3 kept for superusers) cannot hold 100 threads
# plus the test's own connection: at most this many are open at once, the rest wait their turn.
CONNECTIONS = 80


@pytest.fixture
def setting(transactional_db, tmp_path):
    webinar = PublishedWebinarFactory(capacity=SEATS, members_only=False)
    people = [ReaderFactory() for _ in range(PEOPLE)]
    with database_on_disk(tmp_path):
        yield webinar, people


def test_100_registrations_at_once_for_20_seats_never_exceed_them(setting):
    webinar, people = setting

    slots = threading.BoundedSemaphore(CONNECTIONS)

    def register(person):
        def job():
            with slots:
                try:
                    return registrations.register(actor=person, webinar=webinar)
                finally:
                    connection.close()

        return job

    results = race(*(register(person) for person in people))

    assert not [r for r in results if isinstance(r, Exception)], [
        r for r in results if isinstance(r, Exception)
    ][:3]
    statuses = list(Registration.objects.filter(webinar=webinar).values_list("status", flat=True))
    assert len(statuses) == PEOPLE
    assert statuses.count("registered") == SEATS
    assert statuses.count("waiting") == PEOPLE - SEATS
    assert OutboxMessage.objects.filter(kind="registered").count() == SEATS


@pytest.fixture
def two_sessions(transactional_db, tmp_path):
    webinar = PublishedWebinarFactory(capacity=SEATS, members_only=False)
    repeat = RepeatSessionFactory(webinar=webinar)
    people = [ReaderFactory() for _ in range(PEOPLE)]
    with database_on_disk(tmp_path):
        yield webinar, repeat, people


def test_registrations_at_once_for_two_sessions_never_exceed_either(two_sessions):
    webinar, repeat, people = two_sessions
    slots = threading.BoundedSemaphore(CONNECTIONS)

    def register(person, chosen):
        def job():
            with slots:
                try:
                    return registrations.register(actor=person, webinar=webinar, repeat=chosen)
                finally:
                    connection.close()

        return job

    results = race(
        *(register(person, repeat if n % 2 else None) for n, person in enumerate(people))
    )

    assert not [r for r in results if isinstance(r, Exception)]
    first = Registration.objects.filter(webinar=webinar, repeat__isnull=True)
    again = Registration.objects.filter(webinar=webinar, repeat=repeat)
    assert first.filter(status="registered").count() == SEATS
    assert again.filter(status="registered").count() == SEATS
    assert first.filter(status="waiting").count() == PEOPLE // 2 - SEATS
    assert again.filter(status="waiting").count() == PEOPLE // 2 - SEATS


@pytest.fixture
def unconfirmed(transactional_db, tmp_path):
    webinar = PublishedWebinarFactory(capacity=SEATS, members_only=False)
    registrations.register_public(webinar=webinar, name="Ana", email="ana@example.net")
    person = ReaderFactory(email="ana@example.net")
    with database_on_disk(tmp_path):
        yield webinar, person


def test_a_member_taking_over_their_unconfirmed_registration_twice_at_once(unconfirmed):
    webinar, person = unconfirmed

    def register():
        try:
            return registrations.register(actor=person, webinar=webinar)
        finally:
            connection.close()

    results = race(register, register, register)

    assert not [r for r in results if isinstance(r, Exception)]
    [registration] = Registration.objects.filter(webinar=webinar)
    assert (registration.user, registration.status) == (person, "registered")
    assert OutboxMessage.objects.filter(kind="registered").count() == 1
