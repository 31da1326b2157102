"""The proposal operations: drafts, submission, resubmission, withdrawal, races, deadline."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.proposals.operations import SpeakerData

from .conftest import complete_data, make_contact, make_organisation

pytestmark = pytest.mark.django_db


def outbox() -> list[OutboxMessage]:
    """The messages queued (delivery waits for the commit, which these tests never reach)."""
    return list(OutboxMessage.objects.order_by("id"))


def clear_outbox() -> None:
    OutboxMessage.objects.all().delete()


def draft(member, call, organisation, **changes):
    data = complete_data(organisation, **changes)
    return operations.create_draft(actor=member, call=call, data=data).proposal


def test_a_draft_needs_only_the_lead_organisation(member, call, organisation):
    data = operations.ProposalData(lead_organisation=organisation)
    saved = operations.create_draft(actor=member, call=call, data=data)
    proposal = saved.proposal
    assert (proposal.status, proposal.version, saved.changed) == ("draft", 1, True)
    assert proposal.created_by == member
    entry = AuditEntry.objects.get(action="proposals.create")
    assert entry.object_id == str(proposal.pk) and "lead_organisation" in entry.changes
    assert outbox() == []


def test_submitting_needs_every_required_field(member, call, organisation):
    proposal = draft(member, call, organisation, title="", themes=[], speakers=[])
    with pytest.raises(operations.Incomplete) as refused:
        operations.save_proposal(
            actor=member,
            proposal=proposal,
            expected_version=1,
            data=complete_data(organisation, title=" ", themes=[], speakers=[]),
            submit=True,
        )
    assert set(refused.value.problems) == {"title", "themes", "speakers"}
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("draft", 1)


def test_the_word_limit_counts_as_the_server_does(member, call, organisation):
    words = " ".join(["word"] * 273)
    problems = operations.submission_problems(
        call=call, data=complete_data(organisation, description=words)
    )
    assert problems["description"] == ["The description has 273 words; the limit is 250."]
    exact = " \u2003".join(["word"] * 250) + "\u0085"
    assert "description" not in operations.submission_problems(
        call=call, data=complete_data(organisation, description=exact)
    )


def test_submit_then_resubmit_then_withdraw(member, call, organisation):
    proposal = draft(member, call, organisation)
    saved = operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
    )
    assert saved.submitted_now
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("submitted", 2)
    assert proposal.submitted_at is not None
    assert [m.to_email for m in outbox()] == ["amina@tea.example"]

    saved = operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=2,
        data=complete_data(organisation, title="Living wages, revisited"),
        submit=False,  # a submitted proposal stays submitted
    )
    assert saved.changed and not saved.submitted_now
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.title) == (
        "submitted",
        3,
        "Living wages, revisited",
    )
    resubmit = AuditEntry.objects.get(action="proposals.resubmit")
    assert resubmit.changes["title"] == ["Living wages on tea estates", "Living wages, revisited"]
    assert len(outbox()) == 2

    operations.withdraw(actor=member, proposal=proposal, expected_version=3)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("withdrawn", 4)
    assert AuditEntry.objects.filter(action="proposals.withdraw").count() == 1


def test_a_submitted_proposal_cannot_lose_its_required_fields(member, call, organisation):
    proposal = draft(member, call, organisation)
    operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
    )
    with pytest.raises(operations.Incomplete):
        operations.save_proposal(
            actor=member,
            proposal=proposal,
            expected_version=2,
            data=complete_data(organisation, outcomes=[]),
            submit=False,
        )


def test_a_save_from_an_older_version_is_refused(member, call, organisation):
    other = make_contact(organisation, name="Chikondi Phiri")
    proposal = draft(member, call, organisation)
    operations.save_proposal(
        actor=other,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation, title="Tab one"),
        submit=False,
    )
    with pytest.raises(operations.StaleVersion) as refused:
        operations.save_proposal(
            actor=member,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=1,
            data=complete_data(organisation, title="Tab two"),
            submit=False,
        )
    assert "Chikondi Phiri" in str(refused.value)
    assert "your changes were not saved" in str(refused.value)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == ("Tab one", 2)


def test_a_repeated_submit_changes_nothing(member, call, organisation):
    proposal = draft(member, call, organisation)
    first = operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
    )
    second = operations.save_proposal(
        actor=member,
        proposal=Proposal.objects.get(pk=proposal.pk),
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
    )
    assert first.changed and not second.changed
    assert Proposal.objects.get().version == 2
    assert AuditEntry.objects.filter(action="proposals.submit").count() == 1
    assert len(outbox()) == 1


def test_the_same_form_posted_twice_creates_one_proposal(member, call, organisation):
    token = uuid.uuid4()
    data = complete_data(organisation)
    first = operations.create_draft(
        actor=member, call=call, data=data, creation_token=token, submit=True
    )
    second = operations.create_draft(
        actor=member, call=call, data=data, creation_token=token, submit=True
    )
    assert Proposal.objects.count() == 1
    assert first.proposal.pk == second.proposal.pk
    assert (first.changed, second.changed) == (True, False)
    assert len(outbox()) == 1


def test_the_pathfinder_flag_follows_the_countries(member, call, organisation):
    proposal = draft(member, call, organisation, countries=["MW", "FR"])
    assert proposal.includes_pathfinder  # Malawi is a Pathfinder Country
    operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation, countries=["FR"]),
        submit=False,
    )
    proposal.refresh_from_db()
    assert not proposal.includes_pathfinder
    assert sorted(proposal.countries.values_list("pk", flat=True)) == ["FR"]


def test_speakers_and_unlisted_organisations_are_kept_in_order(member, call, organisation):
    proposal = draft(
        member,
        call,
        organisation,
        speakers=[SpeakerData(name="B"), SpeakerData(name="A", gender="man")],
        unlisted_organisations=["Tea Estate Trust", " tea estate  trust ", ""],
    )
    assert [s.name for s in proposal.speakers.all()] == ["B", "A"]
    [unlisted] = proposal.co_submitters.all()
    assert (unlisted.unlisted_name, unlisted.status) == ("Tea Estate Trust", "unlisted")


# --- The deadline -------------------------------------------------------------------------


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def dst_call(call):
    """Closing at midnight at the end of the night Zurich moved to summer time (28 March
    2027, 02:00 → 03:00): 00:00 CEST on 29 March is 22:00 UTC on 28 March."""
    from deepdive.series.times import local_to_utc

    call.opens_at = local_to_utc(datetime(2027, 3, 1, 9, 0), "Europe/Zurich")
    call.closes_at = local_to_utc(datetime(2027, 3, 29, 0, 0), "Europe/Zurich")
    call.save()
    return call


def test_the_calls_local_deadline_is_converted_with_summer_time(dst_call):
    assert dst_call.closes_at == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)
    # A week earlier (winter time) the same local time is an hour later in UTC.
    from deepdive.series.times import local_to_utc

    assert local_to_utc(datetime(2027, 3, 22, 0, 0), "Europe/Zurich").hour == 23


@pytest.mark.parametrize(("offset", "allowed"), [(-1, True), (0, False), (1, False)])
def test_submitting_at_the_deadline_to_the_second(
    monkeypatch, member, dst_call, organisation, offset, allowed
):
    at(monkeypatch, dst_call.closes_at - timedelta(days=1))
    proposal = draft(member, dst_call, organisation)
    at(monkeypatch, dst_call.closes_at + timedelta(seconds=offset))
    submit = lambda: operations.save_proposal(  # noqa: E731
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation),
        submit=True,
    )
    if allowed:
        submit()
        assert Proposal.objects.get().status == "submitted"
    else:
        with pytest.raises(operations.DeadlinePassed) as refused:
            submit()
        assert "The call closed on" in str(refused.value)
        assert "UTC+02:00" in str(refused.value)  # said in the call's summer time
        kept = Proposal.objects.get()
        assert (kept.status, kept.version, kept.title) == ("draft", 1, proposal.title)


def test_withdrawing_after_the_deadline_is_refused(monkeypatch, member, dst_call, organisation):
    at(monkeypatch, dst_call.closes_at - timedelta(seconds=2))
    proposal = draft(member, dst_call, organisation)
    at(monkeypatch, dst_call.closes_at + timedelta(seconds=1))
    with pytest.raises(operations.DeadlinePassed):
        operations.withdraw(actor=member, proposal=proposal, expected_version=1)


# --- Permissions --------------------------------------------------------------------------


def test_only_contacts_of_eligible_organisations_act(member, call, organisation, group):
    outsider_org = make_organisation("Other Union", group)
    outsider = make_contact(outsider_org)
    pending = make_contact(organisation, status="pending")
    proposal = draft(member, call, organisation)
    for actor in (outsider, pending):
        with pytest.raises(operations.NotAllowed):
            operations.save_proposal(
                actor=actor,
                proposal=proposal,
                expected_version=1,
                data=complete_data(organisation),
                submit=False,
            )
        with pytest.raises(operations.NotAllowed):
            operations.create_draft(actor=actor, call=call, data=complete_data(organisation))
    elsewhere = make_organisation("Migration Union")  # not in the series' Action Group
    with pytest.raises(operations.NotAllowed):
        operations.create_draft(
            actor=make_contact(elsewhere), call=call, data=complete_data(elsewhere)
        )


# --- Joint proposals ----------------------------------------------------------------------


def submit_with(member, call, organisation, co_organisations):
    proposal = draft(member, call, organisation, co_organisations=co_organisations)
    operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation, co_organisations=co_organisations),
        submit=True,
    )
    proposal.refresh_from_db()
    return proposal


def test_co_submitters_are_invited_and_a_joint_proposal_needs_a_confirmation(
    member, call, organisation, partner, partner_contact
):
    make_contact(partner, status="pending", email="not-yet@coffee.example")
    proposal = submit_with(member, call, organisation, [partner])
    [co] = proposal.co_submitters.all()
    assert co.status == "pending" and co.invited_at is not None
    invitations = [m for m in outbox() if m.to_email == "luis@coffee.example"]
    assert len(invitations) == 1
    assert "/take-part/" in invitations[0].body_text
    assert "Lake Tea Union" in invitations[0].subject
    assert not [m for m in outbox() if m.to_email == "not-yet@coffee.example"]
    assert not proposal.is_joint

    clear_outbox()
    operations.decide_participation(actor=partner_contact, co_submitter=co, confirm=True)
    co.refresh_from_db()
    assert (co.status, co.decided_by) == ("confirmed", partner_contact)
    assert proposal.is_joint
    [notice] = outbox()
    assert notice.to_email == "amina@tea.example"
    assert "confirmed" in notice.subject


def test_only_the_co_submitters_contacts_decide(member, call, organisation, partner):
    proposal = submit_with(member, call, organisation, [partner])
    [co] = proposal.co_submitters.all()
    with pytest.raises(operations.NotAllowed):
        operations.decide_participation(actor=member, co_submitter=co, confirm=True)


def test_without_confirmation_co_submitters_are_confirmed_at_once(
    member, call, organisation, partner, partner_contact
):
    call.co_submitters_must_confirm = False
    call.save()
    proposal = submit_with(member, call, organisation, [partner])
    assert proposal.co_submitters.get().status == "confirmed"
    assert proposal.is_joint
    assert not [m for m in outbox() if m.to_email == "luis@coffee.example"]


def test_a_co_submitter_added_later_is_invited_then(
    member, call, organisation, partner, partner_contact, group
):
    proposal = submit_with(member, call, organisation, [])
    clear_outbox()
    operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=proposal.version,
        data=complete_data(organisation, co_organisations=[partner]),
        submit=True,
    )
    assert [m.to_email for m in outbox() if "take-part" in m.body_text] == ["luis@coffee.example"]


def test_pending_organisations_are_reminded_once_after_three_days(
    member, call, organisation, partner, partner_contact
):
    proposal = submit_with(member, call, organisation, [partner])
    invited_at = proposal.co_submitters.get().invited_at
    clear_outbox()
    assert operations.send_participation_reminders(now=invited_at + timedelta(days=2)) == 0
    later = invited_at + timedelta(days=3, seconds=1)
    assert operations.send_participation_reminders(now=later) == 1
    [reminder] = outbox()
    assert reminder.to_email == "luis@coffee.example"
    assert operations.send_participation_reminders(now=later + timedelta(days=1)) == 0
    assert len(outbox()) == 1
    assert CoSubmitter.objects.get().reminded_at == later


def test_the_reminder_command_runs_the_same_operation(
    member, call, organisation, partner, partner_contact
):
    from io import StringIO

    from django.core.management import call_command

    proposal = submit_with(member, call, organisation, [partner])
    CoSubmitter.objects.update(invited_at=timezone.now() - timedelta(days=4))
    out = StringIO()
    call_command("send_participation_reminders", stdout=out)
    assert out.getvalue().startswith("1 ")
    call_command("send_participation_reminders", stdout=out)
    assert proposal.co_submitters.get().reminded_at is not None


# --- E-mails ------------------------------------------------------------------------------


def test_the_confirmation_is_in_the_contacts_language_with_a_copy_and_a_link(
    member, call, organisation, partner
):
    member.language = "fr"
    member.save()
    submit_with(member, call, organisation, [partner])
    [confirmation] = [m for m in outbox() if m.to_email == "amina@tea.example"]
    assert "Living wages on tea estates" in confirmation.subject
    body = confirmation.body_text
    for text in ("Grace Banda", "Any Friday", "Andes Coffee Cooperative", "Malawi", "child labour"):
        assert text.lower() in body.lower(), text
    assert "http://testserver/proposals/" in body and "/edit/" in body
    html = confirmation.body_html
    assert "Grace Banda" in html and "/edit/" in html
    assert confirmation.language == "fr"


def test_html_in_the_proposal_is_escaped_in_the_email(member, call, organisation):
    proposal = draft(member, call, organisation, title="<script>alert(1)</script>")
    operations.save_proposal(
        actor=member,
        proposal=proposal,
        expected_version=1,
        data=complete_data(organisation, title="<script>alert(1)</script>"),
        submit=True,
    )
    html = outbox()[0].body_html
    assert "<script>" not in html and "&lt;script&gt;" in html
