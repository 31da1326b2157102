"""The shared review factories build consistent objects."""

import pytest

from tests.reviews.factories import (
    AssignmentFactory,
    ReviewerFactory,
    ReviewFactory,
    ReviewRoundFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_share_the_call():
    round_ = ReviewRoundFactory()
    reviewer = ReviewerFactory(call=round_.call, themes=["child_labour"])
    assignment = AssignmentFactory(reviewer=reviewer)
    review = ReviewFactory(reviewer=reviewer, proposal=assignment.proposal)
    assert assignment.proposal.call == round_.call == review.proposal.call
    assert reviewer.email == reviewer.user.email
    assert reviewer.user.emailaddress_set.get().verified
    invited = ReviewerFactory(user=None, status="invited", call=round_.call)
    assert invited.email.endswith("@review.example") and invited.accepted_at is None
    assert ReviewRoundFactory(call=round_.call) == round_
