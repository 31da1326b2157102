"""A new assignment run never discards a review already submitted, nor a draft with content:
they are fixed in the optimiser's input, a change by hand cannot drop them, saving refuses a
run that would, and the run page lists what saving changes and what would be lost."""

import pytest
from django.urls import reverse

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.reference.models import Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.reviews.models import Assignment, DeclaredConflict, Review, Reviewer
from deepdive.reviews.operations import assignment as ops
from deepdive.reviews.queries_assignment import progress_page, run_page
from deepdive.series.models import Call
from tests.reviews.factories import (
    ProposalFactory,
    ReviewerFactory,
    ReviewFactory,
    ReviewRoundFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def expert_in_everything(reviewer: Reviewer) -> None:
    reviewer.themes.set(Theme.objects.all())
    reviewer.sectors.set(Sector.objects.all())
    reviewer.regions = [region.value for region in IloRegion]
    reviewer.languages = ["en", "fr", "es"]
    reviewer.max_load = 50
    reviewer.save()


def pairs_of(run) -> set[tuple[int, int]]:
    return {(int(r), int(p)) for p, rs in run.current.items() for r in rs}


# --- Small cases ----------------------------------------------------------------------------


@pytest.fixture
def saved():
    """A saved assignment: 3 proposals x 2 reviewers among 4; a fifth reviewer, an expert in
    every theme, joins the pool afterwards."""
    round_ = ReviewRoundFactory(reviewers_per_proposal=2, default_max_load=3)
    call = round_.call
    secretariat = SecretariatFactory()
    items = [
        ProposalFactory(call=call, title=f"Proposal {c}", themes=["child_labour"]) for c in "ABC"
    ]
    reviewers = [ReviewerFactory(call=call) for _ in range(4)]
    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    ops.save_run(actor=secretariat, run=run)
    first = sorted(pairs_of(run))
    return secretariat, call, items, reviewers, first


def test_a_rerun_keeps_submitted_reviews_and_drafts_with_content(saved):
    secretariat, call, items, reviewers, first = saved
    submitted, draft, empty = first[0], first[2], first[4]
    ReviewFactory(reviewer_id=submitted[0], proposal_id=submitted[1])
    ReviewFactory(
        reviewer_id=draft[0],
        proposal_id=draft[1],
        status="draft",
        submitted_at=None,
        scores={},
        overall_comment="Half written.",
    )
    ReviewFactory(
        reviewer_id=empty[0],
        proposal_id=empty[1],
        status="draft",
        submitted_at=None,
        scores={},
        overall_comment="",
        recommendation="",
        confidence=None,
    )
    # The reviewers who did the work match the proposals least: the new run would drop them
    # first for the expert, were they not kept.
    Reviewer.objects.filter(pk__in={submitted[0], draft[0]}).update(languages=[])
    expert = ReviewerFactory(call=call, themes=["child_labour"], languages=["en", "fr"])
    expert.max_load = 3
    expert.save()

    second = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert second.solver_status == "optimal"
    chosen = pairs_of(second)
    assert submitted in chosen and draft in chosen
    assert sorted(second.result["kept"]) == sorted(
        [[submitted[1], submitted[0]], [draft[1], draft[0]]]
    )
    assert expert.pk in {r for r, _p in chosen}  # the better match takes what is not done yet

    page = run_page(second)
    assert page["kept_count"] == 1 and page["kept_drafts"] == 1
    leaving = [leave for row in page["changes"] for leave in row.leaving]
    assert leaving, "the expert replaces somebody"
    assert not page["refused"]
    assert {leave.lost for leave in leaving} <= {
        "nothing: the review was not started",
        "nothing: an empty draft, deleted",
    }

    ops.save_run(actor=secretariat, run=second)

    active = set(
        Assignment.objects.filter(status=Assignment.Status.ACTIVE).values_list(
            "reviewer_id", "proposal_id"
        )
    )
    assert submitted in active and draft in active
    assert Review.objects.filter(status="submitted").count() == 1
    assert Review.objects.filter(overall_comment="Half written.").exists()
    assert progress_page(call)["submitted"] == 1
    if empty not in chosen:  # an untouched empty draft moves with its assignment
        assert not Review.objects.filter(reviewer_id=empty[0], proposal_id=empty[1]).exists()


def test_a_change_by_hand_cannot_drop_a_submitted_review(saved):
    secretariat, call, items, reviewers, first = saved
    done = first[0]
    ReviewFactory(reviewer_id=done[0], proposal_id=done[1])
    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    others = [r.pk for r in reviewers if r.pk != done[0]][:2]

    with pytest.raises(ops.AssignmentError) as refusal:
        ops.change_reviewers(actor=secretariat, run=run, proposal_id=done[1], reviewer_ids=others)

    assert any("has submitted a review" in m for m in refusal.value.messages)


def test_saving_refuses_a_run_that_would_drop_a_review_submitted_since(saved, client):
    secretariat, call, items, reviewers, first = saved
    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")
    # The secretariat moves a reviewer away by hand; then that reviewer submits their review.
    rid, pid = first[0]
    keep = [r for r in run.current[str(pid)] if r != rid][:1]
    free = next(r.pk for r in reviewers if r.pk not in run.current[str(pid)] and r.pk != rid)
    ops.change_reviewers(actor=secretariat, run=run, proposal_id=pid, reviewer_ids=[*keep, free])
    ReviewFactory(reviewer_id=rid, proposal_id=pid)

    client.force_login(secretariat)
    page = client.get(reverse("reviews:run", kwargs={"pk": run.pk}))
    text = page.content.decode()
    assert "What saving changes" in text
    assert "a submitted review: it must be kept, so saving is refused" in text

    with pytest.raises(ops.AssignmentError) as refusal:
        ops.save_run(actor=secretariat, run=run)
    assert any("has submitted a review" in m for m in refusal.value.messages)
    assert Assignment.objects.get(reviewer_id=rid, proposal_id=pid).status == "active"


def test_a_conflict_declared_after_reviewing_keeps_the_review(saved, client):
    secretariat, call, items, reviewers, first = saved
    rid, pid = first[0]
    ReviewFactory(reviewer_id=rid, proposal_id=pid)
    DeclaredConflict.objects.create(reviewer_id=rid, proposal_id=pid, reason="My cousin")

    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert rid in run.current[str(pid)]
    client.force_login(secretariat)
    text = client.get(reverse("reviews:run", kwargs={"pk": run.pk})).content.decode()
    assert "declared a conflict with a proposal after reviewing it" in text
    assert "review submitted, kept" in text
    ops.save_run(actor=secretariat, run=run)
    assert Assignment.objects.get(reviewer_id=rid, proposal_id=pid).status == "active"


# --- The demo's reviewed call ---------------------------------------------------------------


def test_rerunning_the_demo_reviewed_call_with_an_expert_loses_no_review(client):
    load_demo(password="demo-pass-123")
    call = Call.objects.get(slug="first-round-reviewed")
    secretariat = User.objects.get(email="secretariat@example.org")
    submitted = set(
        Review.objects.filter(proposal__call=call, status="submitted").values_list(
            "reviewer_id", "proposal_id"
        )
    )
    drafts = {
        (r.reviewer_id, r.proposal_id)
        for r in Review.objects.filter(proposal__call=call, status="draft")
        if r.scores or r.overall_comment or r.recommendation or r.confidence
    }
    counted = progress_page(call)["submitted"]
    assert len(submitted) >= 15
    expert_in_everything(Reviewer.objects.filter(call=call, status="active").first())

    run = ops.propose_assignment(actor=secretariat, call=call, objective="total")

    assert run.solver_status == "optimal"
    assert submitted | drafts <= pairs_of(run)
    client.force_login(secretariat)
    text = client.get(reverse("reviews:run", kwargs={"pk": run.pk})).content.decode()
    assert "What saving changes" in text
    assert "saving is refused" not in text
    page = run_page(run)
    assert page["kept_count"] == len(submitted)
    assert all(not leave.refused for row in page["changes"] for leave in row.leaving)

    ops.save_run(actor=secretariat, run=run)

    active = set(
        Assignment.objects.filter(proposal__call=call, status="active").values_list(
            "reviewer_id", "proposal_id"
        )
    )
    assert submitted | drafts <= active
    assert progress_page(call)["submitted"] == counted
    assert Review.objects.filter(proposal__call=call, status="submitted").count() == len(submitted)
