"""The member pages: permissions, the form, autosave, conflicts, the deadline, taking part."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import Proposal

from .conftest import complete_data, form_data, make_contact, make_organisation

pytestmark = pytest.mark.django_db


def new_url(call):
    return reverse("proposals:new", kwargs={"call_id": call.pk})


def url(name, proposal):
    return reverse(f"proposals:{name}", kwargs={"pk": proposal.pk})


@pytest.fixture
def proposal(member, call, organisation):
    return operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal


# --- Who reaches what ---------------------------------------------------------------------


def test_anonymous_readers_are_sent_to_log_in(client, call, proposal):
    for address in (new_url(call), url("edit", proposal), url("view", proposal)):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["unverified", "not_in_group", "not_a_partner", "nobody"])
def test_only_verified_contacts_of_the_groups_members_reach_the_form(
    client, call, organisation, group, who
):
    if who == "unverified":
        user = make_contact(organisation, status="pending")
    elif who == "not_in_group":
        user = make_contact(make_organisation("Migration Union"))
    elif who == "not_a_partner":
        user = make_contact(make_organisation("Not A Partner", group, member=False))
    else:
        user = make_contact(organisation, status="rejected")
    client.force_login(user)
    assert client.get(new_url(call)).status_code == 403
    assert client.post(new_url(call), form_data(None, organisation)).status_code == 403
    assert Proposal.objects.count() == 0


def test_other_organisations_contacts_get_404(client, proposal, group):
    client.force_login(make_contact(make_organisation("Other Union", group)))
    for name in ("view", "edit", "withdraw", "take_part"):
        assert client.get(url(name, proposal)).status_code == 404, name
    assert client.post(url("autosave", proposal), {}).status_code == 404
    assert client.post(url("withdraw", proposal), {"version": 1}).status_code == 404


def test_every_contact_of_the_organisation_sees_and_edits(client, proposal, organisation):
    colleague = make_contact(organisation)
    client.force_login(colleague)
    assert client.get(url("edit", proposal)).status_code == 200
    assert "Living wages on tea estates" in client.get(reverse("proposals:mine")).content.decode()
    response = client.post(url("edit", proposal), form_data(proposal, organisation, title="New"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("New", "submitted")


# --- The form -----------------------------------------------------------------------------


def test_the_new_form_is_prefilled_from_the_account(member_client, call, member):
    page = member_client.get(new_url(call)).content.decode()
    assert 'value="Amina Diallo"' in page and 'value="amina@tea.example"' in page
    assert "Malawi (Pathfinder Country)" in page
    assert 'name="creation_token"' in page
    assert "proposals/proposal.js" in page and "defer" in page


def test_save_a_draft_then_submit(member_client, call, organisation):
    response = member_client.post(
        new_url(call), form_data(None, organisation, action="draft", title="", themes=[])
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == url("edit", proposal)
    assert proposal.status == "draft"
    page = member_client.get(url("edit", proposal)).content.decode()
    assert 'name="speakers-TOTAL_FORMS" value="2"' in page  # the speaker and one empty row

    response = member_client.post(url("edit", proposal), form_data(proposal, organisation))
    assert response["Location"] == url("view", proposal)
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    page = member_client.get(response["Location"]).content.decode()
    assert "Your proposal is submitted" in page
    assert "History" in page


def test_errors_show_beside_their_fields_and_keep_what_was_typed(member_client, call, organisation):
    long = " ".join(["word"] * 273)
    response = member_client.post(
        new_url(call),
        form_data(None, organisation, title="", description=long, unavailable_dates="Fridays"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The description has 273 words; the limit is 250." in page
    assert 'id="id_title_errors"' in page and "Give a tentative title." in page
    assert "Fridays" in page and long in page and "Grace Banda" in page
    assert "273 of 250 words" in page
    assert Proposal.objects.count() == 0


def test_a_speaker_needs_a_name_and_at_least_one_is_needed(member_client, call, organisation):
    response = member_client.post(
        new_url(call),
        form_data(None, organisation, **{"speakers-0-name": "", "speakers-0-role": "Chair"}),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_speakers-0-name_errors"' in page
    assert "Chair" in page


def test_html_typed_in_a_text_is_shown_as_text(member_client, call, organisation):
    script = "<script>alert('x')</script>"
    member_client.post(
        new_url(call), form_data(None, organisation, title=script, description=script)
    )
    proposal = Proposal.objects.get()
    for name in ("view", "edit"):
        page = member_client.get(url(name, proposal)).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page


def test_a_double_click_on_submit_gives_one_proposal(member_client, call, organisation):
    data = form_data(None, organisation, creation_token="0b3c5a8e-4ad0-4a64-9c3f-1f1b44ad1c55")
    first = member_client.post(new_url(call), data)
    second = member_client.post(new_url(call), data)
    proposal = Proposal.objects.get()
    assert first["Location"] == second["Location"] == url("view", proposal)
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1
    # And again from the edit page, with the version the form was opened at.
    data = form_data(proposal, organisation, version="1")
    assert member_client.post(url("edit", proposal), data)["Location"] == url("view", proposal)
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1


def test_two_tabs_the_second_save_is_refused_and_nothing_is_lost(
    member_client, proposal, organisation, member
):
    tab_one = form_data(proposal, organisation, action="draft", title="From tab one")
    tab_two = form_data(proposal, organisation, action="draft", title="From tab two")
    assert member_client.post(url("edit", proposal), tab_one).status_code == 302
    response = member_client.post(url("edit", proposal), tab_two)
    assert response.status_code == 409
    page = response.content.decode()
    assert "your changes were not saved" in page and "Amina Diallo" in page
    assert url("view", proposal) in page
    assert 'value="From tab two"' in page  # what was typed is kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    proposal.refresh_from_db()
    assert proposal.title == "From tab one"


def test_autosave_answers_with_the_new_version(member_client, proposal, organisation):
    data = form_data(proposal, organisation, action="draft", autosave="1", title="Autosaved")
    answer = member_client.post(url("autosave", proposal), data).json()
    assert answer["ok"] and answer["version"] == 2
    assert answer["message"].startswith("Draft saved at")
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Autosaved", "draft")
    stale = member_client.post(url("autosave", proposal), {**data, "title": "Old tab"})
    assert stale.status_code == 409 and stale.json()["stop"] is True
    invalid = member_client.post(
        url("autosave", proposal), {**data, "version": "2", "contact_email": "not an address"}
    )
    assert invalid.status_code == 400 and "Contact e-mail" in invalid.json()["message"]


def test_the_first_autosave_of_a_new_form_creates_the_draft(member_client, call, organisation):
    data = form_data(
        None,
        organisation,
        action="draft",
        autosave="1",
        creation_token="6f1f0f9e-5d0e-4a8e-8f57-2b2f5d1e9a10",
    )
    answer = member_client.post(new_url(call), data).json()
    proposal = Proposal.objects.get()
    assert answer["pk"] == proposal.pk and answer["edit_url"] == url("edit", proposal)
    assert answer["autosave_url"] == url("autosave", proposal)
    # The form posted again before the script had switched it to the edit page: same draft.
    member_client.post(new_url(call), {**data, "autosave": ""})
    assert Proposal.objects.count() == 1


def test_a_submitted_proposal_is_not_autosaved(member_client, proposal, organisation):
    member_client.post(url("edit", proposal), form_data(proposal, organisation))
    proposal.refresh_from_db()
    data = form_data(proposal, organisation, autosave="1", title="")
    assert member_client.post(url("autosave", proposal), data).status_code == 409


# --- The deadline -------------------------------------------------------------------------


def test_after_the_deadline_the_form_is_read_only_and_a_late_submit_keeps_the_draft(
    member_client, proposal, organisation, call, monkeypatch
):
    call.closes_at = timezone.now() + timedelta(minutes=1)
    call.save()
    late = call.closes_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    page = member_client.get(url("edit", proposal)).content.decode()
    assert "The call closed on" in page and '<form method="post" novalidate' not in page
    assert "Living wages on tea estates" in page
    response = member_client.post(url("edit", proposal), form_data(proposal, organisation))
    assert response.status_code == 409
    assert "The call closed on" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("draft", 1)
    assert member_client.get(new_url(call)).status_code == 200  # a clear page, no form
    assert 'name="creation_token"' not in member_client.get(new_url(call)).content.decode()


def test_a_submit_sent_just_before_the_deadline_and_refused_at_it(
    member_client, proposal, organisation, call, monkeypatch
):
    call.closes_at = timezone.now() + timedelta(minutes=1)
    call.save()
    page = member_client.get(url("edit", proposal))  # opened a second before the deadline
    monkeypatch.setattr(timezone, "now", lambda: call.closes_at)
    assert page.status_code == 200
    response = member_client.post(url("edit", proposal), form_data(proposal, organisation))
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == "draft"


# --- Withdrawal, taking part, my proposals ------------------------------------------------


def test_withdraw_asks_first_then_withdraws(member_client, proposal):
    page = member_client.get(url("withdraw", proposal)).content.decode()
    assert "Withdraw the proposal" in page and 'name="version" value="1"' in page
    response = member_client.post(url("withdraw", proposal), {"version": "1"})
    assert response["Location"] == url("view", proposal)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_a_co_submitters_contact_confirms_and_the_submitter_sees_it(
    client, member, proposal, organisation, partner, partner_contact
):
    client.force_login(member)
    client.post(
        url("edit", proposal), form_data(proposal, organisation, co_organisations=[partner.pk])
    )
    client.force_login(partner_contact)
    assert "Living wages" in client.get(reverse("proposals:mine")).content.decode()
    page = client.get(url("take_part", proposal)).content.decode()
    # Luis reads the platform in Spanish, his profile's language.
    assert "Andes Coffee Cooperative" in page and 'lang="es"' in page
    with translation.override("es"):
        button = gettext("Confirm: %(organisation)s takes part") % {
            "organisation": "Andes Coffee Cooperative"
        }
    assert button in page
    response = client.post(url("take_part", proposal), {"decision": "confirm"})
    assert response.status_code == 302
    assert client.get(url("edit", proposal)).status_code == 404  # sees, does not edit
    client.force_login(member)
    page = client.get(url("view", proposal)).content.decode()
    assert "confirmed" in page and "A joint proposal" in page


def test_unlisted_organisations_are_listed_and_flagged(member_client, call, organisation):
    member_client.post(
        new_url(call),
        form_data(None, organisation, unlisted_organisations="Tea Estate Trust\n\nBuyers' Forum"),
    )
    proposal = Proposal.objects.get()
    assert sorted(proposal.co_submitters.values_list("unlisted_name", "status")) == [
        ("Buyers' Forum", "unlisted"),
        ("Tea Estate Trust", "unlisted"),
    ]
    assert "not in the directory" in member_client.get(url("view", proposal)).content.decode()


def test_the_lead_cannot_also_co_submit(member_client, call, organisation):
    response = member_client.post(
        new_url(call), form_data(None, organisation, co_organisations=[organisation.pk])
    )
    assert response.status_code == 400
    assert Proposal.objects.count() == 0
