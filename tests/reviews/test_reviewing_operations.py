"""save_review: drafts, submission, edits, the window, the version, the values."""

import pytest

from deepdive.core import audit
from deepdive.reviews.models import Review, Reviewer
from deepdive.reviews.operations import reviewing as ops
from deepdive.reviews.operations.reviewing import ReviewData
from tests.reviews.factories import CoSubmitterFactory, ReviewerUserFactory
from tests.reviews.factories_reviewing import CRITERIA, assigned, close_round, complete, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(reference_data):
    round_ = new_round()
    reviewer, proposal = assigned(round_)
    return round_, reviewer, proposal


def save(reviewer, proposal, data, *, version=0, submit=False, actor=None):
    return ops.save_review(
        actor=actor or reviewer.user,
        reviewer=reviewer,
        proposal=proposal,
        expected_version=version,
        data=data,
        submit=submit,
    )


def test_a_partial_draft_is_saved(setup):
    _round, reviewer, proposal = setup
    review = save(reviewer, proposal, ReviewData(scores={"innovation": 2}))
    assert review.status == Review.Status.DRAFT
    assert review.scores == {"innovation": 2}
    assert review.version == 1
    entry = audit.history(review).first()
    assert entry.action == "reviews.save"
    # The summary names who saved what, never the scores.
    assert "innovation" not in entry.summary and "score" not in entry.summary.lower()


def test_submitting_needs_every_score_a_recommendation_and_a_confidence(setup):
    _round, reviewer, proposal = setup
    with pytest.raises(ops.Invalid) as refused:
        save(reviewer, proposal, ReviewData(scores={"innovation": 2}), submit=True)
    assert set(refused.value.problems) == {
        "score_labour_standards",
        "score_root_causes",
        "score_scalability",
        "recommendation",
        "confidence",
    }
    assert not Review.objects.exists()
    review = save(reviewer, proposal, complete(), submit=True)
    assert review.status == Review.Status.SUBMITTED and review.submitted_at
    assert review.total == 16
    assert audit.history(review).first().action == "reviews.submit"


@pytest.mark.parametrize("bad", [0, 6, -1, "4", 2.5, True])
def test_scores_outside_one_to_five_are_refused_beside_the_field(setup, bad):
    _round, reviewer, proposal = setup
    with pytest.raises(ops.Invalid) as refused:
        save(reviewer, proposal, ReviewData(scores={"scalability": bad}))
    assert refused.value.problems == {"score_scalability": ["Choose a score from 1 to 5."]}


def test_confidence_and_recommendation_out_of_range(setup):
    _round, reviewer, proposal = setup
    with pytest.raises(ops.Invalid) as refused:
        save(reviewer, proposal, ReviewData(confidence=4, recommendation="yes"))
    assert set(refused.value.problems) == {"confidence", "recommendation"}


def test_a_closed_window_refuses_and_keeps_what_was_saved(setup):
    round_, reviewer, proposal = setup
    review = save(reviewer, proposal, complete(), submit=True)
    close_round(round_)
    with pytest.raises(ops.WindowClosed) as refused:
        save(reviewer, proposal, complete(score=1), version=review.version)
    assert "closed" in str(refused.value)
    review.refresh_from_db()
    assert review.total == 16 and review.status == Review.Status.SUBMITTED


def test_a_window_not_open_yet(setup):
    round_, reviewer, proposal = setup
    round_.opens_at = None
    round_.save()
    with pytest.raises(ops.WindowClosed):
        save(reviewer, proposal, complete())


def test_a_stale_version_is_refused(setup):
    _round, reviewer, proposal = setup
    first = save(reviewer, proposal, ReviewData(scores={"innovation": 2}))
    save(reviewer, proposal, ReviewData(scores={"innovation": 3}), version=first.version)
    with pytest.raises(ops.StaleVersion) as refused:
        save(reviewer, proposal, ReviewData(scores={"innovation": 5}), version=first.version)
    assert "saved elsewhere" in str(refused.value)
    assert Review.objects.get().scores == {"innovation": 3}


def test_a_double_click_changes_nothing(setup):
    _round, reviewer, proposal = setup
    first = save(reviewer, proposal, complete(), submit=True)
    again = save(reviewer, proposal, complete(), version=first.version - 1 + 1, submit=True)
    assert again.version == first.version
    stale_but_same = save(reviewer, proposal, complete(), version=0, submit=True)
    assert stale_but_same.version == first.version


def test_a_submitted_review_is_edited_and_stays_submitted(setup):
    _round, reviewer, proposal = setup
    review = save(reviewer, proposal, complete(), submit=True)
    edited = save(reviewer, proposal, complete(score=2), version=review.version, submit=False)
    assert edited.status == Review.Status.SUBMITTED
    assert edited.total == 8 and edited.version == 2
    assert edited.submitted_at == review.submitted_at
    assert audit.history(edited).first().action == "reviews.resubmit"
    # It must stay complete.
    with pytest.raises(ops.Invalid):
        save(reviewer, proposal, complete(recommendation=""), version=edited.version)
    assert Review.objects.get().recommendation == "select"


def test_only_the_reviewer_themself_writes(setup):
    _round, reviewer, proposal = setup
    with pytest.raises(ops.NotAllowed):
        save(reviewer, proposal, complete(), actor=ReviewerUserFactory())


def test_an_unassigned_or_conflicted_proposal_is_refused(setup):
    round_, reviewer, proposal = setup
    other_reviewer, other = assigned(round_)
    with pytest.raises(ops.NotAllowed):
        save(reviewer, other, complete())
    # An affiliation to a co-submitting organisation is a conflict.
    from tests.directory.factories import AffiliationFactory

    co = CoSubmitterFactory(proposal=proposal)
    AffiliationFactory(user=reviewer.user, organisation=co.organisation)
    with pytest.raises(ops.NotAllowed):
        save(reviewer, proposal, complete())


def test_a_removed_reviewer_can_no_longer_write_but_the_review_stays(setup):
    _round, reviewer, proposal = setup
    review = save(reviewer, proposal, complete(), submit=True)
    Reviewer.objects.filter(pk=reviewer.pk).update(status=Reviewer.Status.REMOVED)
    reviewer.refresh_from_db()
    with pytest.raises(ops.NotAllowed):
        save(reviewer, proposal, complete(score=1), version=review.version)
    assert Review.objects.get().total == 16


def test_a_withdrawn_proposal_refuses_new_saves(setup):
    _round, reviewer, proposal = setup
    save(reviewer, proposal, ReviewData(scores={"innovation": 2}))
    proposal.status = "withdrawn"
    proposal.save()
    with pytest.raises(ops.ProposalWithdrawn):
        save(reviewer, proposal, complete(), version=1)
    assert Review.objects.get().scores == {"innovation": 2}


def test_audit_lists_the_changes_for_the_secretariat(setup):
    _round, reviewer, proposal = setup
    review = save(reviewer, proposal, complete(), submit=True)
    review = save(
        reviewer, proposal, complete(scores={c: 5 for c in CRITERIA}), version=review.version
    )
    entry = audit.history(review).first()
    assert entry.changes["score innovation"] == ["4", "5"]
    # Nothing is recorded on the proposal, whose history its proposers see.
    assert not audit.history(proposal).filter(action__startswith="reviews.").exists()
