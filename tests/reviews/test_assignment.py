"""The reviewer assignment: the optimiser's input from the database, proposing, editing and
saving a run, the e-mails, and the reminders to late reviewers."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.models import Proposal
from deepdive.reviews.assignment_input import build_problem
from deepdive.reviews.models import Assignment, AssignmentRun, DeclaredConflict, Review, Reviewer
from deepdive.reviews.operations import assignment as ops
from tests.reviews.factories import (
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewFactory,
    ReviewRoundFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every reviewer has an account: hash their passwords quickly (Argon2 takes ~0.5 s)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def round_():
    return ReviewRoundFactory(reviewers_per_proposal=2, default_max_load=3)


@pytest.fixture
def call(round_):
    return round_.call


def affiliate(reviewer: Reviewer, organisation) -> None:
    Affiliation.objects.create(
        user=reviewer.user, organisation=organisation, status=Affiliation.Status.VERIFIED
    )


def pool(call, n: int, **fields) -> list[Reviewer]:
    return [ReviewerFactory(call=call, **fields) for _ in range(n)]


def proposals(call, n: int, **fields) -> list[Proposal]:
    return [ProposalFactory(call=call, title=f"Proposal {chr(65 + i)}", **fields) for i in range(n)]


# --- The optimiser's input ----------------------------------------------------------------------


def test_affinity_counts_weighted_matches(call):
    proposal = ProposalFactory(
        call=call,
        themes=["child_labour", "forced_labour"],
        sectors=["mining"],
        countries=["GH", "MA", "PE"],  # Africa twice, Americas
        language="en",
    )
    expert = ReviewerFactory(
        call=call,
        themes=["child_labour", "forced_labour"],
        sectors=["mining", "cocoa"],
        regions=["africa", "asia_pacific"],
        languages=["en", "fr"],
    )
    regional = ReviewerFactory(call=call, regions=["americas", "africa"], languages=["es"])
    novice = ReviewerFactory(call=call, languages=[])

    problem, maps = build_problem(call=call, objective="fair")

    p = f"p{proposal.pk}"
    assert problem.affinity[f"r{expert.pk}"][p] == 2 * 2 + 1.5 + 1 + 1
    assert problem.affinity[f"r{regional.pk}"][p] == 2.0
    assert problem.affinity[f"r{novice.pk}"][p] == 0.0
    assert problem.objective == "fair"
    assert problem.reviewers_per_proposal == 2
    assert maps.proposals[p] == proposal
    assert maps.reviewers[f"r{expert.pk}"] == expert


def test_only_submitted_proposals_and_active_reviewers(call):
    submitted = ProposalFactory(call=call)
    ProposalFactory(call=call, status=Proposal.Status.DRAFT)
    ProposalFactory(call=call, status=Proposal.Status.WITHDRAWN)
    ProposalFactory()  # another call
    active = ReviewerFactory(call=call, min_load=1, max_load=None)
    capped = ReviewerFactory(call=call, max_load=5)
    ReviewerFactory(call=call, user=None, status="invited", accepted_at=None)
    ReviewerFactory(call=call, status=Reviewer.Status.REMOVED)

    problem, _maps = build_problem(call=call, objective="total")

    assert [p.id for p in problem.proposals] == [f"p{submitted.pk}"]
    loads = {r.id: (r.min_load, r.max_load) for r in problem.reviewers}
    assert loads == {f"r{active.pk}": (1, 3), f"r{capped.pk}": (0, 5)}


def test_conflicts_come_from_affiliations_and_declarations(call):
    lead = OrganisationFactory()
    partner = OrganisationFactory()
    proposal = ProposalFactory(call=call, lead_organisation=lead)
    CoSubmitterFactory(proposal=proposal, organisation=partner)
    of_lead, of_partner, declared, lifted, free = pool(call, 5)
    affiliate(of_lead, lead)
    affiliate(of_partner, partner)
    DeclaredConflict.objects.create(reviewer=declared, proposal=proposal, reason="Former staff")
    DeclaredConflict.objects.create(
        reviewer=lifted, proposal=proposal, reason="Old", lifted_at=timezone.now()
    )

    problem, _maps = build_problem(call=call, objective="total")

    p = f"p{proposal.pk}"
    assert problem.conflicts == {(f"r{r.pk}", p) for r in (of_lead, of_partner, declared)}


# --- Proposing ----------------------------------------------------------------------------------


def test_propose_stores_the_optimisers_answer_and_covers_every_proposal(secretariat, call):
    items = proposals(call, 4, themes=["child_labour"])
    reviewers = pool(call, 4, themes=["child_labour"])
    affiliate(reviewers[0], items[0].lead_organisation)

    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert run.status == AssignmentRun.Status.PROPOSED
    assert run.solver_status == "optimal"
    assert run.current == run.proposed
    assert set(run.current) == {str(p.pk) for p in items}
    for chosen in run.current.values():
        assert len(set(chosen)) == 2
    assert reviewers[0].pk not in run.current[str(items[0].pk)]
    # Each pair shares the theme (2) and English (1).
    assert run.result["total_affinity"] == 4 * 2 * 3.0
    assert run.result["min_proposal_affinity"] == 6.0
    assert sum(run.result["loads"].values()) == 8
    assert run.result["affinity"][str(items[1].pk)][str(reviewers[1].pk)] == 3.0
    assert AuditEntry.objects.filter(action="reviews.assignment.propose").count() == 1


def test_fair_serves_the_worst_proposal_first(secretariat, call):
    rare, common = (
        ProposalFactory(call=call, themes=["forced_labour"]),
        ProposalFactory(call=call, themes=["child_labour"]),
    )
    both = ReviewerFactory(call=call, themes=["forced_labour", "child_labour"])
    pool(call, 2, themes=["child_labour"])
    ReviewerFactory(call=call)

    run = ops.propose_assignment(actor=secretariat, call=call, objective="fair")

    assert run.solver_status == "optimal"
    assert both.pk in run.current[str(rare.pk)]
    # The rare theme's only expert (2 + English 1) and anyone (English 1).
    assert run.result["min_proposal_affinity"] == 4.0
    assert common


def test_an_infeasible_answer_is_stored_with_its_reasons(secretariat, call):
    covered, stuck = proposals(call, 2)
    reviewers = pool(call, 2)
    affiliate(reviewers[0], stuck.lead_organisation)

    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert run.solver_status == "infeasible"
    assert run.current == {}
    assert list(run.result["uncovered"]) == [str(stuck.pk)]
    assert f"r{reviewers[1].pk}" in run.result["uncovered"][str(stuck.pk)]
    with pytest.raises(ops.AssignmentError):
        ops.save_run(actor=secretariat, run=run)
    with pytest.raises(ops.AssignmentError):
        ops.change_reviewers(
            actor=secretariat,
            run=run,
            proposal_id=covered.pk,
            reviewer_ids=[r.pk for r in reviewers],
        )
    assert not Assignment.objects.exists()


def test_too_little_capacity_is_a_load_reason(secretariat, call):
    proposals(call, 3)
    pool(call, 2, max_load=2)

    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert run.solver_status == "infeasible"
    assert "max_load" in run.result["reason"]
    assert run.result["uncovered"] == {}


def test_nothing_to_assign_is_refused(secretariat, call):
    with pytest.raises(ops.AssignmentError, match="no submitted proposals"):
        ops.propose_assignment(actor=secretariat, call=call, objective="total")
    ProposalFactory(call=call)
    with pytest.raises(ops.AssignmentError, match="no active reviewers"):
        ops.propose_assignment(actor=secretariat, call=call, objective="total")
    assert not AssignmentRun.objects.exists()


# --- Editing by hand ----------------------------------------------------------------------------


@pytest.fixture
def proposed(secretariat, call):
    """Three proposals, four reviewers (the first affiliated to the first proposal's lead)."""
    items = proposals(call, 3)
    reviewers = pool(call, 4)
    affiliate(reviewers[0], items[0].lead_organisation)
    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    return run, items, reviewers


def test_change_refuses_a_conflicted_reviewer(secretariat, proposed):
    run, items, reviewers = proposed
    before = dict(run.current)

    with pytest.raises(ops.AssignmentError) as refusal:
        ops.change_reviewers(
            actor=secretariat,
            run=run,
            proposal_id=items[0].pk,
            reviewer_ids=[reviewers[0].pk, reviewers[1].pk],
        )

    assert any("in conflict" in m and str(reviewers[0]) in m for m in refusal.value.messages)
    run.refresh_from_db()
    assert run.current == before


@pytest.mark.parametrize(
    "choice, message",
    [
        (lambda r, extra: [r[1].pk, r[1].pk], "more than once"),
        (lambda r, extra: [r[1].pk], "exactly 2"),
        (lambda r, extra: [r[1].pk, r[2].pk, r[3].pk], "exactly 2"),
        (lambda r, extra: [r[1].pk, extra.pk], "not an active reviewer"),
    ],
)
def test_change_refuses_what_the_rules_do_not_allow(secretariat, call, proposed, choice, message):
    run, items, reviewers = proposed
    removed = ReviewerFactory(call=call, status=Reviewer.Status.REMOVED)
    with pytest.raises(ops.AssignmentError, match=message):
        ops.change_reviewers(
            actor=secretariat,
            run=run,
            proposal_id=items[1].pk,
            reviewer_ids=choice(reviewers, removed),
        )


def test_change_warns_on_an_overload_and_keeps_the_change(secretariat, call):
    items = proposals(call, 2)
    busy = ReviewerFactory(call=call, max_load=1)
    others = pool(call, 3)
    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    # Put ``busy`` on both proposals.
    for proposal in items:
        chosen = run.current[str(proposal.pk)]
        if busy.pk not in chosen:
            keep = next(r for r in chosen if r != busy.pk)
            warnings = ops.change_reviewers(
                actor=secretariat,
                run=run,
                proposal_id=proposal.pk,
                reviewer_ids=[busy.pk, keep],
            )

    assert len(warnings) == 1
    assert str(busy) in warnings[0] and "maximum of 1" in warnings[0]
    run.refresh_from_db()
    assert all(busy.pk in chosen for chosen in run.current.values())
    assert run.current != run.proposed
    assert AuditEntry.objects.filter(action="reviews.assignment.change").exists()
    assert others


# --- Saving -------------------------------------------------------------------------------------


def test_save_creates_assignments_emails_each_reviewer_once_and_discards_other_runs(
    secretariat, call, round_, proposed
):
    run, items, reviewers = proposed
    other = ops.propose_assignment(actor=secretariat, call=call, objective="fair")

    ops.save_run(actor=secretariat, run=run)

    run.refresh_from_db()
    other.refresh_from_db()
    assert run.status == AssignmentRun.Status.SAVED and run.saved_at
    assert other.status == AssignmentRun.Status.DISCARDED
    pairs = {(a.reviewer_id, a.proposal_id) for a in Assignment.objects.all()}
    assert pairs == {(r, int(p)) for p, rs in run.current.items() for r in rs}
    assert set(Assignment.objects.values_list("status", flat=True)) == {"active"}
    assert set(Assignment.objects.values_list("run", flat=True)) == {run.pk}

    messages = OutboxMessage.objects.filter(kind="reviews.assignment")
    loaded = {r for rs in run.current.values() for r in rs}
    by_address = {m.to_email: m for m in messages}
    assert len(messages) == len(by_address) == len(loaded)
    for reviewer in Reviewer.objects.filter(pk__in=loaded):
        message = by_address[reviewer.user.email]
        mine = [p for p in items if reviewer.pk in run.current[str(p.pk)]]
        for proposal in items:
            assert (proposal.title in message.body_text) == (proposal in mine)
        assert "http://testserver/reviews/" in message.body_text
        assert "Europe/Zurich" in message.body_text and "(UTC, UTC+00:00)" in message.body_text
        assert message.language == "en"
    assert AuditEntry.objects.filter(action="reviews.assignment.save").count() == 1
    with pytest.raises(ops.AssignmentError):
        ops.save_run(actor=secretariat, run=run)
    with pytest.raises(ops.AssignmentError):
        ops.save_run(actor=secretariat, run=other)


def test_saving_writes_to_each_reviewer_in_their_language(secretariat, call, proposed):
    run, _items, reviewers = proposed
    for reviewer in reviewers:
        reviewer.user.language = "fr"
        reviewer.user.save(update_fields=["language"])

    ops.save_run(actor=secretariat, run=run)

    assert set(OutboxMessage.objects.values_list("language", flat=True)) == {"fr"}


def test_a_conflict_declared_after_proposing_blocks_the_save(secretariat, proposed):
    run, items, _reviewers = proposed
    reviewer = Reviewer.objects.get(pk=run.current[str(items[1].pk)][0])
    DeclaredConflict.objects.create(reviewer=reviewer, proposal=items[1], reason="My cousin")

    with pytest.raises(ops.AssignmentError) as refusal:
        ops.save_run(actor=secretariat, run=run)

    assert any("in conflict" in m for m in refusal.value.messages)
    assert not Assignment.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_new_run_moves_empty_drafts_and_removes_the_others(secretariat, call, proposed):
    """Reviews submitted or started are kept (tests/reviews/test_assignment_keeps_reviews.py);
    an untouched empty draft moves with its assignment."""
    run, items, reviewers = proposed
    ops.save_run(actor=secretariat, run=run)
    first = {(a.reviewer_id, a.proposal_id) for a in Assignment.objects.all()}
    reviewed = next(iter(sorted(first)))
    ReviewFactory(
        reviewer_id=reviewed[0],
        proposal_id=reviewed[1],
        status=Review.Status.DRAFT,
        submitted_at=None,
        scores={},
        overall_comment="",
        recommendation="",
        confidence=None,
    )
    # A second run where nobody reviews what they had before.
    reviewers.append(ReviewerFactory(call=call))
    second = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    for proposal in items:
        free = [
            r.pk
            for r in reviewers
            if (r.pk, proposal.pk) not in first and not (r is reviewers[0] and proposal == items[0])
        ]
        ops.change_reviewers(
            actor=secretariat, run=second, proposal_id=proposal.pk, reviewer_ids=free[:2]
        )

    ops.save_run(actor=secretariat, run=second)

    rows = {(a.reviewer_id, a.proposal_id): a for a in Assignment.objects.all()}
    for pair in first:
        assert pair not in rows
    assert not Review.objects.exists()
    new = {(r, int(p)) for p, rs in second.current.items() for r in rs}
    assert {p for p, a in rows.items() if a.status == "active"} == new
    assert all(rows[p].run_id == second.pk for p in new)
    run.refresh_from_db()
    assert run.status == AssignmentRun.Status.SAVED  # the earlier saved run stays in history


def test_saving_schedules_the_reminder_when_the_backend_can_defer(
    secretariat, round_, proposed, monkeypatch, django_capture_on_commit_callbacks
):
    run, _items, _reviewers = proposed
    scheduled = []
    monkeypatch.setattr(ops, "enqueue_reminders", lambda *, at: scheduled.append(at) or True)

    with django_capture_on_commit_callbacks(execute=True):
        ops.save_run(actor=secretariat, run=run)

    assert scheduled == [round_.closes_at - timedelta(days=3)]


def test_the_immediate_backend_cannot_defer_the_reminder():
    assert ops.enqueue_reminders(at=timezone.now() + timedelta(days=1)) is False


# --- Reminders ----------------------------------------------------------------------------------


@pytest.fixture
def closing(call, round_):
    round_.closes_at = timezone.now() + timedelta(days=2)
    round_.save()
    return round_


def assign(reviewer, proposal):
    return Assignment.objects.create(reviewer=reviewer, proposal=proposal)


def test_reminders_go_once_and_only_for_reviews_not_submitted(call, closing):
    late, done = ReviewerFactory(call=call), ReviewerFactory(call=call)
    first, second, third = proposals(call, 3)
    for proposal in (first, second):
        assign(late, proposal)
    assign(done, third)
    ReviewFactory(reviewer=done, proposal=third)
    ReviewFactory(reviewer=late, proposal=second, status="draft", submitted_at=None)
    # Not due: a window closing later, a reassigned assignment, a withdrawn proposal.
    elsewhere = ReviewRoundFactory(closes_at=timezone.now() + timedelta(days=10))
    assign(ReviewerFactory(call=elsewhere.call), ProposalFactory(call=elsewhere.call))
    moved = assign(ReviewerFactory(call=call), first)
    moved.status = Assignment.Status.NEEDS_REASSIGNMENT
    moved.save()
    assign(ReviewerFactory(call=call), ProposalFactory(call=call, status="withdrawn"))

    assert ops.send_review_reminders() == 1
    assert ops.send_review_reminders() == 0

    message = OutboxMessage.objects.get(kind="reviews.reminder")
    assert message.to_email == late.user.email
    assert first.title in message.body_text and second.title in message.body_text
    assert third.title not in message.body_text
    assert "http://testserver/reviews/" in message.body_text
    assert set(Assignment.objects.filter(reviewer=late).values_list("reminded_at", flat=True)) != {
        None
    }
    assert Assignment.objects.filter(reminded_at__isnull=False).count() == 2


def test_no_reminder_before_the_last_three_days_or_after_the_close(call, closing):
    assign(ReviewerFactory(call=call), ProposalFactory(call=call))
    now = timezone.now()
    assert ops.send_review_reminders(now=now - timedelta(days=2)) == 0
    assert ops.send_review_reminders(now=now + timedelta(days=3)) == 0
    assert ops.send_review_reminders(now=now) == 1


def test_the_command_sends_the_reminders(call, closing, capsys):
    assign(ReviewerFactory(call=call), ProposalFactory(call=call))
    call_command("send_review_reminders")
    assert "1 reviewer(s) reminded." in capsys.readouterr().out
    assert OutboxMessage.objects.filter(kind="reviews.reminder").count() == 1
