"""A host confirms hosting in Chromium with their availability, sees it, and a wrong period is
shown beside its field with the values kept."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation
from deepdive.selection.models import Decision, SelectionRun
from deepdive.webinars.models import Webinar
from tests.proposals.factories import ProposalFactory

from .conftest import log_in

EMAIL = "aissata.host@example.org"
PASSWORD = "hosting-browser-password"


def later(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def proposal(reference_data):
    proposal = ProposalFactory(
        title="Child labour monitoring in cocoa cooperatives", unavailable_dates=""
    )
    run = SelectionRun.objects.create(
        call=proposal.call, solver_status="optimal", status=SelectionRun.Status.CONFIRMED
    )
    Decision.objects.create(
        proposal=proposal,
        run=run,
        outcome=Decision.Outcome.SELECTED,
        host_status=Decision.HostStatus.PENDING,
        host_deadline=timezone.now() + timedelta(days=10),
    )
    user = User.objects.create_user(
        email=EMAIL, password=PASSWORD, name="Aïssata Koné", timezone="Africa/Abidjan"
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    Affiliation.objects.create(
        user=user, organisation=proposal.lead_organisation, status=Affiliation.Status.VERIFIED
    )
    return proposal


def field(page, period: int, label: str):
    return page.get_by_role("group", name=f"Period {period}").get_by_label(
        re.compile(rf"^{label}:?$")
    )


def test_a_host_confirms_with_their_availability(page, proposal, screenshot):
    log_in(page, EMAIL, PASSWORD)
    page.goto(f"/proposals/{proposal.pk}/hosting/")
    expect(page.get_by_role("heading", name="When can you host it?")).to_be_visible()

    # A period ending before it starts: the message beside the field, the values kept.
    field(page, 1, "I can host between").fill(later(60).isoformat())
    field(page, 1, "and").fill(later(30).isoformat())
    page.get_by_label(re.compile(r"^Dates we cannot do:?$")).fill(later(45).isoformat())
    page.get_by_role("button", name="We will host it").click()
    end = field(page, 1, "and")
    expect(end).to_have_attribute("aria-invalid", "true")
    errors = page.locator("#id_to_1_errors")
    expect(errors).to_contain_text("This period ends before it starts")
    expect(field(page, 1, "I can host between")).to_have_value(later(60).isoformat())
    expect(end).to_have_value(later(30).isoformat())
    expect(page.get_by_label(re.compile(r"^Dates we cannot do:?$"))).to_have_value(
        later(45).isoformat()
    )
    screenshot("hosting-error")
    assert Decision.objects.get(proposal=proposal).host_status == "pending"

    # One period and two dates they cannot do.
    field(page, 1, "I can host between").fill(later(30).isoformat())
    field(page, 1, "and").fill(later(60).isoformat())
    page.get_by_label(re.compile(r"^Dates we cannot do:?$")).fill(
        f"{later(40).isoformat()}\n{later(45).isoformat()}"
    )
    page.get_by_role("button", name="We will host it").click()

    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()
    expect(page.get_by_text("You have confirmed that you will host this webinar.")).to_be_visible()
    facts = page.get_by_role("region", name="Your availability")
    start, stop = (date_format(later(d), "DATE_FORMAT") for d in (30, 60))
    expect(facts).to_contain_text(f"between {start} and {stop}")
    expect(facts).to_contain_text(
        f"{date_format(later(40), 'DATE_FORMAT')}; {date_format(later(45), 'DATE_FORMAT')}"
    )
    expect(page.get_by_role("heading", name="Change your availability")).to_be_visible()
    screenshot("hosting-confirmed")
    webinar = Webinar.objects.get(proposal=proposal)
    assert webinar.available == [[later(30).isoformat(), later(60).isoformat()]]
    assert webinar.unavailable == [later(40).isoformat(), later(45).isoformat()]
