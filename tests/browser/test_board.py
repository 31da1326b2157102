"""The secretariat's board of a series in Chromium: opened from the manage home, it shows what
each webinar still misses, filters to those missing something, and reminds a host; it passes
axe and stays readable on a phone (375 px)."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import AgendaItem, Speaker, Webinar
from tests.accounts.factories import PASSWORD, AffiliationFactory, SecretariatFactory
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    paris,
)

from .conftest import log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def series_board(reference_data):
    call = CallFactory()
    cocoa = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Cocoa and child labour"),
        starts_at=paris(NEXT_YEAR, 1, 12, 14, 0),
        capacity=30,
        submitted_at=timezone.now(),
    )
    host = ReaderFactory(email="host.cocoa@example.org", language="en")
    AffiliationFactory(
        user=host,
        organisation=cocoa.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    RegistrationFactory.create_batch(3, webinar=cocoa)
    fishing = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Fishing fleets"),
        starts_at=paris(NEXT_YEAR, 1, 19, 10, 0),
        state=Webinar.State.READY,
        descriptions={"en": "Crews at sea."},
        languages_spoken=["en"],
        platform=Webinar.Platform.TEAMS,
        test_call_on=date(NEXT_YEAR, 1, 12),
    )
    AgendaItem.objects.create(webinar=fishing, title="Talks", minutes=60)
    Speaker.objects.create(webinar=fishing, name="Ama Mensah", consents_to_listing=True)
    Speaker.objects.create(
        webinar=fishing, name="Lea Roth", role=Speaker.Role.MODERATOR, consents_to_listing=True
    )
    return SecretariatFactory(email="board@ilo.example"), call.series, host


def card(page, title: str):
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))


def test_the_secretariat_reads_the_board_filters_and_reminds_a_host(page, series_board, screenshot):
    secretariat, series, host = series_board
    log_in(page, secretariat.email, PASSWORD)

    page.goto("/manage/")
    page.get_by_role("link", name=f"Webinars of {series.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Webinars of {series.title}")

    cocoa = card(page, "Cocoa and child labour")
    expect(cocoa.get_by_text("Name the moderator.")).to_be_visible()
    expect(cocoa.get_by_text("Submitted, waiting for approval")).to_be_visible()
    expect(cocoa.get_by_text("3 registered of 30 seats")).to_be_visible()
    expect(cocoa.get_by_text(re.compile(r"12 Jan \d{4}, 14:00 \(Europe/Paris"))).to_be_visible()
    fishing = card(page, "Fishing fleets")
    expect(fishing.get_by_text("Nothing", exact=True)).to_be_visible()
    expect(fishing.get_by_role("button", name=re.compile("Remind the host now"))).to_have_count(0)

    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()

    page.get_by_label("Shows").select_option(label="Something missing")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="1 webinar of 2")).to_be_visible()
    expect(card(page, "Fishing fleets")).to_have_count(0)
    expect(page.get_by_label("Shows")).to_have_value("missing")

    card(page, "Cocoa and child labour").get_by_role("button", name="Remind the host now").click()
    expect(page.get_by_text("Reminder sent to 1 host of “Cocoa and child labour”.")).to_be_visible()
    expect(page.get_by_label("Shows")).to_have_value("missing")  # back to the same filters
    [message] = OutboxMessage.objects.filter(to_email=host.email)
    assert "Name the moderator." in message.body_text

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/manage/series/{series.slug}/webinars/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    heading = card(page, "Cocoa and child labour").get_by_role("heading")
    heading.scroll_into_view_if_needed()
    box = heading.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375  # nothing cut sideways
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()
    screenshot("board-375")


def test_the_secretariat_sets_the_seats_from_the_board(page, series_board, screenshot):
    secretariat, series, _host = series_board
    log_in(page, secretariat.email, PASSWORD)
    page.goto(f"/manage/series/{series.slug}/webinars/")

    card(page, "Cocoa and child labour").get_by_role("link", name="Seats").click()
    page.get_by_label("Seats in each session").fill("2")
    page.get_by_role("button", name="Save the seats").click()
    expect(page.get_by_text("3 people already hold a seat")).to_be_visible()
    expect(page.get_by_label("Seats in each session")).to_have_value("2")
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()

    page.get_by_label("Seats in each session").fill("3")
    page.get_by_role("button", name="Save the seats").click()
    expect(
        card(page, "Cocoa and child labour").get_by_text("3 registered of 3 seats")
    ).to_be_visible()
    screenshot("board-seats")
