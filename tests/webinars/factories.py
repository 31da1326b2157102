"""Factories for the webinar tests: webinars (published or not), readers, members,
registrations. Reference rows are fetched or created by code (see tests/proposals/factories.py),
so the tests work with or without the shipped reference data."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.series.times import local_to_utc
from deepdive.timetable.models import TimetableRules
from deepdive.webinars.models import Registration, RepeatSession, Webinar
from tests.accounts.factories import AffiliationFactory
from tests.accounts.factories import UserFactory as AccountFactory
from tests.proposals.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SeriesFactory,
    SpeakerFactory,
)

__all__ = [
    "CallFactory",
    "CoSubmitterFactory",
    "OrganisationFactory",
    "ProposalFactory",
    "PublishedWebinarFactory",
    "ReaderFactory",
    "RegistrationFactory",
    "RepeatSessionFactory",
    "SeriesFactory",
    "SpeakerFactory",
    "WebinarFactory",
    "member",
    "paris",
    "rules_for",
]


def paris(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    """The UTC instant of a wall-clock time in Europe/Paris."""
    return local_to_utc(datetime(year, month, day, hour, minute), "Europe/Paris")


def rules_for(call, zone: str = "Europe/Paris") -> TimetableRules:
    """Timetable rules for ``call`` (gives the series its reference zone)."""
    return TimetableRules.objects.update_or_create(
        call=call,
        defaults={
            "reference_timezone": zone,
            "first_date": timezone.now().date(),
            "last_date": timezone.now().date() + timedelta(days=90),
        },
    )[0]


class ReaderFactory(AccountFactory):
    """A signed-up person with a verified e-mail address (not a member)."""

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    name = factory.Sequence(lambda n: f"Reader {n}")


def member(**kwargs):
    """A reader who is a verified contact of an Alliance 8.7 partner."""
    person = ReaderFactory(**kwargs)
    AffiliationFactory(
        user=person,
        organisation=OrganisationFactory(is_member=True),
        status=Affiliation.Status.VERIFIED,
    )
    return person


class WebinarFactory(factory.django.DjangoModelFactory):
    """A webinar not yet published (no time)."""

    class Meta:
        model = Webinar

    proposal = factory.SubFactory(ProposalFactory)
    minutes = 60
    members_only = False
    joining_url = factory.Sequence(lambda n: f"https://meet.example.org/j/{1000 + n}")


class PublishedWebinarFactory(WebinarFactory):
    """A published webinar, by default in two weeks at 14:00 Europe/Paris."""

    starts_at = factory.LazyFunction(
        lambda: paris(*(timezone.now() + timedelta(days=14)).date().timetuple()[:3])
    )
    planned_start = factory.LazyAttribute(lambda o: o.starts_at)
    published_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    webinar = factory.SubFactory(PublishedWebinarFactory)
    user = factory.SubFactory(ReaderFactory)


class RepeatSessionFactory(factory.django.DjangoModelFactory):
    """A published repeat session of a published webinar, by default 10 hours after it (an
    evening in Paris for the Americas and the Pacific)."""

    class Meta:
        model = RepeatSession

    webinar = factory.SubFactory(PublishedWebinarFactory)
    starts_at = factory.LazyAttribute(lambda o: o.webinar.starts_at + timedelta(hours=10))
    planned_start = factory.LazyAttribute(lambda o: o.starts_at)
