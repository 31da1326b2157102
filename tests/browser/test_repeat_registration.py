"""A webinar with a repeat session, in Chromium: a member chooses the repeat session on the
webinar's page, then changes to the first session from their registration's own (signed)
page. The pages pass axe and stay readable on a phone (375 px)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar
from playwright.sync_api import expect

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Registration
from tests.accounts.factories import PASSWORD
from tests.webinars.factories import (
    ProposalFactory,
    PublishedWebinarFactory,
    RepeatSessionFactory,
    member,
)

from .conftest import log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def check_axe(page) -> None:
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()


def uid_of(message: OutboxMessage, method: str) -> str:
    [attachment] = message.attachments
    calendar = Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == method
    [event] = calendar.walk("VEVENT")
    return str(event["UID"])


@pytest.fixture
def webinar(reference_data):
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(title="Fair recruitment across the Pacific"), members_only=True
    )
    RepeatSessionFactory(webinar=webinar)
    return webinar


def test_a_member_chooses_the_repeat_then_changes_to_the_first_session(page, webinar, screenshot):
    person = member(email="sione@example.net")
    log_in(page, person.email, PASSWORD)
    page.goto(webinar.get_absolute_url())
    expect(page.get_by_text("Repeat session").first).to_be_visible()

    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Choose the session that suits you.")).to_be_visible()
    check_axe(page)
    choice = page.get_by_role("group", name=re.compile(r"Which session suits you\?"))
    choice.get_by_role("radio", name=re.compile(r"^\s*Repeat session")).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Your session: Repeat session.")).to_be_visible()
    registration = Registration.objects.get(user=person)
    assert registration.repeat == webinar.repeat
    invitation = OutboxMessage.objects.get(to_email=person.email, kind="registered")
    assert uid_of(invitation, "REQUEST") == webinar.repeat.uid

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("repeat-webinar-page-375")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="See or change my registration").click()
    expect(page.get_by_role("heading", name="Change of session")).to_be_visible()
    check_axe(page)
    page.get_by_role("radio", name=re.compile(r"^\s*First session")).check()
    page.get_by_role("button", name="Change my session").click()
    expect(page.get_by_text("Your session is changed.")).to_be_visible()

    registration.refresh_from_db()
    assert registration.repeat is None
    cancel = OutboxMessage.objects.get(to_email=person.email, kind="session_changed")
    assert uid_of(cancel, "CANCEL") == webinar.repeat.uid
    new = OutboxMessage.objects.filter(to_email=person.email, kind="registered").latest("pk")
    assert uid_of(new, "REQUEST") == webinar.uid

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_axe(page)
    screenshot("repeat-registration-mine-375")


def test_the_webinar_page_shows_both_sessions_around_the_world(page, webinar, screenshot):
    page.goto(webinar.get_absolute_url())

    first = page.get_by_role("table", name=re.compile(r"^First session: its time"))
    repeat = page.get_by_role("table", name=re.compile(r"^Repeat session: its time"))
    expect(first).to_be_visible()
    expect(repeat).to_be_visible()
    for table in (first, repeat):
        expect(table.locator("tr.is-reader")).to_have_count(1)  # the reader's zone, marked
        expect(table.get_by_role("rowheader", name="Europe/Paris")).to_have_count(1)
    reader_times = [
        table.locator("tr.is-reader td.convert-time").inner_text() for table in (first, repeat)
    ]
    assert reader_times[0] != reader_times[1]  # each table its own session's time
    for name in ("Google Calendar", "Outlook on the web", "Calendar file"):
        expect(
            page.get_by_role("link", name=re.compile(rf"^{name}.*First session"))
        ).to_be_visible()
        expect(
            page.get_by_role("link", name=re.compile(rf"^{name}.*Repeat session"))
        ).to_be_visible()
    check_axe(page)

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    repeat.scroll_into_view_if_needed()
    screenshot("repeat-webinar-world-times-375")
