"""A Supply Chains series with an open call, a member organisation and its verified contact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deepdive.directory.models import Affiliation, Organisation
from deepdive.proposals.operations import ProposalData, SpeakerData
from deepdive.reference.models import ActionGroup, Outcome, PartnerType, Theme
from deepdive.series.models import Call, Series
from tests.accounts.factories import UserFactory
from tests.outbox.conftest import db_tasks, run_worker, smtp, smtp_server  # noqa: F401


@pytest.fixture
def group(reference_data):
    return ActionGroup.objects.get(code="supply_chains")


@pytest.fixture
def series(group):
    return Series.objects.create(
        action_group=group, slug="deep-dive", title="Deep Dive", languages=["en", "fr", "es"]
    )


@pytest.fixture
def call(series):
    now = timezone.now()
    return Call.objects.create(
        series=series,
        slug="call",
        title="Call for webinar proposals",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=30),
        timezone="Europe/Zurich",
        word_limit=250,
    )


def make_organisation(name: str, group=None, *, member: bool = True) -> Organisation:
    organisation = Organisation.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-").replace("'", ""),
        partner_type=PartnerType.objects.get(code="workers_organisation"),
        is_member=member,
    )
    if group is not None:
        organisation.action_groups.add(group)
    return organisation


def make_contact(organisation: Organisation, *, status=Affiliation.Status.VERIFIED, **fields):
    user = UserFactory(**fields)
    Affiliation.objects.create(user=user, organisation=organisation, status=status)
    return user


@pytest.fixture
def organisation(group):
    return make_organisation("Lake Tea Union", group)


@pytest.fixture
def partner(group):
    return make_organisation("Andes Coffee Cooperative", group)


@pytest.fixture
def member(organisation):
    return make_contact(organisation, name="Amina Diallo", email="amina@tea.example")


@pytest.fixture
def partner_contact(partner):
    return make_contact(partner, name="Luis Ortega", email="luis@coffee.example", language="es")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def complete_data(organisation, **changes) -> ProposalData:
    values = {
        "lead_organisation": organisation,
        "contact_name": "Amina Diallo",
        "contact_email": "amina@tea.example",
        "title": "Living wages on tea estates",
        "description": "How unions and buyers raise wages to end child labour on tea estates.",
        "outcomes": list(Outcome.objects.filter(number__in=[1, 4])),
        "themes": list(Theme.objects.filter(code="child_labour")),
        "countries": ["MW"],
        "language": "en",
        "interpretation": ["fr"],
        "preferred_months": [2, 3],
        "unavailable_dates": "Any Friday",
        "speakers": [SpeakerData(name="Grace Banda", role="Researcher", gender="woman")],
    }
    values.update(changes)
    return ProposalData(**values)


def form_data(proposal_or_none, organisation, *, action="submit", **changes) -> dict:
    """What the proposal form posts, complete unless changed."""
    data = {
        "contact_name": "Amina Diallo",
        "contact_email": "amina@tea.example",
        "lead_organisation": str(organisation.pk),
        "title": "Living wages on tea estates",
        "outcomes": [str(o.pk) for o in Outcome.objects.filter(number__in=[1, 4])],
        "themes": [str(t.pk) for t in Theme.objects.filter(code="child_labour")],
        "countries": ["MW"],
        "description": "How unions and buyers raise wages to end child labour on tea estates.",
        "language": "en",
        "interpretation": ["fr"],
        "preferred_months": ["2", "3"],
        "unavailable_dates": "Any Friday",
        "unlisted_organisations": "",
        "speakers-TOTAL_FORMS": "2",
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "1000",
        "speakers-0-name": "Grace Banda",
        "speakers-0-organisation": "Lake Tea Union",
        "speakers-0-role": "Researcher",
        "speakers-0-email": "",
        "speakers-0-gender": "woman",
        "action": action,
    }
    if proposal_or_none is not None:
        data["version"] = str(proposal_or_none.version)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
