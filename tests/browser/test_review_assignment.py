"""The secretariat assigns reviewers in Chromium: proposes an assignment, reads it, changes one
proposal's reviewers (a conflicted choice is refused beside the form), and saves it."""

import pytest
from playwright.sync_api import expect

from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.reviews.models import Assignment, AssignmentRun
from tests.reviews.factories import (
    OrganisationFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewerUserFactory,
    ReviewRoundFactory,
    SecretariatFactory,
)

from .conftest import log_in

PASSWORD = "a-Long-pass-2027"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretariat(page):
    return SecretariatFactory(email="secretariat@example.org", password=PASSWORD)


@pytest.fixture
def call(page):
    round_ = ReviewRoundFactory(
        call__title="Call for proposals 2027", reviewers_per_proposal=2, default_max_load=3
    )
    call = round_.call
    cocoa_union = OrganisationFactory(name="Cocoa Workers' Union")
    ProposalFactory(
        call=call,
        title="Remediation in cocoa",
        lead_organisation=cocoa_union,
        themes=["child_labour"],
        sectors=["cocoa"],
        countries=["GH"],
    )
    ProposalFactory(
        call=call,
        title="Artisanal mining and children",
        themes=["child_labour"],
        sectors=["mining"],
        countries=["PE"],
        language="es",
    )
    ProposalFactory(
        call=call,
        title="Abuse on fishing vessels",
        themes=["forced_labour"],
        sectors=["fishing"],
        countries=["NP"],
    )
    people = [
        ("Carla Conflicted", ["child_labour"], ["cocoa"], ["africa"], ["en"]),
        ("Amadou Diop", ["child_labour"], ["cocoa"], ["africa"], ["en", "fr"]),
        ("Lucía Pérez", ["child_labour"], ["mining"], ["americas"], ["es", "en"]),
        ("Ram Thapa", ["forced_labour"], ["fishing"], ["asia_pacific"], ["en"]),
    ]
    for name, themes, sectors, regions, languages in people:
        ReviewerFactory(
            call=call,
            user=ReviewerUserFactory(name=name),
            themes=themes,
            sectors=sectors,
            regions=regions,
            languages=languages,
        )
    carla = call.reviewers.get(user__name="Carla Conflicted")
    Affiliation.objects.create(user=carla.user, organisation=cocoa_union, status="verified")
    return call


def tick_only(reviewers, names: list[str]) -> None:
    """Tick the reviewers whose label starts with one of ``names``, untick the others."""
    boxes = reviewers.get_by_role("checkbox")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = box.evaluate("box => box.labels[0].textContent.trim()")
        box.set_checked(any(label.startswith(name) for name in names))


def test_secretariat_proposes_changes_and_saves_an_assignment(page, secretariat, call, screenshot):
    log_in(page, "secretariat@example.org", PASSWORD)
    page.goto(f"/manage/calls/{call.pk}/assignment/")
    expect(
        page.get_by_role("heading", name="Reviewer assignment: Call for proposals 2027")
    ).to_be_visible()
    page.get_by_label("best total match").check()
    page.get_by_role("button", name="Propose an assignment").click()

    expect(page.get_by_role("heading", name="Proposed assignment", level=1)).to_be_visible()
    expect(page.get_by_text("optimal", exact=True)).to_be_visible()
    proposals_table = page.get_by_role("table").filter(has_text="Worst-served proposals first")
    expect(proposals_table.get_by_role("rowheader")).to_have_count(3)
    expect(
        page.get_by_role("table").filter(has_text="Proposals each reviewer gets")
    ).to_be_visible()
    run = AssignmentRun.objects.get()
    cocoa = call.proposals.get(title="Remediation in cocoa")
    carla = call.reviewers.get(user__name="Carla Conflicted")
    assert carla.pk not in run.current[str(cocoa.pk)]
    screenshot("review-assignment-proposed")

    # Carla's organisation proposes the cocoa webinar: choosing her is refused.
    row = page.locator(f"#proposal-{cocoa.pk}")
    row.get_by_text("Change reviewers", exact=True).first.click()
    reviewers = row.get_by_role("group", name="Reviewers of “Remediation in cocoa”")
    expect(reviewers.get_by_label("Carla Conflicted (conflict)")).to_have_count(1)
    keep = run.current[str(cocoa.pk)][0]
    tick_only(reviewers, [str(carla), str(call.reviewers.get(pk=keep))])
    row.get_by_role("button", name="Change reviewers").click()
    row = page.locator(f"#proposal-{cocoa.pk}")
    expect(row.get_by_text("Carla Conflicted is in conflict with this proposal")).to_be_visible()
    screenshot("review-assignment-conflict-refused")

    # Two reviewers free of conflicts: accepted, marked as changed by hand.
    others = [
        r.pk for r in call.reviewers.exclude(pk=carla.pk) if r.pk not in run.current[str(cocoa.pk)]
    ]
    reviewers = row.get_by_role("group", name="Reviewers of “Remediation in cocoa”")
    tick_only(reviewers, [str(call.reviewers.get(pk=pk)) for pk in (keep, others[0])])
    row.get_by_role("button", name="Change reviewers").click()
    expect(page.get_by_text("are changed (not saved yet)")).to_be_visible()
    expect(page.locator(f"#proposal-{cocoa.pk}").get_by_text("changed by hand")).to_be_visible()

    page.get_by_role("button", name="Save and notify reviewers").click()
    expect(page.get_by_text("The assignment is saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Saved assignment")).to_be_visible()
    expect(page.get_by_role("button", name="Save and notify reviewers")).to_have_count(0)
    screenshot("review-assignment-saved")

    pairs = set(Assignment.objects.values_list("reviewer_id", "proposal_id"))
    assert (others[0], cocoa.pk) in pairs and (carla.pk, cocoa.pk) not in pairs
    assert OutboxMessage.objects.filter(kind="reviews.assignment").count() == len(
        {r for r, _p in pairs}
    )

    page.get_by_role("link", name="Review progress").first.click()
    expect(
        page.get_by_role("heading", name="Review progress: Call for proposals 2027")
    ).to_be_visible()
    expect(page.get_by_text("not started").first).to_be_visible()
    screenshot("review-progress")
