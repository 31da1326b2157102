"""The reviewer pool's operations: round settings, invitations, expertise, loads, removal and
declared conflicts, each with its audit entry."""

from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress

from deepdive.core import audit
from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.reviews import access
from deepdive.reviews.models import Assignment, DeclaredConflict, Review, Reviewer, ReviewRound
from deepdive.reviews.operations import pool as ops

from .factories import (
    AssignmentFactory,
    CallFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewerUserFactory,
    ReviewFactory,
    ReviewRoundFactory,
    SecretariatFactory,
    sector,
    theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return SecretariatFactory(name="Sara Secretariat")


@pytest.fixture
def call():
    return CallFactory(title="Call for webinar proposals")


def actions(subject) -> list[str]:
    return [entry.action for entry in audit.history(subject)]


# --- The round ------------------------------------------------------------------------------


def test_ensure_round_creates_the_defaults_once(call):
    first = ops.ensure_round(call=call)
    again = ops.ensure_round(call=call)
    assert first == again
    assert (first.reviewers_per_proposal, first.default_max_load) == (3, 8)
    assert actions(first) == ["reviews.round_created"]


def test_update_round_records_what_changed(staff, call):
    review_round = ops.ensure_round(call=call)
    opens = datetime(2027, 3, 1, 8, tzinfo=UTC)
    closes = datetime(2027, 3, 20, 17, tzinfo=UTC)
    changes = ops.update_round(
        actor=staff,
        review_round=review_round,
        reviewers_per_proposal=2,
        default_max_load=5,
        opens_at=opens,
        closes_at=closes,
        timezone="Africa/Accra",
        objective="fair",
        others_visible_after_submit=False,
    )
    review_round.refresh_from_db()
    assert review_round.reviewers_per_proposal == 2
    assert review_round.opens_at == opens and review_round.timezone == "Africa/Accra"
    assert set(changes) == {
        "reviewers_per_proposal",
        "default_max_load",
        "opens_at",
        "closes_at",
        "timezone",
        "objective",
        "others_visible_after_submit",
    }
    entry = audit.history(review_round).first()
    assert entry.action == "reviews.round_updated" and entry.actor == staff
    assert entry.changes["reviewers_per_proposal"] == ["3", "2"]


def test_update_round_refuses_a_member_and_a_window_backwards(staff, call):
    review_round = ops.ensure_round(call=call)
    fields = {
        "reviewers_per_proposal": 3,
        "default_max_load": 8,
        "opens_at": datetime(2027, 3, 20, tzinfo=UTC),
        "closes_at": datetime(2027, 3, 1, tzinfo=UTC),
        "timezone": "Europe/Paris",
        "objective": "total",
        "others_visible_after_submit": True,
    }
    with pytest.raises(ops.NotAllowed):
        ops.update_round(actor=ReviewerUserFactory(), review_round=review_round, **fields)
    with pytest.raises(ops.InvalidValue) as refused:
        ops.update_round(actor=staff, review_round=review_round, **fields)
    assert refused.value.field == "closes_local"
    assert actions(review_round) == ["reviews.round_created"]


# --- Adding reviewers -----------------------------------------------------------------------


def test_secretariat_staff_join_active_without_an_email(staff, call):
    colleague = SecretariatFactory(email="Omar@ILO.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="omar@ilo.example")
    assert reviewer.status == Reviewer.Status.ACTIVE
    assert reviewer.user == colleague and reviewer.accepted_at is not None
    assert not OutboxMessage.objects.exists()
    entry = audit.history(reviewer).get()
    assert entry.action == "reviews.reviewer_added" and entry.actor == staff
    assert entry.changes["status"] == ["", "active"]


def test_a_member_is_invited_by_email_in_their_language(staff, call):
    ReviewerUserFactory(email="lea@union.example", name="Léa Martin", language="fr")
    reviewer = ops.add_reviewer(
        actor=staff, call=call, email=" Lea@Union.example ", min_load=1, max_load=4
    )
    assert reviewer.status == Reviewer.Status.INVITED and reviewer.user is None
    assert reviewer.email == "lea@union.example"
    assert (reviewer.min_load, reviewer.max_load) == (1, 4)
    message = OutboxMessage.objects.get()
    assert message.to_email == "lea@union.example"
    assert message.language == "fr"
    assert message.kind == "reviews.invitation"
    assert "/reviews/invitations/" in message.body_text
    assert "/reviews/invitations/" in message.body_html
    assert "Call for webinar proposals" in message.subject
    assert "Léa Martin" in message.body_text
    assert actions(reviewer) == ["reviews.reviewer_added"]


def test_someone_without_an_account_is_invited_in_the_default_language(staff, call, settings):
    ops.add_reviewer(actor=staff, call=call, email="new@ngo.example")
    message = OutboxMessage.objects.get()
    assert message.language == settings.LANGUAGE_CODE
    assert "Dear colleague" in message.body_text


def test_an_address_already_in_the_pool_is_refused(staff, call):
    ops.add_reviewer(actor=staff, call=call, email="ana@ngo.example")
    with pytest.raises(ops.AlreadyInPool) as refused:
        ops.add_reviewer(actor=staff, call=call, email="ANA@ngo.example")
    assert refused.value.field == "email"
    assert "ana@ngo.example" in str(refused.value)
    assert Reviewer.objects.filter(call=call).count() == 1
    # Another call's pool is another pool.
    ops.add_reviewer(actor=staff, call=CallFactory(), email="ana@ngo.example")


def test_someone_who_declined_can_be_invited_again(staff, call):
    user = ReviewerUserFactory(email="ana@ngo.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="ana@ngo.example")
    ops.decline_invitation(actor=user, reviewer=reviewer)
    again = ops.add_reviewer(actor=staff, call=call, email="ana@ngo.example")
    assert again.pk == reviewer.pk and again.status == Reviewer.Status.INVITED
    assert OutboxMessage.objects.count() == 2


def test_loads_must_be_in_order(staff, call):
    with pytest.raises(ops.InvalidLoads) as refused:
        ops.add_reviewer(actor=staff, call=call, email="a@ngo.example", min_load=5, max_load=2)
    assert refused.value.field == "max_load"
    assert not Reviewer.objects.exists() and not OutboxMessage.objects.exists()


def test_only_the_secretariat_adds(call):
    with pytest.raises(ops.NotAllowed):
        ops.add_reviewer(actor=ReviewerUserFactory(), call=call, email="a@ngo.example")


def test_add_all_secretariat_staff(staff, call):
    other = SecretariatFactory()
    SecretariatFactory(is_active=False)
    ops.add_reviewer(actor=staff, call=call, email=other.email)
    added = ops.add_secretariat_staff(actor=staff, call=call)
    assert [r.user for r in added] == [staff]
    assert ops.add_secretariat_staff(actor=staff, call=call) == []
    assert set(Reviewer.objects.values_list("status", flat=True)) == {"active"}


# --- The invitee's answer -------------------------------------------------------------------


def test_accepting_needs_the_invited_address_verified(staff, call):
    reviewer = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    person = ReviewerUserFactory(email="kofi.mensah@gmail.example")
    with pytest.raises(ops.WrongAddress):
        ops.accept_invitation(actor=person, reviewer=reviewer)
    address = EmailAddress.objects.create(user=person, email="Kofi@Cocoa.example", verified=False)
    with pytest.raises(ops.WrongAddress):
        ops.accept_invitation(actor=person, reviewer=reviewer)
    address.verified = True
    address.save()
    ops.accept_invitation(actor=person, reviewer=reviewer)
    reviewer.refresh_from_db()
    assert reviewer.status == Reviewer.Status.ACTIVE and reviewer.user == person
    assert reviewer.accepted_at is not None
    assert actions(reviewer)[0] == "reviews.invitation_accepted"
    # A second click changes nothing.
    ops.accept_invitation(actor=person, reviewer=reviewer)
    assert actions(reviewer).count("reviews.invitation_accepted") == 1


def test_someone_else_cannot_answer(staff, call):
    ReviewerUserFactory(email="kofi@cocoa.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    with pytest.raises(ops.WrongAddress):
        ops.decline_invitation(actor=ReviewerUserFactory(), reviewer=reviewer)
    reviewer.refresh_from_db()
    assert reviewer.status == Reviewer.Status.INVITED


def test_declining(staff, call):
    person = ReviewerUserFactory(email="kofi@cocoa.example")
    reviewer = ops.add_reviewer(actor=staff, call=call, email="kofi@cocoa.example")
    ops.decline_invitation(actor=person, reviewer=reviewer)
    reviewer.refresh_from_db()
    assert reviewer.status == Reviewer.Status.DECLINED and reviewer.user is None
    assert actions(reviewer)[0] == "reviews.invitation_declined"
    with pytest.raises(ops.NotWaiting):
        ops.accept_invitation(actor=person, reviewer=reviewer)


# --- Expertise and loads --------------------------------------------------------------------


def test_the_reviewer_fills_their_expertise(call):
    reviewer = ReviewerFactory(call=call)
    changes = ops.update_expertise(
        actor=reviewer.user,
        reviewer=reviewer,
        themes=[theme("forced_labour")],
        sectors=[sector("cocoa"), sector("mining")],
        regions=["africa", "americas"],
        languages=["fr", "en"],
    )
    reviewer.refresh_from_db()
    assert [t.code for t in reviewer.themes.all()] == ["forced_labour"]
    assert reviewer.regions == ["africa", "americas"]
    assert reviewer.languages == ["en", "fr"]
    assert changes["sectors"] == ["", "cocoa, mining"]
    entry = audit.history(reviewer).get()
    assert entry.action == "reviews.expertise_updated" and entry.actor == reviewer.user


def test_expertise_is_theirs_and_checked(call):
    reviewer = ReviewerFactory(call=call)
    fields = {"themes": [], "sectors": [], "regions": [], "languages": []}
    with pytest.raises(ops.NotAllowed):
        ops.update_expertise(actor=ReviewerUserFactory(), reviewer=reviewer, **fields)
    with pytest.raises(ops.InvalidValue):
        ops.update_expertise(
            actor=reviewer.user, reviewer=reviewer, **{**fields, "regions": ["atlantis"]}
        )
    with pytest.raises(ops.InvalidValue):
        ops.update_expertise(
            actor=reviewer.user, reviewer=reviewer, **{**fields, "languages": ["de"]}
        )
    assert not AuditEntry.objects.filter(action="reviews.expertise_updated").exists()


def test_update_loads(staff, call):
    ReviewRoundFactory(call=call, default_max_load=4)
    reviewer = ReviewerFactory(call=call)
    ops.update_loads(actor=staff, reviewer=reviewer, min_load=2, max_load=6)
    reviewer.refresh_from_db()
    assert (reviewer.min_load, reviewer.max_load) == (2, 6)
    entry = audit.history(reviewer).get()
    assert entry.action == "reviews.loads_updated"
    assert entry.changes == {"min_load": ["0", "2"], "max_load": ["", "6"]}
    with pytest.raises(ops.InvalidLoads) as refused:
        ops.update_loads(actor=staff, reviewer=reviewer, min_load=7, max_load=6)
    assert refused.value.field == "max_load"
    # With the round's default as maximum, the minimum must stay under it.
    with pytest.raises(ops.InvalidLoads):
        ops.update_loads(actor=staff, reviewer=reviewer, min_load=5, max_load=None)
    with pytest.raises(ops.NotAllowed):
        ops.update_loads(actor=reviewer.user, reviewer=reviewer, min_load=0, max_load=1)
    reviewer.refresh_from_db()
    assert (reviewer.min_load, reviewer.max_load) == (2, 6)


# --- Removal --------------------------------------------------------------------------------


def test_removal_flags_open_assignments_and_keeps_reviews(staff, call):
    reviewer = ReviewerFactory(call=call)
    done = AssignmentFactory(reviewer=reviewer)
    drafted = AssignmentFactory(reviewer=reviewer)
    untouched = AssignmentFactory(reviewer=reviewer)
    submitted = ReviewFactory(reviewer=reviewer, proposal=done.proposal)
    draft = ReviewFactory(
        reviewer=reviewer, proposal=drafted.proposal, status="draft", submitted_at=None
    )
    someone_else = AssignmentFactory(reviewer=ReviewerFactory(call=call), proposal=done.proposal)

    removal = ops.remove_reviewer(actor=staff, reviewer=reviewer)

    assert removal.flagged == 2
    reviewer.refresh_from_db()
    assert reviewer.status == Reviewer.Status.REMOVED and reviewer.removed_at is not None
    status = dict(Assignment.objects.values_list("pk", "status"))
    assert status[done.pk] == Assignment.Status.ACTIVE
    assert status[drafted.pk] == Assignment.Status.NEEDS_REASSIGNMENT
    assert status[untouched.pk] == Assignment.Status.NEEDS_REASSIGNMENT
    assert status[someone_else.pk] == Assignment.Status.ACTIVE
    assert set(Review.objects.values_list("pk", flat=True)) == {submitted.pk, draft.pk}
    assert Review.objects.get(pk=submitted.pk).status == Review.Status.SUBMITTED
    entry = audit.history(reviewer).get()
    assert entry.action == "reviews.reviewer_removed"
    assert entry.changes["status"] == ["active", "removed"]
    assert entry.changes["to_reassign"][1] == ", ".join(
        str(pk) for pk in sorted([drafted.proposal_id, untouched.proposal_id])
    )
    # Their pages are closed to them.
    assert access.reviewable(reviewer.user, done.proposal) is None
    # Removing again changes nothing.
    assert ops.remove_reviewer(actor=staff, reviewer=reviewer).flagged == 0
    assert audit.history(reviewer).count() == 1


def test_only_the_secretariat_removes(call):
    reviewer = ReviewerFactory(call=call)
    with pytest.raises(ops.NotAllowed):
        ops.remove_reviewer(actor=reviewer.user, reviewer=reviewer)


# --- Declared conflicts ---------------------------------------------------------------------


def test_a_reviewer_declares_a_conflict(call):
    assignment = AssignmentFactory(reviewer=ReviewerFactory(call=call))
    reviewer, proposal = assignment.reviewer, assignment.proposal
    assert access.reviewable(reviewer.user, proposal) == reviewer

    conflict = ops.declare_conflict(
        actor=reviewer.user, reviewer=reviewer, proposal=proposal, reason="  My sister leads it. "
    )

    assert conflict.reason == "My sister leads it." and conflict.declared_by == reviewer.user
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.NEEDS_REASSIGNMENT
    assert access.in_conflict(reviewer, proposal)
    assert (reviewer.pk, proposal.pk) in access.conflict_pairs(call)
    entry = audit.history(proposal).get()
    assert entry.action == "reviews.conflict_declared" and entry.actor == reviewer.user
    assert entry.changes["reason"] == ["", "My sister leads it."]
    # Declaring again returns the same one.
    again = ops.declare_conflict(
        actor=reviewer.user, reviewer=reviewer, proposal=proposal, reason="Again"
    )
    assert again == conflict and DeclaredConflict.objects.count() == 1


def test_a_declaration_needs_a_reason_and_the_right_person(staff, call):
    reviewer = ReviewerFactory(call=call)
    proposal = ProposalFactory(call=call)
    with pytest.raises(ops.ReasonRequired) as refused:
        ops.declare_conflict(actor=reviewer.user, reviewer=reviewer, proposal=proposal, reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(ops.NotAllowed):
        ops.declare_conflict(
            actor=ReviewerUserFactory(), reviewer=reviewer, proposal=proposal, reason="Why not"
        )
    with pytest.raises(ops.NotAllowed):
        ops.declare_conflict(
            actor=staff, reviewer=reviewer, proposal=ProposalFactory(), reason="Other call"
        )
    assert not DeclaredConflict.objects.exists()
    ops.declare_conflict(actor=staff, reviewer=reviewer, proposal=proposal, reason="Known tie")
    assert DeclaredConflict.objects.get().declared_by == staff


def test_the_secretariat_lifts_a_conflict_with_a_reason(staff, call):
    reviewer = ReviewerFactory(call=call)
    proposal = ProposalFactory(call=call)
    conflict = ops.declare_conflict(
        actor=reviewer.user, reviewer=reviewer, proposal=proposal, reason="Former employer"
    )
    with pytest.raises(ops.NotAllowed):
        ops.lift_conflict(actor=reviewer.user, conflict=conflict, reason="I changed my mind")
    with pytest.raises(ops.ReasonRequired):
        ops.lift_conflict(actor=staff, conflict=conflict, reason="")

    ops.lift_conflict(actor=staff, conflict=conflict, reason="Left ten years ago")

    conflict.refresh_from_db()
    assert conflict.lifted_by == staff and conflict.lift_reason == "Left ten years ago"
    assert conflict.lifted_at is not None
    assert not access.in_conflict(reviewer, proposal)
    history = list(audit.history(proposal))
    assert [e.action for e in history] == ["reviews.conflict_lifted", "reviews.conflict_declared"]
    assert history[0].changes["lift_reason"] == ["", "Left ten years ago"]
    # A new declaration after the lift is a new row; the lifted one stays.
    ops.declare_conflict(actor=staff, reviewer=reviewer, proposal=proposal, reason="New facts")
    assert DeclaredConflict.objects.count() == 2


def test_round_factory_is_shared(call):
    assert ReviewRoundFactory(call=call) == ReviewRound.objects.get(call=call)
