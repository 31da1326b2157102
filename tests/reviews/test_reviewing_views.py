"""The reviewer's pages: the list, the review form, 404 for anything not theirs, others'
reviews only after submitting one's own (when the round allows it)."""

import pytest
from django.urls import reverse

from deepdive.reviews.models import DeclaredConflict, Review
from tests.directory.factories import AffiliationFactory
from tests.reviews.factories import ReviewerFactory, ReviewFactory
from tests.reviews.factories_reviewing import (
    CRITERIA,
    assigned,
    close_round,
    form_post,
    new_round,
)

pytestmark = pytest.mark.django_db

FULL = {code: 4 for code in CRITERIA}


@pytest.fixture
def setup(reference_data, client):
    round_ = new_round()
    reviewer, proposal = assigned(round_, title="Living wages on tea estates")
    client.force_login(reviewer.user)
    return round_, reviewer, proposal


def url(proposal):
    return reverse("reviews:review", kwargs={"proposal_id": proposal.pk})


def test_the_list_shows_assigned_proposals_without_conflicts(setup, client):
    round_, reviewer, proposal = setup
    _, declared = assigned(round_, reviewer=reviewer, title="Declared conflict here")
    DeclaredConflict.objects.create(reviewer=reviewer, proposal=declared, reason="My cousin")
    _, affiliated = assigned(round_, reviewer=reviewer, title="Affiliated conflict here")
    AffiliationFactory(user=reviewer.user, organisation=affiliated.lead_organisation)
    _, unassigned = assigned(round_, title="Someone else's proposal")
    response = client.get(reverse("reviews:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Living wages on tea estates" in page
    assert "Declared conflict here" not in page
    assert "Affiliated conflict here" not in page
    assert "Someone else" not in page
    assert url(proposal) in page


def test_the_form_shows_each_descriptor_as_the_radio_label(setup, client):
    _round, _reviewer, proposal = setup
    response = client.get(url(proposal))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Living wages on tea estates" in page
    assert 'name="score_root_causes" value="5"' in page
    assert "5 – Demonstrated, lasting contribution to eliminating the root causes" in page
    assert "Save draft" in page and "Submit review" in page
    assert 'name="version"' in page


@pytest.mark.parametrize("how", ["unassigned", "affiliation", "declared", "other call", "anon"])
def test_anything_not_theirs_is_a_404(setup, client, how):
    round_, reviewer, proposal = setup
    if how == "unassigned":
        _, proposal = assigned(round_)
    elif how == "affiliation":
        AffiliationFactory(user=reviewer.user, organisation=proposal.lead_organisation)
    elif how == "declared":
        ReviewFactory(reviewer=ReviewerFactory(call=round_.call), proposal=proposal)
        DeclaredConflict.objects.create(reviewer=reviewer, proposal=proposal, reason="Former job")
    elif how == "other call":
        other_round = new_round()
        _, proposal = assigned(other_round)
    elif how == "anon":
        client.logout()
    expected = 302 if how == "anon" else 404  # anonymous readers go to the log-in page
    assert client.get(url(proposal)).status_code == expected
    response = client.post(url(proposal), form_post(action="submit", scores=FULL))
    assert response.status_code == expected
    assert not Review.objects.filter(reviewer=reviewer).exists()


def test_a_conflict_declared_after_a_draft_hides_the_proposal_and_its_reviews(setup, client):
    round_, reviewer, proposal = setup
    client.post(
        url(proposal),
        form_post(action="submit", scores=FULL, recommendation="select", confidence=2),
    )
    ReviewFactory(
        reviewer=ReviewerFactory(call=round_.call),
        proposal=proposal,
        overall_comment="Secret opinion",
    )
    assert "Secret opinion" in client.get(url(proposal)).content.decode()
    DeclaredConflict.objects.create(reviewer=reviewer, proposal=proposal, reason="Declared later")
    assert client.get(url(proposal)).status_code == 404
    assert "Living wages" not in client.get(reverse("reviews:mine")).content.decode()


def test_save_a_partial_draft_then_submit(setup, client):
    _round, reviewer, proposal = setup
    response = client.post(url(proposal), form_post(action="draft", scores={"innovation": 3}))
    assert response.status_code == 302
    review = Review.objects.get(reviewer=reviewer)
    assert review.status == "draft" and review.scores == {"innovation": 3}
    page = client.get(url(proposal)).content.decode()
    assert 'name="score_innovation" value="3" id="id_score_innovation_2" checked' in page
    response = client.post(
        url(proposal),
        form_post(version=1, action="submit", scores=FULL, recommendation="maybe", confidence=2),
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and review.total == 16


def test_a_score_of_six_is_refused_beside_its_field(setup, client):
    _round, _reviewer, proposal = setup
    response = client.post(
        url(proposal), form_post(scores={"scalability": 6}, overall_comment="Typed text")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_score_scalability_errors"' in page
    assert "Choose a score from 1 to 5." in page
    assert "Typed text" in page
    assert not Review.objects.exists()


def test_submitting_an_incomplete_review_marks_the_missing_fields(setup, client):
    _round, _reviewer, proposal = setup
    response = client.post(url(proposal), form_post(action="submit", scores={"innovation": 5}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Score this criterion before submitting." in page
    assert "Give your recommendation before submitting." in page
    assert not Review.objects.exists()


def test_a_closed_window_keeps_what_was_typed(setup, client):
    round_, _reviewer, proposal = setup
    close_round(round_)
    response = client.post(
        url(proposal), form_post(scores={"innovation": 2}, overall_comment="Long thoughts")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Reviewing closed on" in page
    assert "Long thoughts" in page


def test_a_stale_version_keeps_what_was_typed(setup, client):
    _round, _reviewer, proposal = setup
    client.post(url(proposal), form_post(scores={"innovation": 2}))
    client.post(url(proposal), form_post(version=1, scores={"innovation": 3}))
    response = client.post(
        url(proposal), form_post(version=1, scores={"innovation": 5}, overall_comment="Mine")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "saved elsewhere" in page and "Mine" in page
    assert 'name="version" value="2"' in page


def test_others_reviews_only_after_submitting_ones_own(setup, client):
    round_, reviewer, proposal = setup
    other = ReviewerFactory(call=round_.call, user__name="Hidden Name")
    ReviewFactory(reviewer=other, proposal=proposal, overall_comment="Another view")
    ReviewFactory(
        reviewer=ReviewerFactory(call=round_.call),
        proposal=proposal,
        status="draft",
        submitted_at=None,
        overall_comment="Unfinished draft",
    )
    page = client.get(url(proposal)).content.decode()
    assert "Another view" not in page
    assert "appear here once you submit yours" in page
    client.post(url(proposal), form_post(action="draft", scores=FULL, recommendation="select"))
    assert "Another view" not in client.get(url(proposal)).content.decode()
    client.post(
        url(proposal),
        form_post(version=1, action="submit", scores=FULL, recommendation="select", confidence=3),
    )
    page = client.get(url(proposal)).content.decode()
    assert "Another view" in page
    assert "Reviewer A" in page
    assert "Hidden Name" not in page
    assert "Unfinished draft" not in page


def test_others_reviews_stay_hidden_when_the_round_says_so(setup, client):
    round_, reviewer, proposal = setup
    round_.others_visible_after_submit = False
    round_.save()
    ReviewFactory(
        reviewer=ReviewerFactory(call=round_.call),
        proposal=proposal,
        overall_comment="Another view",
    )
    ReviewFactory(reviewer=reviewer, proposal=proposal)
    page = client.get(url(proposal)).content.decode()
    assert "Another view" not in page
    assert "The other reviews" not in page


def test_the_ranking_is_for_the_secretariat_only(setup, client):
    round_, _reviewer, _proposal = setup
    response = client.get(reverse("reviews:ranking", kwargs={"call_id": round_.call_id}))
    assert response.status_code == 403
