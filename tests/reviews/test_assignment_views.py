"""The secretariat's assignment pages: who may open them, proposing, the run's table (worst
served first), changing and saving by hand, and the progress board."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.reviews.models import Assignment, AssignmentRun, Reviewer
from tests.accounts.factories import UserFactory
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


@pytest.fixture
def round_():
    return ReviewRoundFactory(reviewers_per_proposal=2, default_max_load=2, objective="fair")


@pytest.fixture
def call(round_):
    return round_.call


@pytest.fixture
def staff(client):
    client.force_login(SecretariatFactory())
    return client


def page_urls(call, run):
    return [
        reverse("reviews:assign", kwargs={"call_id": call.pk}),
        reverse("reviews:run", kwargs={"pk": run.pk}),
        reverse("reviews:progress", kwargs={"call_id": call.pk}),
    ]


def test_the_pages_are_for_the_secretariat_only(client, call):
    run = AssignmentRun.objects.create(call=call, objective="total", solver_status="optimal")
    for url in page_urls(call, run):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    for url in page_urls(call, run):
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "save"}).status_code in (403, 405)
    assert AssignmentRun.objects.get(pk=run.pk).status == "proposed"


def test_the_assignment_page_says_when_there_is_nothing_to_assign(staff, call):
    response = staff.get(reverse("reviews:assign", kwargs={"call_id": call.pk}))
    text = response.content.decode()
    assert "no submitted proposals" in text
    assert "no active reviewers" in text
    # The round's objective is chosen by default.
    assert re.search(r'value="fair"[^>]*checked', text)

    response = staff.post(
        reverse("reviews:assign", kwargs={"call_id": call.pk}), {"objective": "total"}
    )
    assert response.status_code == 400
    assert "There are no submitted proposals to assign." in response.content.decode()


def test_proposing_leads_to_the_run_page(staff, call):
    for n in range(3):
        ProposalFactory(call=call, title=f"Webinar {n}", themes=["child_labour"])
    for _ in range(3):
        ReviewerFactory(call=call, themes=["child_labour"])

    response = staff.post(
        reverse("reviews:assign", kwargs={"call_id": call.pk}), {"objective": "total"}
    )

    run = AssignmentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:run", kwargs={"pk": run.pk})
    page = staff.get(response["Location"]).content.decode()
    assert "optimal" in page
    assert "Save and notify reviewers" in page
    listed = staff.get(reverse("reviews:assign", kwargs={"call_id": call.pk})).content.decode()
    assert reverse("reviews:run", kwargs={"pk": run.pk}) in listed


@pytest.fixture
def run(call):
    """Three proposals and their reviewers with known affinities, for the run page."""
    best = ProposalFactory(call=call, title="Best served")
    worst = ProposalFactory(call=call, title="Worst served")
    middle = ProposalFactory(call=call, title="Middle served")
    r1, r2, r3 = (ReviewerFactory(call=call, max_load=2) for _ in range(3))
    current = {
        str(best.pk): [r1.pk, r2.pk],
        str(worst.pk): [r2.pk, r3.pk],
        str(middle.pk): [r1.pk, r3.pk],
    }
    affinity = {
        str(best.pk): {str(r1.pk): 3.0, str(r2.pk): 2.0},
        str(worst.pk): {str(r2.pk): 0.5},
        str(middle.pk): {str(r1.pk): 2.0, str(r3.pk): 0.5},
    }
    return AssignmentRun.objects.create(
        call=call,
        objective="total",
        solver_status="optimal",
        proposed=current,
        current=current,
        result={
            "status": "optimal",
            "total_affinity": 8.0,
            "min_proposal_affinity": 0.5,
            "affinity": affinity,
            "loads": {str(r.pk): 2 for r in (r1, r2, r3)},
            "reviewers_per_proposal": 2,
        },
    )


def test_the_run_page_lists_the_worst_served_proposals_first(staff, run):
    text = staff.get(reverse("reviews:run", kwargs={"pk": run.pk})).content.decode()
    table = text[text.index("Reviewers of each proposal") :]
    order = [table.index(t) for t in ("Worst served", "Middle served", "Best served")]
    assert order == sorted(order)
    assert "Load of each reviewer" in text


def test_changing_to_a_conflicted_reviewer_is_refused_beside_the_form(staff, call, run):
    worst = run.call.proposals.get(title="Worst served")
    conflicted = ReviewerFactory(call=call)
    Affiliation.objects.create(
        user=conflicted.user, organisation=worst.lead_organisation, status="verified"
    )
    url = reverse("reviews:run", kwargs={"pk": run.pk})
    text = staff.get(url).content.decode()
    assert f"{conflicted} (conflict)" in text

    keep = run.current[str(worst.pk)][0]
    response = staff.post(
        url,
        {"action": "change", "proposal": worst.pk, "reviewers": [keep, conflicted.pk]},
    )

    assert response.status_code == 400
    text = response.content.decode()
    form = text[text.index(f'id="proposal-{worst.pk}"') :]
    form = form[: form.index("</tr>")]
    assert "is in conflict with this proposal" in form
    run.refresh_from_db()
    assert run.current == run.proposed


def test_a_change_that_overloads_is_kept_with_a_warning(staff, call, run):
    best = run.call.proposals.get(title="Best served")
    worst = run.call.proposals.get(title="Worst served")
    r1 = run.current[str(best.pk)][0]  # r1 already reviews two proposals (max 2)
    keep = run.current[str(worst.pk)][0]
    url = reverse("reviews:run", kwargs={"pk": run.pk})

    response = staff.post(
        url, {"action": "change", "proposal": worst.pk, "reviewers": [r1, keep]}, follow=True
    )

    assert response.redirect_chain[-1][0].endswith(f"#proposal-{worst.pk}")
    text = response.content.decode()
    assert "over their maximum of 2" in text
    assert "over the maximum" in text  # the load table
    assert "changed by hand" in text
    run.refresh_from_db()
    assert sorted(run.current[str(worst.pk)]) == sorted([r1, keep])


def test_saving_notifies_and_makes_the_run_read_only(staff, run):
    url = reverse("reviews:run", kwargs={"pk": run.pk})
    response = staff.post(url, {"action": "save"}, follow=True)

    text = response.content.decode()
    assert "3 reviewers are notified" in text
    assert "Save and notify reviewers" not in text
    assert "Change reviewers" not in text
    assert Assignment.objects.count() == 6
    assert OutboxMessage.objects.filter(kind="reviews.assignment").count() == 3
    response = staff.post(url, {"action": "save"}, follow=True)
    assert "already saved" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="reviews.assignment").count() == 3


def test_an_infeasible_run_shows_its_reasons_and_cannot_be_saved(staff, call):
    proposal = ProposalFactory(call=call, title="Nobody free")
    reviewer = ReviewerFactory(call=call)
    run = AssignmentRun.objects.create(
        call=call,
        objective="total",
        solver_status="infeasible",
        result={
            "status": "infeasible",
            "uncovered": {
                str(proposal.pk): f"needs 2 reviewers, only 1 is free of conflicts: r{reviewer.pk}"
            },
            "reason": "",
        },
    )
    text = staff.get(reverse("reviews:run", kwargs={"pk": run.pk})).content.decode()
    assert "no assignment possible" in text
    assert "Nobody free" in text
    assert f"free of conflicts: {reviewer}" in text
    assert "Save and notify reviewers" not in text
    staff.post(reverse("reviews:run", kwargs={"pk": run.pk}), {"action": "save"})
    assert not Assignment.objects.exists()


def test_the_progress_board_highlights_late_reviews_and_reassignments(staff, call, round_):
    round_.closes_at = timezone.now() + timedelta(days=1)
    round_.save()
    done = ProposalFactory(call=call, title="All reviewed")
    behind = ProposalFactory(call=call, title="Behind schedule")
    quick, slow = ReviewerFactory(call=call), ReviewerFactory(call=call)
    Assignment.objects.create(reviewer=quick, proposal=done)
    ReviewFactory(reviewer=quick, proposal=done)
    Assignment.objects.create(reviewer=slow, proposal=done)
    ReviewFactory(reviewer=slow, proposal=done)
    Assignment.objects.create(reviewer=slow, proposal=behind)
    ReviewFactory(reviewer=slow, proposal=behind, status="draft", submitted_at=None)
    gone = ReviewerFactory(call=call, status=Reviewer.Status.REMOVED)
    Assignment.objects.create(reviewer=gone, proposal=behind, status="reassign")

    text = staff.get(reverse("reviews:progress", kwargs={"call_id": call.pk})).content.decode()

    assert "closes within three days" in text
    behind_row = text[text.index("Behind schedule") :]
    behind_row = behind_row[: behind_row.index("</tr>")]
    assert "0 / 1" in behind_row
    assert "draft" in behind_row and ">late<" in behind_row
    assert "to be reassigned" in behind_row and "Reassignment needed" in behind_row
    assert "1 reviewer missing" in behind_row
    done_row = text[text.index("All reviewed") :]
    done_row = done_row[: done_row.index("</tr>")]
    assert "2 / 2" in done_row and "late" not in done_row
    by_reviewer = text[text.index('id="by-reviewer"') :]
    slow_row = by_reviewer[by_reviewer.index(str(slow)) :]
    slow_row = slow_row[: slow_row.index("</tr>")]
    assert "1 / 2" in slow_row and "1 late" in slow_row
