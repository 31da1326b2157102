"""One-line fields (a proposal's title, its contact's name, a speaker's name, role and
organisation) never hold a line break: the form collapses what is typed or pasted, and so do
the operations when called directly; the e-mails quoting them keep their lines."""

import pytest
from django.urls import reverse

from deepdive.core.forms import OneLineCharField
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import Proposal
from deepdive.proposals.operations import SpeakerData, create_draft

from .conftest import complete_data, form_data

pytestmark = pytest.mark.django_db

BROKEN = "Living\r\nwages\u2028on \t tea\n estates "


def test_the_field_collapses_every_kind_of_line_break():
    field = OneLineCharField(required=False)
    assert field.clean(BROKEN) == "Living wages on tea estates"
    assert field.clean("  \n ") == ""


def test_the_form_stores_titles_and_names_on_one_line(member_client, call, organisation):
    response = member_client.post(
        reverse("proposals:new", kwargs={"call_id": call.pk}),
        form_data(
            None,
            organisation,
            title=BROKEN,
            contact_name="Amina\nDiallo",
            **{
                "speakers-0-name": "Grace\r\nBanda",
                "speakers-0-role": "Lead\u2029researcher",
                "speakers-0-organisation": "Lake\tTea\nUnion",
            },
        ),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "Living wages on tea estates"
    assert proposal.contact_name == "Amina Diallo"
    speaker = proposal.speakers.get()
    assert (speaker.name, speaker.role, speaker.organisation) == (
        "Grace Banda",
        "Lead researcher",
        "Lake Tea Union",
    )
    confirmation = OutboxMessage.objects.get(kind="proposals.confirmation")
    assert "Tentative title: Living wages on tea estates\n" in confirmation.body_text
    assert "Dear Amina Diallo," in confirmation.body_text


def test_a_direct_call_cannot_store_a_line_break(call, organisation, member):
    data = complete_data(
        organisation,
        title=BROKEN,
        contact_name="Amina\r\nDiallo",
        speakers=[SpeakerData(name="Grace\nBanda", role="Re\u2028searcher", organisation="A\nB")],
        unlisted_organisations=["Village\u2028Savings  Group"],
    )
    proposal = create_draft(actor=member, call=call, data=data, submit=True).proposal
    proposal.refresh_from_db()
    assert proposal.title == "Living wages on tea estates"
    assert proposal.contact_name == "Amina Diallo"
    speaker = proposal.speakers.get()
    assert (speaker.name, speaker.role, speaker.organisation) == (
        "Grace Banda",
        "Re searcher",
        "A B",
    )
    assert list(proposal.co_submitters.values_list("unlisted_name", flat=True)) == [
        "Village Savings Group"
    ]
