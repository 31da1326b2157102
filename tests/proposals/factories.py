"""Factories for the proposal tests (shared by the member and the secretariat sides).

Reference rows are fetched or created by code (``get_or_create``), so the tests work with or
without the shipped reference data loaded (the ``reference_data`` fixture of tests/conftest.py).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from deepdive.proposals.models import CoSubmitter, Proposal, Speaker
from deepdive.proposals.operations import refresh_near_duplicates
from deepdive.reference.models import Outcome
from deepdive.series.models import Call, Series
from tests.directory.factories import (
    OrganisationFactory,
    UserFactory,
    action_group,
    country,
    partner_type,
)
from tests.directory.factories import sector as _sector
from tests.directory.factories import theme as _theme

__all__ = [
    "CallFactory",
    "CoSubmitterFactory",
    "OrganisationFactory",
    "ProposalFactory",
    "SeriesFactory",
    "SpeakerFactory",
    "UserFactory",
    "action_group",
    "country",
    "outcome",
    "partner_type",
    "sector",
    "theme",
]


def theme(code: str = "child_labour", name: str | None = None):
    """The theme ``code``, created (named after its code) when missing."""
    return _theme(code, name or code.replace("_", " ").capitalize())


def sector(code: str = "mining", name: str | None = None):
    return _sector(code, name or code.replace("_", " ").capitalize())


def outcome(number: int = 1, title: str | None = None, group_code: str = "supply_chains"):
    """The Outcome ``number`` of the Action Group, created when missing."""
    return Outcome.objects.get_or_create(
        action_group=action_group(group_code),
        number=number,
        defaults={"title": title or f"Outcome title {number}"},
    )[0]


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    action_group = factory.LazyFunction(action_group)
    slug = factory.Sequence(lambda n: f"deep-dive-{n}")
    title = factory.Sequence(lambda n: f"Virtual deep dive series {n}")
    description = "Webinars by members."
    languages = factory.LazyFunction(lambda: ["en", "fr", "es"])


class CallFactory(factory.django.DjangoModelFactory):
    """A call open now (from yesterday to in thirty days)."""

    class Meta:
        model = Call

    series = factory.SubFactory(SeriesFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Call for proposals {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    timezone = "Europe/Zurich"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal. M2M fields take lists: ``themes=[theme()]``, ``countries=["GH"]``
    (ISO codes or Country rows), ``outcomes=[1, 2]`` (numbers or Outcome rows)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    status = Proposal.Status.SUBMITTED
    created_by = factory.SubFactory(UserFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    contact_name = factory.Sequence(lambda n: f"Contact {n}")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.net")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    description = "What the webinar is about."
    language = "en"
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != Proposal.Status.DRAFT else None
    )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set([theme(t) if isinstance(t, str) else t for t in extracted])

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set([sector(s) if isinstance(s, str) else s for s in extracted])

    @factory.post_generation
    def outcomes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.outcomes.set([outcome(o) if isinstance(o, int) else o for o in extracted])

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set([country(c) if isinstance(c, str) else c for c in extracted])

    @factory.post_generation
    def near_duplicates(obj, create, extracted, **kwargs):
        # What the operations do after every write: keep its near-duplicate pairs.
        if create:
            refresh_near_duplicates(proposal=obj)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    proposal = factory.SubFactory(ProposalFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    organisation = "Organisation of the speaker"
    role = "Programme officer"
    gender = Speaker.Gender.WOMAN
    order = factory.Sequence(lambda n: n)


class CoSubmitterFactory(factory.django.DjangoModelFactory):
    """A co-submitting organisation from the directory, confirmed. For one not in the
    directory: ``CoSubmitterFactory(organisation=None, unlisted_name="...", status="unlisted")``.
    """

    class Meta:
        model = CoSubmitter

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = CoSubmitter.Status.CONFIRMED
    invited_at = factory.LazyFunction(timezone.now)
    decided_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in ("confirmed", "declined") else None
    )
