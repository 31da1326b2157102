"""Public registrations never confirmed by their e-mail link hold no seat and are forgotten
after the link's 7 days or once the webinar has started, whichever comes first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.core.scheduling import periodic
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from deepdive.webinars.unconfirmed import forget_unconfirmed
from tests.webinars.factories import PublishedWebinarFactory, RegistrationFactory, member

pytestmark = pytest.mark.django_db

Status = Registration.Status


def pending(webinar, email: str, *, days_ago: float = 0) -> Registration:
    registration = RegistrationFactory(
        webinar=webinar, user=None, name="Ana Pérez", email=email, status=Status.PENDING
    )
    Registration.objects.filter(pk=registration.pk).update(
        updated_at=timezone.now() - timedelta(days=days_ago)
    )
    return registration


@pytest.fixture
def webinar():
    return PublishedWebinarFactory(members_only=False)


def remaining(webinar) -> list[str]:
    return sorted(Registration.objects.filter(webinar=webinar).values_list("email", flat=True))


def forgotten_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="webinars.unconfirmed_forgotten"))


def test_an_unconfirmed_registration_holds_no_seat(webinar):
    webinar.capacity = 1
    webinar.save()
    pending(webinar, "ana@example.net")

    registration = registrations.register(actor=member(), webinar=webinar)

    assert registration.status == Status.REGISTERED
    assert registrations.seats_taken(webinar) == 1


def test_an_unconfirmed_registration_is_forgotten_after_seven_days(webinar):
    pending(webinar, "old@example.net", days_ago=7.1)
    pending(webinar, "recent@example.net", days_ago=6.9)

    assert forget_unconfirmed() == 1

    assert remaining(webinar) == ["recent@example.net"]
    [entry] = forgotten_entries()
    assert entry.summary == "1 unconfirmed public registration(s) deleted"
    assert "example.net" not in entry.summary and entry.actor is None


def test_unconfirmed_registrations_are_forgotten_once_the_webinar_has_started():
    webinar = PublishedWebinarFactory(
        members_only=False, starts_at=timezone.now() + timedelta(days=2)
    )
    pending(webinar, "ana@example.net")
    pending(webinar, "ben@example.net", days_ago=1)
    later = PublishedWebinarFactory(members_only=False)
    pending(later, "ana@example.net")

    assert forget_unconfirmed(now=webinar.starts_at) == 2

    assert remaining(webinar) == []
    assert remaining(later) == ["ana@example.net"]
    [entry] = forgotten_entries()
    assert entry.summary == "2 unconfirmed public registration(s) deleted"


def test_a_confirmed_registration_is_never_forgotten(webinar):
    for status in (Status.REGISTERED, Status.WAITING, Status.OFFERED, Status.CANCELLED):
        registration = RegistrationFactory(
            webinar=webinar, user=None, email=f"{status}@example.net", status=status
        )
        Registration.objects.filter(pk=registration.pk).update(
            updated_at=timezone.now() - timedelta(days=30)
        )

    assert forget_unconfirmed(now=webinar.starts_at + timedelta(days=1)) == 0

    assert len(remaining(webinar)) == 4
    assert forgotten_entries() == []


def test_running_it_again_deletes_nothing_more(webinar):
    pending(webinar, "old@example.net", days_ago=8)
    pending(webinar, "recent@example.net")

    assert forget_unconfirmed() == 1
    assert forget_unconfirmed() == 0

    assert remaining(webinar) == ["recent@example.net"]
    assert len(forgotten_entries()) == 1


def test_the_scheduler_job_forgets_them(webinar):
    pending(webinar, "old@example.net", days_ago=8)
    [job] = [job for job in periodic.jobs() if job.name == "webinars.forget_unconfirmed"]

    assert job.run() == 1
    assert remaining(webinar) == []
