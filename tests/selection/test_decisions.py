"""Confirming a run as the decision, the hosts' answers, reminders, and promotion from the
waitlist after a decline."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage, batch_key
from deepdive.selection import decisions, operations
from deepdive.selection.models import Decision, SelectionRun
from tests.directory.factories import UserFactory
from tests.proposals.factories import OrganisationFactory, ProposalFactory
from tests.races import database_on_disk, race

pytestmark = pytest.mark.django_db

SCORES = [16.0, 15.6, 15.2, 14.8, 14.0, 12.0, 10.0]
RULES = {
    "seats": 2,
    "min_per_theme": {},
    "min_per_outcome": {},
    "max_per_organisation": 1,
    "max_per_lead_org_type": None,
    "max_per_region": None,
    "weights": {
        "joint": 0.5,
        "pathfinder": 0.5,
        "org_type_coverage": 0.25,
        "region_coverage": 0.25,
    },
    "include": [],
    "exclude": [],
}


@pytest.fixture
def seven(call, scores, secretariat):
    """Seven proposals in Ghana, by score A > B > … > G; C and D share their lead
    organisation, so at most one of them can be in a series (or on the waitlist)."""
    shared = OrganisationFactory()
    ps = {}
    for letter in "ABCDEFG":
        kwargs = {"lead_organisation": shared} if letter in "CD" else {}
        ps[letter] = ProposalFactory(
            call=call, title=f"{letter} webinar", countries=["GH"], **kwargs
        )
    ps["B"].created_by.language = "fr"
    ps["B"].created_by.save()
    scores({p: s for p, s in zip(ps.values(), SCORES, strict=True)})
    operations.update_rules(actor=secretariat, call=call, **RULES)
    return ps


def deadline(days=10):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def confirmed(call, seven, secretariat, django_capture_on_commit_callbacks):
    run = operations.run_selection(actor=secretariat, call=call)
    with django_capture_on_commit_callbacks() as callbacks:
        batch = decisions.confirm_run(actor=secretariat, run=run, host_deadline=deadline())
    run.refresh_from_db()
    return run, batch, callbacks


def outcomes(call):
    return {
        d.proposal.title[0]: (d.outcome, d.waitlist_position)
        for d in Decision.objects.filter(proposal__call=call).select_related("proposal")
    }


def host_of(proposal):
    user = UserFactory()
    Affiliation.objects.create(
        user=user, organisation=proposal.lead_organisation, status=Affiliation.Status.VERIFIED
    )
    return user


# Confirming -----------------------------------------------------------------------------------


def test_confirming_decides_every_proposal_with_the_optimisers_waitlist(call, confirmed):
    run, batch, _ = confirmed
    assert run.status == SelectionRun.Status.CONFIRMED
    assert outcomes(call) == {
        "A": ("selected", None),
        "B": ("selected", None),
        # Three seats for the waitlist, one per organisation: D cannot join C.
        "C": ("waitlisted", 1),
        "E": ("waitlisted", 2),
        "F": ("waitlisted", 3),
        "D": ("not_selected", None),
        "G": ("not_selected", None),
    }
    a = Decision.objects.get(proposal__title="A webinar")
    assert a.host_status == "pending" and a.host_deadline > timezone.now()
    assert Decision.objects.get(proposal__title="G webinar").host_status == ""
    assert AuditEntry.objects.filter(action="selection.confirmed", object_id=str(run.pk)).exists()


def test_decision_emails_are_held_in_a_batch_in_each_contacts_language(call, confirmed, seven):
    run, batch, callbacks = confirmed
    assert batch == f"Decisions — {call}"
    messages = OutboxMessage.objects.filter(batch=batch)
    assert messages.count() == 7
    assert set(messages.values_list("status", flat=True)) == {OutboxMessage.Status.HELD}
    assert callbacks == []  # nothing enqueued for delivery
    to_b = messages.get(to_email=seven["B"].contact_email)
    assert to_b.language == "fr"
    to_a = messages.get(to_email=seven["A"].contact_email)
    assert "selected" in to_a.subject and "/hosting/" in to_a.body_text
    to_c = messages.get(to_email=seven["C"].contact_email)
    assert "number 1 on the waitlist" in to_c.body_text


def test_the_decision_reads_selected_then_the_waitlist_in_order_then_not_selected(call, confirmed):
    listed = [(d.proposal.title[0], d.outcome) for d in decisions.confirmed_decisions(call)]
    assert listed == [
        ("A", "selected"),
        ("B", "selected"),
        ("C", "waitlisted"),
        ("E", "waitlisted"),
        ("F", "waitlisted"),
        ("D", "not_selected"),
        ("G", "not_selected"),
    ]


def test_decision_subjects_speak_of_proposals(confirmed):
    _, batch, _ = confirmed
    opening = {"en": "Your proposal “", "fr": "Votre proposition « "}
    messages = OutboxMessage.objects.filter(batch=batch)
    assert {m.language for m in messages} == {"en", "fr"}
    assert all(m.subject.startswith(opening[m.language]) for m in messages)


def test_a_second_confirmation_is_refused(call, confirmed, secretariat):
    other = operations.run_selection(actor=secretariat, call=call)
    with pytest.raises(decisions.DecisionRefused, match="already confirmed"):
        decisions.confirm_run(actor=secretariat, run=other, host_deadline=deadline())
    other.refresh_from_db()
    assert other.status == "proposed"


def test_the_run_page_confirms_then_shows_the_decision_and_the_batch(
    client, call, seven, secretariat
):
    run = operations.run_selection(actor=secretariat, call=call)
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "Confirm this run as the decision" in html
    day = (timezone.now() + timedelta(days=5)).date()
    response = client.post(
        reverse("selection:confirm", args=[run.pk]), {"host_deadline": day.isoformat()}
    )
    assert response.status_code == 302
    a = Decision.objects.get(proposal=seven["A"])
    local = timezone.localtime(a.host_deadline, timezone=ZoneInfo(call.timezone))
    assert (local.date(), local.hour, local.minute) == (day, 23, 59)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "Confirm this run as the decision" not in html
    assert "The decision" in html and "Read and approve the decision e-mails" in html
    other = operations.run_selection(actor=secretariat, call=call)
    assert (
        "Confirm this run as the decision"
        not in client.get(other.get_absolute_url()).content.decode()
    )


def test_only_the_secretariat_confirms_or_promotes(client, call, seven, secretariat):
    run = operations.run_selection(actor=secretariat, call=call)
    member = host_of(seven["A"])
    with pytest.raises(decisions.PermissionDenied):
        decisions.confirm_run(actor=member, run=run, host_deadline=deadline())
    client.force_login(member)
    day = (timezone.now() + timedelta(days=5)).date().isoformat()
    assert (
        client.post(reverse("selection:confirm", args=[run.pk]), {"host_deadline": day}).status_code
        == 403
    )
    assert client.post(reverse("selection:promote", args=[call.pk])).status_code == 403
    assert not Decision.objects.exists()


# Hosts ----------------------------------------------------------------------------------------


def test_a_host_confirms_in_the_platform(client, call, confirmed, seven):
    user = host_of(seven["A"])
    client.force_login(user)
    url = reverse("selection:host", args=[seven["A"].pk])
    assert "We will host it" in client.get(url).content.decode()
    client.post(url, {"action": "confirm"})
    decision = Decision.objects.get(proposal=seven["A"])
    assert decision.host_status == "confirmed" and decision.host_answered_by == user
    assert "You have confirmed" in client.get(url).content.decode()
    with pytest.raises(decisions.DecisionRefused):
        decisions.answer_hosting(actor=user, decision=decision, confirm=False)


def test_after_the_deadline_the_page_is_read_only(client, call, confirmed, seven):
    Decision.objects.filter(proposal=seven["A"]).update(
        host_deadline=timezone.now() - timedelta(hours=1)
    )
    user = host_of(seven["A"])
    client.force_login(user)
    url = reverse("selection:host", args=[seven["A"].pk])
    html = client.get(url).content.decode()
    assert "The deadline to answer has passed" in html and "We will host it" not in html
    client.post(url, {"action": "confirm"})
    assert Decision.objects.get(proposal=seven["A"]).host_status == "pending"


def test_others_and_unselected_proposals_get_404(client, call, confirmed, seven):
    client.force_login(host_of(seven["B"]))
    assert client.get(reverse("selection:host", args=[seven["A"].pk])).status_code == 404
    client.force_login(host_of(seven["C"]))  # waitlisted
    assert client.get(reverse("selection:host", args=[seven["C"].pk])).status_code == 404
    with pytest.raises(decisions.PermissionDenied):
        decisions.answer_hosting(
            actor=host_of(seven["G"]),
            decision=Decision.objects.get(proposal=seven["A"]),
            confirm=True,
        )


def test_pending_hosts_are_reminded_once_three_days_before(call, confirmed, seven):
    kinds = OutboxMessage.objects.filter(kind="hosting_reminder")
    assert decisions.send_hosting_reminders(now=timezone.now()) == 0  # ten days before
    decision = Decision.objects.get(proposal=seven["B"])
    decision.host_status = "confirmed"
    decision.save()
    later = timezone.now() + timedelta(days=8)
    assert decisions.send_hosting_reminders(now=later) == 1
    assert decisions.send_hosting_reminders(now=later) == 0
    call_command("send_hosting_reminders")
    [message] = kinds
    assert message.to_email == seven["A"].contact_email
    assert message.status == OutboxMessage.Status.QUEUED  # routine, not held
    assert Decision.objects.get(proposal=seven["A"]).reminded_at == later


# Promotion ------------------------------------------------------------------------------------


def test_promotion_after_a_decline_takes_the_next_from_the_waitlist(
    client, call, confirmed, seven, secretariat
):
    run, _, _ = confirmed
    b = Decision.objects.get(proposal=seven["B"])
    decisions.answer_hosting(actor=host_of(seven["B"]), decision=b, confirm=False)
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "Promote from the waitlist" in html
    response = client.post(reverse("selection:promote", args=[call.pk]))
    new_run = SelectionRun.objects.get(note="promotion")
    assert response.url == new_run.get_absolute_url()
    assert new_run.status == "confirmed"
    assert sorted(new_run.result["selected"]) == sorted([f"p{seven['A'].pk}", f"p{seven['C'].pk}"])
    assert outcomes(call) == {
        "A": ("selected", None),
        "C": ("selected", None),
        "B": ("not_selected", None),
        "E": ("waitlisted", 1),
        "F": ("waitlisted", 2),
        "D": ("not_selected", None),
        "G": ("not_selected", None),
    }
    c = Decision.objects.get(proposal=seven["C"])
    assert c.promoted_from_waitlist and c.host_status == "pending"
    assert c.host_deadline == b.host_deadline
    changes = new_run.result["changes"]
    assert changes["left"] == [f"p{seven['B'].pk}"]
    assert changes["came_in"] == [f"p{seven['C'].pk}"]
    assert changes["objective_before"] == pytest.approx(run.objective)
    assert changes["objective_after"] == pytest.approx(run.objective - 0.1)
    held = OutboxMessage.objects.filter(batch=new_run.result["decision_batch"])
    assert [m.to_email for m in held] == [seven["C"].contact_email]
    assert held[0].status == OutboxMessage.Status.HELD
    html = client.get(new_run.get_absolute_url()).content.decode()
    assert "What the promotion changed" in html and "“B webinar”" in html and "“C webinar”" in html
    assert AuditEntry.objects.filter(action="selection.promoted").exists()


def test_promotion_without_a_decline_is_refused(call, confirmed, secretariat):
    with pytest.raises(decisions.DecisionRefused):
        decisions.promote_from_waitlist(actor=secretariat, call=call)


def test_a_passed_deadline_gives_the_promoted_host_seven_days(call, confirmed, seven, secretariat):
    b = Decision.objects.get(proposal=seven["B"])
    b.host_status = "declined"
    b.host_deadline = timezone.now() - timedelta(days=1)
    b.save()
    decisions.promote_from_waitlist(actor=secretariat, call=call)
    c = Decision.objects.get(proposal=seven["C"])
    assert c.host_deadline > timezone.now() + timedelta(days=6)


def test_an_answer_while_the_optimiser_runs_refuses_the_promotion(
    call, confirmed, seven, secretariat, monkeypatch
):
    b = Decision.objects.get(proposal=seven["B"])
    decisions.answer_hosting(actor=host_of(seven["B"]), decision=b, confirm=False)
    solve = decisions.solve_input

    def solve_while_a_declines(data):
        solved = solve(data)
        a = Decision.objects.get(proposal=seven["A"])
        decisions.answer_hosting(actor=host_of(seven["A"]), decision=a, confirm=False)
        return solved

    monkeypatch.setattr(decisions, "solve_input", solve_while_a_declines)
    with pytest.raises(decisions.DecisionRefused, match="Reload the page and try again."):
        decisions.promote_from_waitlist(actor=secretariat, call=call)
    assert not SelectionRun.objects.filter(note="promotion").exists()
    assert outcomes(call)["B"] == ("selected", None)


@pytest.fixture
def declined_on_disk(transactional_db, tmp_path, confirmed, seven):
    """B's host has declined; the test database is then copied to a file (SQLite in memory
    only), so that the threads' connections share it (tests/races.py)."""
    b = Decision.objects.get(proposal=seven["B"])
    decisions.answer_hosting(actor=host_of(seven["B"]), decision=b, confirm=False)
    with database_on_disk(tmp_path):
        yield confirmed


@pytest.mark.django_db(transaction=True)
def test_two_promotions_at_once_give_one(call, seven, secretariat, declined_on_disk):
    _, confirmation_batch, _ = declined_on_disk

    def promote():
        return decisions.promote_from_waitlist(actor=secretariat, call=call)

    results = race(promote, promote)

    promoted = [r for r in results if isinstance(r, SelectionRun)]
    refused = [r for r in results if isinstance(r, decisions.DecisionRefused)]
    assert (len(promoted), len(refused)) == (1, 1), results
    assert str(refused[0]) == "No selected host has declined: there is nobody to replace."
    assert list(SelectionRun.objects.filter(note="promotion")) == promoted
    assert outcomes(call) == {
        "A": ("selected", None),
        "C": ("selected", None),
        "B": ("not_selected", None),
        "E": ("waitlisted", 1),
        "F": ("waitlisted", 2),
        "D": ("not_selected", None),
        "G": ("not_selected", None),
    }
    assert AuditEntry.objects.filter(action="selection.promoted").count() == 1
    promotion_emails = OutboxMessage.objects.exclude(batch=confirmation_batch)
    assert [m.to_email for m in promotion_emails] == [seven["C"].contact_email]


def test_the_batch_page_leads_back_to_the_run_and_nowhere_else(client, confirmed, secretariat):
    run, batch, _ = confirmed
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert f"/manage/outbox/batches/{batch_key(batch)}/?back=/manage/selection-runs/" in html
    page = client.get(
        reverse("outbox:batch", args=[batch_key(batch)]), {"back": run.get_absolute_url()}
    )
    assert f'href="{run.get_absolute_url()}"' in page.content.decode()
    for outside in ("https://evil.example/", "//evil.example/", "/\\\\evil.example/"):
        page = client.get(reverse("outbox:batch", args=[batch_key(batch)]), {"back": outside})
        assert "Back to the page you came from" not in page.content.decode()
