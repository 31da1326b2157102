"""Audiences: who is in each, once each, with their language and zone."""

import pytest
from django.utils import timezone

from deepdive.communications import audiences
from deepdive.communications.audiences import Audience
from deepdive.directory.models import Affiliation
from deepdive.reference.models import ActionGroup, Country
from deepdive.webinars.models import Attendance, Registration
from tests.accounts.factories import AffiliationFactory, OrganisationFactory, partner_type
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def action_group(code="supply_chains", name="Supply Chains") -> ActionGroup:
    return ActionGroup.objects.get_or_create(code=code, defaults={"name": name})[0]


def country(code="GH", region="africa", zone="Africa/Accra") -> Country:
    return Country.objects.get_or_create(
        code=code,
        defaults={"name": code, "ilo_region": region, "m49_region": "africa", "timezone": zone},
    )[0]


def contact(organisation, *, status=Affiliation.Status.VERIFIED, **kwargs):
    person = ReaderFactory(**kwargs)
    AffiliationFactory(user=person, organisation=organisation, status=status)
    return person


@pytest.fixture
def series():
    return CallFactory().series


def emails(audience) -> list[str]:
    return [r.email for r in audiences.recipients(audience)]


def test_all_members_are_the_verified_active_contacts_of_member_organisations(series):
    member_org = OrganisationFactory(is_member=True)
    verified = contact(member_org, email="ana@member.example")
    contact(member_org, status=Affiliation.Status.PENDING, email="pending@member.example")
    contact(member_org, email="left@member.example", is_active=False)
    contact(OrganisationFactory(is_member=False), email="guest@other.example")
    merged = OrganisationFactory(is_member=True)
    merged.merged_into = member_org
    merged.save()
    contact(merged, email="old@merged.example")

    audience = Audience(series.pk, audiences.MEMBERS)
    assert emails(audience) == [verified.email]
    assert audiences.count(audience) == 1


def test_one_action_group_partner_type_region_and_country(series):
    chains = action_group()
    other = action_group("migration", "Migration")
    ghana, france = country(), country("FR", "europe_central_asia", "Europe/Paris")
    in_chains = OrganisationFactory(partner_type=partner_type("trade_union"))
    in_chains.action_groups.add(chains)
    in_chains.countries.add(ghana)
    elsewhere = OrganisationFactory()
    elsewhere.action_groups.add(other)
    elsewhere.countries.add(france)
    a = contact(in_chains, email="a@chains.example")
    b = contact(elsewhere, email="b@elsewhere.example")

    assert emails(Audience(series.pk, audiences.ACTION_GROUP, "supply_chains")) == [a.email]
    assert emails(Audience(series.pk, audiences.PARTNER_TYPE, "trade_union")) == [a.email]
    assert emails(Audience(series.pk, audiences.REGION, "europe_central_asia")) == [b.email]
    assert emails(Audience(series.pk, audiences.COUNTRY, "GH")) == [a.email]
    assert emails(Audience(series.pk, audiences.ACTION_GROUP, "nothing")) == []
    assert audiences.describe(Audience(series.pk, audiences.ACTION_GROUP, "supply_chains")) == (
        "The members of one Action Group: Supply Chains"
    )


def test_a_person_in_two_organisations_is_there_once_with_their_language_and_zone(series):
    chains = action_group()
    first, second = OrganisationFactory(), OrganisationFactory()
    for organisation in (first, second):
        organisation.action_groups.add(chains)
    person = contact(first, email="Marie@Example.org", language="fr", timezone="Africa/Dakar")
    AffiliationFactory(user=person, organisation=second, status=Affiliation.Status.VERIFIED)

    [recipient] = audiences.recipients(Audience(series.pk, audiences.ACTION_GROUP, chains.code))
    assert recipient == audiences.Recipient(
        email="marie@example.org", name=person.name, language="fr", zone="Africa/Dakar"
    )


def test_registrants_of_a_webinar_and_of_the_series_once_each_by_address(series):
    call = series.calls.first()
    one = PublishedWebinarFactory(proposal=ProposalFactory(call=call))
    two = PublishedWebinarFactory(proposal=ProposalFactory(call=call))
    reader = ReaderFactory(email="reader@example.org", language="es", timezone="America/Lima")
    RegistrationFactory(webinar=one, user=reader, email=reader.email)
    RegistrationFactory(webinar=two, user=reader, email="READER@example.org")
    RegistrationFactory(
        webinar=two,
        user=None,
        name="Guest",
        email="guest@example.org",
        language="fr",
        timezone="Europe/Paris",
        consents_to_contact=True,
    )
    RegistrationFactory(
        webinar=two, user=None, email="unconfirmed@example.org", status=Registration.Status.PENDING
    )
    RegistrationFactory(
        webinar=one, user=None, email="cancelled@example.org", status=Registration.Status.CANCELLED
    )
    other_series = PublishedWebinarFactory()
    RegistrationFactory(webinar=other_series, user=None, email="else@example.org")

    assert emails(Audience(series.pk, audiences.REGISTRANTS, str(one.pk))) == ["reader@example.org"]
    series_registrants = audiences.recipients(Audience(series.pk, audiences.SERIES_REGISTRANTS))
    assert [(r.email, r.language, r.zone) for r in series_registrants] == [
        ("guest@example.org", "fr", "Europe/Paris"),
        ("reader@example.org", "es", "America/Lima"),
    ]
    assert emails(Audience(series.pk, audiences.SERIES_NEWS)) == ["guest@example.org"]


def test_attendees_of_a_webinar_without_its_hosts(series):
    webinar = PublishedWebinarFactory(proposal=ProposalFactory(call=series.calls.first()))
    known = ReaderFactory(email="known@example.org", language="es", timezone="America/Bogota")
    now = timezone.now()
    Attendance.objects.create(
        webinar=webinar, name="Known", email="Known@example.org", minutes=50, imported_at=now
    )
    Attendance.objects.create(
        webinar=webinar,
        name="Host",
        email="host@example.org",
        minutes=60,
        imported_at=now,
        counted_as_host=True,
    )
    Attendance.objects.create(webinar=webinar, name="No address", minutes=20, imported_at=now)

    [recipient] = audiences.recipients(Audience(series.pk, audiences.ATTENDEES, str(webinar.pk)))
    assert (recipient.email, recipient.language, recipient.zone) == (
        known.email,
        "es",
        "America/Bogota",
    )
    # A webinar of another series is not this series' audience.
    assert emails(Audience(series.pk, audiences.ATTENDEES, str(PublishedWebinarFactory().pk))) == []
