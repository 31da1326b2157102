"""The secretariat's page of one proposal: every field, speakers, e-mails, history, and its
near duplicates."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from deepdive.core import audit
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import CoSubmitter, Proposal, Speaker

from .factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COCOA = (
    "Cocoa farming communities in Ghana and Côte d'Ivoire face persistent child labour. This "
    "webinar presents a community-based monitoring and remediation system run with "
    "cooperatives, the results of three years of work, and lessons on financing remediation "
    "through premiums paid by buyers."
)
COCOA_EDITED = (
    "Cocoa-farming communities in Ghana and Cote d'Ivoire face persistent child labour. This "
    "webinar will present a community based monitoring and remediation system run together "
    "with cooperatives, the results of three years of work, and lessons on how to finance "
    "remediation through premiums paid by buyers."
)
FISHING = (
    "Forced labour among migrant fishers in South-East Asia: recruitment fees, debt bondage "
    "and how port inspections with trade unions detect and remedy abuse on board vessels."
)


@pytest.fixture
def secretariat(db):
    return UserFactory(is_secretariat=True, name="Sara Secretariat")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def detail(client, proposal):
    return client.get(reverse("proposals:manage_detail", kwargs={"pk": proposal.pk}))


def test_every_field_speakers_and_co_submitters(secretariat_client):
    proposal = ProposalFactory(
        title="Remediation in cocoa",
        description="How remediation works.",
        contact_name="Kofi Mensah",
        contact_email="kofi@example.org",
        themes=["child_labour"],
        sectors=["cocoa"],
        outcomes=[2],
        countries=["GH"],
        includes_pathfinder=True,
        language="fr",
        interpretation=["en", "es"],
        preferred_months=[3, 1],
        unavailable_dates="Easter week",
    )
    SpeakerFactory(proposal=proposal, name="Amina Diallo", gender=Speaker.Gender.WOMAN)
    SpeakerFactory(proposal=proposal, name="Jo Smith", gender="")
    CoSubmitterFactory(proposal=proposal, organisation=OrganisationFactory(name="Partner Org"))
    CoSubmitterFactory(
        proposal=proposal, organisation=None, unlisted_name="Village Group", status="unlisted"
    )
    html = detail(secretariat_client, proposal).content.decode()
    for text in (
        "Remediation in cocoa",
        "How remediation works.",
        "Kofi Mensah",
        "kofi@example.org",
        "Outcome 2.",
        "Ghana",
        "French",
        "English, Spanish",
        "January, March",
        "Easter week",
        "Amina Diallo",
        "woman",
        "Woman: 1 · Man: 0 · Another: 0 · Prefer not to say: 1",
        "Partner Org",
        "Village Group",
        "not in the directory",
        "version 1",
    ):
        assert text in html, text


def test_history_shows_who_when_what_and_changes(secretariat_client, secretariat):
    member = UserFactory(name="Mia Member")
    proposal = ProposalFactory(title="New title")
    audit.record(actor=member, action="proposal.create", subject=proposal, summary="Draft saved")
    audit.record(
        actor=member,
        action="proposal.update",
        subject=proposal,
        summary="Proposal edited",
        changes={"title": ["Old title", "New title"], "preferred_months": [[1], [1, 2]]},
    )
    audit.record(actor=secretariat, action="proposal.note", subject=proposal)
    audit.record(actor=member, action="proposal.update", subject=ProposalFactory(), summary="X")
    response = detail(secretariat_client, proposal)
    history = response.context["history"]
    assert [item["entry"].action for item in history] == [
        "proposal.note",
        "proposal.update",
        "proposal.create",
    ]
    html = response.content.decode()
    assert "Mia Member" in html
    assert "Sara Secretariat" in html
    assert "<strong>Tentative title</strong>: <del>Old title</del> → <ins>New title</ins>" in html
    assert "<strong>Preferred months</strong>: <del>1</del> → <ins>1, 2</ins>" in html
    assert "Proposal edited" in html
    assert "(UTC, UTC+00:00)" in html  # when, in the reader's zone


def test_emails_about_the_proposal_are_listed(secretariat_client):
    proposal = ProposalFactory()
    kind = ContentType.objects.get_for_model(Proposal)
    OutboxMessage.objects.create(
        from_email="noreply@example.org",
        to_email="partner@example.org",
        subject="Please confirm your participation",
        body_text="...",
        content_type=kind,
        object_id=str(proposal.pk),
    )
    OutboxMessage.objects.create(
        from_email="noreply@example.org",
        to_email="else@example.org",
        subject="Another proposal's message",
        body_text="...",
        content_type=kind,
        object_id=str(proposal.pk + 1000),
    )
    html = detail(secretariat_client, proposal).content.decode()
    assert "Please confirm your participation" in html
    assert "partner@example.org" in html
    assert "queued" in html
    assert "Another proposal" not in html


def test_near_duplicates_are_linked_both_ways(secretariat_client):
    call = CallFactory()
    first = ProposalFactory(call=call, title="Remediation in cocoa", description=COCOA)
    copy = ProposalFactory(call=call, title="Community monitoring", description=COCOA_EDITED)
    other = ProposalFactory(call=call, title="Fishing vessels", description=FISHING)
    ProposalFactory(title="Remediation in cocoa", description=COCOA)  # another call
    withdrawn = ProposalFactory(
        call=call, title="Remediation in cocoa", status=Proposal.Status.WITHDRAWN
    )
    response = detail(secretariat_client, first)
    assert [d["id"] for d in response.context["near_duplicates"]] == [copy.pk]
    html = response.content.decode()
    assert reverse("proposals:manage_detail", kwargs={"pk": copy.pk}) in html
    assert "looks like another one" in html
    assert [d["id"] for d in detail(secretariat_client, copy).context["near_duplicates"]] == [
        first.pk
    ]
    assert detail(secretariat_client, other).context["near_duplicates"] == []
    assert detail(secretariat_client, withdrawn).context["near_duplicates"] == []
    # The table warns on both rows, with a link to the other.
    table = secretariat_client.get(
        reverse("proposals:manage_list", kwargs={"call_id": call.pk})
    ).content.decode()
    assert table.count("Similar to") == 2
    assert f'href="/manage/proposals/{copy.pk}/">Community monitoring</a>' in table


def test_co_submitter_dates_shown(secretariat_client):
    proposal = ProposalFactory()
    CoSubmitterFactory(proposal=proposal, status=CoSubmitter.Status.DECLINED)
    html = detail(secretariat_client, proposal).content.decode()
    assert "declined" in html
