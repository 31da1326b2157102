"""A reviewer in Chromium: their list, scoring by clicking the descriptors, a draft, the
submission, then the other reviewers' reviews."""

import pytest
from playwright.sync_api import expect

from deepdive.reviews.models import Review
from tests.accounts.factories import PASSWORD
from tests.reviews.factories import ReviewerFactory, ReviewFactory
from tests.reviews.factories_reviewing import assigned, new_round

from .conftest import log_in


@pytest.fixture
def assignment(reference_data):
    round_ = new_round()
    reviewer, proposal = assigned(
        round_,
        title="Living wages on tea estates",
        description="How unions and buyers raise wages to end child labour.",
    )
    ReviewFactory(
        reviewer=ReviewerFactory(call=round_.call, user__name="Colleague With A Name"),
        proposal=proposal,
        overall_comment="A colleague's view of the proposal.",
        recommendation="select",
    )
    return reviewer, proposal


def test_a_reviewer_scores_saves_a_draft_submits_and_sees_the_others(page, assignment, screenshot):
    reviewer, proposal = assignment
    log_in(page, reviewer.user.email, PASSWORD)
    page.goto("/reviews/")
    expect(page.get_by_role("heading", level=1, name="My reviews")).to_be_visible()
    page.get_by_role("link", name="Living wages on tea estates").click()
    expect(page.get_by_role("heading", level=1, name="Living wages on tea estates")).to_be_visible()
    expect(page.get_by_text("A colleague's view of the proposal.")).to_have_count(0)

    # Score by clicking the descriptors (the radios' labels).
    page.get_by_text("4 – Built on the Fundamental Principles and Rights at Work").click()
    page.get_by_text("3 – Addresses some root causes").click()
    page.get_by_label("Comment on “Root causes” (optional)").fill("Wages are a root cause.")
    expect(
        page.get_by_role("radio", name="4 – Built on the Fundamental", exact=False)
    ).to_be_checked()
    screenshot("review-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    review = Review.objects.get(reviewer=reviewer)
    assert review.status == "draft"
    assert review.scores == {"labour_standards": 4, "root_causes": 3}

    # Submitting without the rest is refused beside the fields, the scores kept.
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Score this criterion before submitting.").first).to_be_visible()
    expect(
        page.get_by_role("radio", name="3 – Addresses some root causes", exact=False)
    ).to_be_checked()

    page.get_by_text("5 – Strong results already replicated").click()
    page.get_by_text("2 – Small variations on common practice.").click()
    page.get_by_role("radio", name="maybe").check()
    page.get_by_role("radio", name="high").check()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted.").first).to_be_visible()
    expect(page.get_by_role("heading", name="The other reviews")).to_be_visible()
    expect(page.get_by_role("heading", name="Reviewer A")).to_be_visible()
    expect(page.get_by_text("A colleague's view of the proposal.")).to_be_visible()
    expect(page.get_by_text("Colleague With A Name")).to_have_count(0)
    review.refresh_from_db()
    assert review.status == "submitted" and review.total == 14
    screenshot("review-submitted")
