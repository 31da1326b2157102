"""The attendee's journey in Chromium, with the calendar files read by ``icalendar``: a member
registers on the webinar's page and gets their invitation (METHOD:REQUEST); the secretariat
moves the webinar on the timetable and publishes, and the update arrives with a higher
SEQUENCE and the new time; the member cancels from their own page (the signed link) and gets
METHOD:CANCEL with the same UID. The secretariat cancels another webinar with a reason and its
registrant gets METHOD:CANCEL. Every page visited passes axe; the member's page reads at 375 px.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration, Webinar
from tests.accounts.factories import PASSWORD, SecretariatFactory
from tests.proposals.factories import CallFactory
from tests.timetable.conftest import make_webinar
from tests.webinars.factories import ReaderFactory, member, rules_for

from .conftest import SCREENSHOTS, log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PARIS = ZoneInfo("Europe/Paris")


def check_axe(page) -> None:
    axe = Axe().run(page, options=WCAG)
    assert not axe.violations_count, axe.generate_report()


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}:?$")


def last_calendar(address: str, method: str):
    """The event of the last e-mail to ``address`` whose calendar part has ``method``."""
    messages = OutboxMessage.objects.filter(to_email=address).order_by("-pk")
    for message in messages:
        parts = [
            part
            for part in message.attachments
            if part["content_type"] == f"text/calendar; method={method}"
        ]
        if parts:
            calendar = Calendar.from_ical(parts[0]["content"])
            assert calendar["METHOD"] == method
            [event] = calendar.walk("VEVENT")
            return event
    raise AssertionError(f"no {method} calendar e-mail to {address}")


def paris_at(day: int, hour: int) -> datetime:
    """``day`` days from today at ``hour``:00 in Paris, in UTC."""
    local = (timezone.now() + timedelta(days=day)).astimezone(PARIS)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0).astimezone(UTC)


def published(webinar: Webinar, start: datetime) -> Webinar:
    Webinar.objects.filter(pk=webinar.pk).update(
        planned_start=start, starts_at=start, published_at=timezone.now(), members_only=True
    )
    webinar.refresh_from_db()
    return webinar


@pytest.fixture
def programme(reference_data):
    call = CallFactory(title="Deep dive 2027")
    rules_for(call, "Europe/Paris")
    fisheries = published(
        make_webinar(call, title="Decent work in fisheries", audience={"Africa/Abidjan": 100}),
        paris_at(20, 14),
    )
    cocoa = published(
        make_webinar(call, title="Cocoa in West Africa", audience={"Africa/Abidjan": 100}),
        paris_at(30, 14),
    )
    return call, fisheries, cocoa


def test_a_member_registers_gets_updated_and_cancels(page, browser, live_server, programme):
    call, fisheries, cocoa = programme
    lucia = member(email="lucia@example.net", name="Lucía Ramos")
    secretariat = SecretariatFactory(email="planner@ilo.example")

    # A signed-in member registers on the webinar's page.
    log_in(page, lucia.email, PASSWORD)
    page.goto(fisheries.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Decent work in fisheries")
    check_axe(page)
    take_part = page.get_by_role("region", name="Take part")
    take_part.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered for this webinar.")).to_be_visible()
    check_axe(page)

    invitation = last_calendar(lucia.email, "REQUEST")
    assert str(invitation["UID"]) == fisheries.uid
    assert str(invitation["ATTENDEE"]) == "mailto:lucia@example.net"
    assert invitation["SEQUENCE"] == 0
    assert invitation.decoded("DTSTART") == fisheries.starts_at

    # The secretariat moves it on the timetable and publishes.
    office = browser.new_context(
        base_url=live_server.url, timezone_id="Europe/Paris", locale="en-GB"
    )
    office.set_default_timeout(10_000)
    desk = office.new_page()
    log_in(desk, secretariat.email, PASSWORD)
    desk.goto(f"/manage/calls/{call.pk}/timetable/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Timetable of Deep dive 2027")
    check_axe(desk)
    new_start = paris_at(21, 10)
    move = desk.get_by_role("form", name="Move “Decent work in fisheries”")
    move.get_by_label(label("Date")).fill(new_start.astimezone(PARIS).strftime("%Y-%m-%d"))
    move.get_by_label(label("Time")).fill("10:00")
    move.get_by_role("button", name=re.compile("Preview the move")).click()
    expect(desk.get_by_role("heading", name="If it moves here")).to_be_visible()
    check_axe(desk)
    desk.get_by_role("button", name="Save this time").click()
    expect(desk.get_by_text("“Decent work in fisheries” is moved")).to_be_visible()
    expect(desk.get_by_text("1 changed time: its hosts and 1 registrants")).to_be_visible()
    desk.get_by_role("button", name="Publish the timetable").click()
    expect(desk.get_by_text("Everything is published as planned")).to_be_visible()

    update = last_calendar(lucia.email, "REQUEST")
    assert str(update["UID"]) == fisheries.uid
    assert update["SEQUENCE"] > invitation["SEQUENCE"]
    assert update.decoded("DTSTART") == new_start

    # She cancels from her own page (the signed link), read first on a phone.
    page.goto(fisheries.get_absolute_url())
    page.get_by_role("link", name="See or change my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_axe(page)
    page.screenshot(path=_screenshot("attendee-registration-mine-375"), full_page=True)
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled.")).to_be_visible()
    check_axe(page)

    cancel = last_calendar(lucia.email, "CANCEL")
    assert str(cancel["UID"]) == fisheries.uid
    assert cancel["SEQUENCE"] > update["SEQUENCE"]
    assert Registration.objects.get(user=lucia).status == "cancelled"

    # The secretariat cancels another webinar, with a reason: its registrant is told.
    tomas = member(email="tomas@example.org", name="Tomás")
    registrations.register(actor=tomas, webinar=cocoa)
    assert str(last_calendar(tomas.email, "REQUEST")["UID"]) == cocoa.uid
    desk.goto(cocoa.get_absolute_url())
    desk.get_by_role("link", name="Cancel this webinar").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Cancel “Cocoa in West Africa”")
    check_axe(desk)
    desk.get_by_role("button", name="Cancel the webinar").click()  # no reason yet
    expect(
        desk.get_by_text("Say why the webinar is cancelled: every registrant reads it.")
    ).to_be_visible()
    assert Webinar.objects.get(pk=cocoa.pk).state != Webinar.State.CANCELLED
    check_axe(desk)
    desk.get_by_label("Reason for cancelling").fill("The speakers cannot travel.")
    desk.get_by_role("button", name="Cancel the webinar").click()
    expect(desk.get_by_text("The webinar is cancelled; its registrants are told.")).to_be_visible()
    check_axe(desk)
    office.close()

    cancelled = last_calendar(tomas.email, "CANCEL")
    assert str(cancelled["UID"]) == cocoa.uid
    told = OutboxMessage.objects.filter(to_email=tomas.email).order_by("-pk").first()
    assert "The speakers cannot travel." in told.body_text
    assert Webinar.objects.get(pk=cocoa.pk).state == Webinar.State.CANCELLED


def _screenshot(name: str) -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS / f"{name}.png")


def test_a_public_registrant_is_offered_an_account_and_then_finds_it_on_their_page(page, programme):
    call, fisheries, cocoa = programme
    Webinar.objects.filter(pk=cocoa.pk).update(members_only=False)
    cocoa.refresh_from_db()
    registration = registrations.register_public(
        webinar=cocoa, name="Ana Pérez", email="ana@example.net"
    )
    registrations.confirm(token=registrations.confirm_token(registration))

    page.goto(f"/registrations/{registrations.manage_token(registration)}/")
    expect(page.get_by_text("create an account with the same address")).to_be_visible()
    page.get_by_role("link", name="create an account").click()
    expect(page.get_by_label("Email")).to_have_value("ana@example.net")
    check_axe(page)

    # Once the address is verified in an account, the registration is among hers.
    ana = ReaderFactory(email="ana@example.net", name="Ana Pérez")
    log_in(page, ana.email, PASSWORD)
    page.goto("/my/")
    mine = page.get_by_role("region", name="Webinars you registered for")
    expect(mine.get_by_role("link", name="Cocoa in West Africa", exact=True)).to_be_visible()
    check_axe(page)
    mine.get_by_role(
        "link", name="change or cancel your registration for Cocoa in West Africa"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(page.get_by_text("create an account")).to_have_count(0)
