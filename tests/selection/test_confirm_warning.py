"""Confirming a run while reviews are still outstanding: the run page warns, with the count,
and the secretariat can still confirm."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.selection import operations
from deepdive.selection.models import SelectionRun
from tests.reviews.factories import (
    AssignmentFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run(call, scores, secretariat):
    a = ProposalFactory(call=call, title="Alpha")
    b = ProposalFactory(call=call, title="Bravo")
    first, second = ReviewerFactory(call=call), ReviewerFactory(call=call)
    for reviewer in (first, second):
        for proposal in (a, b):
            AssignmentFactory(reviewer=reviewer, proposal=proposal)
    ReviewFactory(reviewer=first, proposal=a)  # submitted
    ReviewFactory(reviewer=second, proposal=a)  # submitted
    ReviewFactory(reviewer=first, proposal=b, status="draft", submitted_at=None)  # not yet
    # second on b: not started
    scores({a: 16.0, b: 12.0})
    return operations.run_selection(actor=secretariat, call=call)


def test_the_confirm_form_warns_of_reviews_not_submitted(client, run, secretariat):
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "2 reviews are not submitted yet" in html
    assert "Confirm this run as the decision" in html  # still possible

    day = (timezone.now() + timedelta(days=14)).date().isoformat()
    response = client.post(reverse("selection:confirm", args=[run.pk]), {"host_deadline": day})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == SelectionRun.Status.CONFIRMED


def test_no_warning_when_every_review_is_in(client, run, secretariat):
    from deepdive.reviews.models import Review

    Review.objects.update(status="submitted", submitted_at=timezone.now())
    for proposal in run.call.proposals.all():
        for assignment in proposal.assignments.all():
            Review.objects.get_or_create(
                reviewer=assignment.reviewer,
                proposal=proposal,
                defaults={"status": "submitted", "submitted_at": timezone.now()},
            )
    client.force_login(secretariat)
    html = client.get(run.get_absolute_url()).content.decode()
    assert "not submitted yet" not in html
