"""The public programme in Chromium, read from three time zones by anonymous readers whose
browser tells the server its zone on the first visit (static/js/timezone.js sets a cookie and
draws the page again): the times on the series page and the webinar page, the theme filter,
and the calendar file."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.outbox.models import OutboxMessage
from tests.accounts.factories import PASSWORD
from tests.proposals.factories import SpeakerFactory
from tests.webinars.factories import (
    CallFactory,
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    member,
    paris,
    rules_for,
)

from .conftest import SCREENSHOTS, log_in

YEAR = timezone.now().year + 1

READERS = [
    # zone, date on the page, hours, offset, the short name the screenshots take.
    # Chromium (ICU) still reports Nepal's zone by its old name, Asia/Katmandu.
    ("America/Mexico_City", f"12 Jan {YEAR}", "07:00–08:00", "UTC-06:00", "mexico"),
    ("Asia/Kathmandu", f"12 Jan {YEAR}", "18:45–19:45", "UTC+05:45", "kathmandu"),
    ("Pacific/Fiji", f"13 Jan {YEAR}", "01:00–02:00", "UTC+12:00", "fiji"),
]


@pytest.fixture
def programme(reference_data):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=200),
        closes_at=timezone.now() - timedelta(days=100),
    )
    rules_for(call)
    cocoa = PublishedWebinarFactory(
        proposal=ProposalFactory(
            call=call,
            title="Child labour in West African cocoa",
            description="Traceability and remediation in cocoa cooperatives.",
            themes=["child_labour"],
            outcomes=[1, 4],
            sectors=["cocoa"],
            countries=["GH"],
            language="en",
            interpretation=["fr"],
            lead_organisation=OrganisationFactory(name="Cocoa Workers' Union"),
        ),
        starts_at=paris(YEAR, 1, 12, 14, 0),
        audience={"Africa/Abidjan": 40, "Asia/Kathmandu": 20, "Pacific/Fiji": 10},
        members_only=False,
    )
    SpeakerFactory(proposal=cocoa.proposal, name="Ama Mensah", role="Researcher")
    fishing = PublishedWebinarFactory(
        proposal=ProposalFactory(
            call=call,
            title="Forced labour at sea",
            themes=["forced_labour"],
            sectors=["fishing"],
            countries=["NP"],
            language="es",
        ),
        starts_at=paris(YEAR, 2, 2, 9, 30),
        members_only=True,
    )
    PublishedWebinarFactory(
        proposal=ProposalFactory(
            call=call, title="Pilot: trafficking in supply chains", themes=["human_trafficking"]
        ),
        starts_at=timezone.now() - timedelta(days=21),
    )
    return call.series, cocoa, fishing


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("zone", "day", "hours", "offset", "short"), READERS)
def test_readers_in_three_zones_see_their_own_times(
    browser, live_server, programme, zone, day, hours, offset, short
):
    series, cocoa, fishing = programme
    context = browser.new_context(base_url=live_server.url, timezone_id=zone, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # First visit: no cookie yet, so the page is drawn in UTC, then the script sends the
        # browser's zone and draws it again.
        page.goto(series.get_absolute_url())
        shown = re.escape(zone.replace("_", " ")).replace("Kathmandu", "Kath?mandu")
        expect(page.locator("#timezone-note")).to_contain_text(re.compile(shown.replace(" ", "_")))
        assert any(c["name"] == "deepdive_tz" for c in context.cookies())

        upcoming = page.get_by_role("list", name="Upcoming webinars")
        expect(upcoming.get_by_role("link", name=cocoa.title)).to_be_visible()
        card = page.locator("article").filter(has_text=cocoa.title)
        expect(card).to_contain_text(day)
        expect(card).to_contain_text(hours)
        expect(card).to_contain_text(re.compile(f"Your time: {shown}, {re.escape(offset)}"))
        expect(card).to_contain_text("In Europe/Paris: ")
        expect(card).to_contain_text("14:00–15:00 (UTC+01:00)")
        past = page.get_by_role("list", name="Past webinars")
        expect(past.get_by_role("link", name="Pilot: trafficking in supply chains")).to_be_visible()
        shoot(page, f"programme-series-{short}")

        page.get_by_role("link", name=cocoa.title).click()
        expect(page.get_by_role("heading", level=1, name=cocoa.title)).to_be_visible()
        when = page.locator(".webinar-time")
        expect(when.locator(".webinar-date")).to_contain_text(day.replace("Jan", "January"))
        expect(when.locator(".webinar-hours")).to_have_text(hours)
        expect(when).to_contain_text(
            re.compile(f"In your time zone, {shown} \\({re.escape(offset)}\\)")
        )
        table = page.get_by_role("table", name=re.compile("The webinar's time in its audience"))
        mine = table.locator("tr.is-reader")
        expect(mine).to_contain_text(hours)
        expect(mine).to_contain_text("your time zone")
        expect(table.locator("tbody tr").filter(has_text="UTC+00:00").first).to_contain_text(
            "13:00–14:00"
        )
        shoot(page, f"programme-webinar-{short}")
    finally:
        context.close()


def test_filter_by_theme_and_download_the_calendar_file(browser, live_server, programme):
    series, cocoa, fishing = programme
    context = browser.new_context(
        base_url=live_server.url, timezone_id="Asia/Kathmandu", locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(series.get_absolute_url())
        expect(page.locator("#timezone-note")).to_contain_text(re.compile("Asia/Kath?mandu"))
        page.get_by_label(re.compile(r"^Theme:?$")).select_option(label="Forced labour")
        page.get_by_role("button", name="Show webinars").click()
        expect(page).to_have_url(re.compile(r"theme=forced_labour"))
        expect(page.get_by_role("status")).to_contain_text("1 webinar of 3 matches")
        expect(page.get_by_role("link", name=fishing.title)).to_be_visible()
        expect(page.get_by_role("link", name=cocoa.title)).to_have_count(0)
        expect(page.locator("article").filter(has_text=fishing.title)).to_contain_text(
            "members only"
        )
        shoot(page, "programme-filtered")
        page.get_by_role("link", name="Clear filters").click()
        expect(page.get_by_role("link", name=cocoa.title)).to_be_visible()

        page.get_by_role("link", name=cocoa.title).click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Calendar file (.ics)").click()
        download = download_info.value
        assert download.suggested_filename == "child-labour-in-west-african-cocoa.ics"
        content = download.path().read_bytes()
        event = vobject.readOne(content.decode("utf-8")).vevent
        assert event.uid.value == cocoa.uid
        assert event.dtstart.value == datetime(YEAR, 1, 12, 13, 0, tzinfo=UTC)
        assert event.summary.value == cocoa.title
    finally:
        context.close()


def test_the_programme_works_without_javascript(browser, live_server, programme):
    series, cocoa, fishing = programme
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 390, "height": 800},
    )
    page = context.new_page()
    try:
        page.goto(series.get_absolute_url() + "?theme=child_labour")
        card = page.locator("article").filter(has_text=cocoa.title)
        # No zone known: the page says it shows UTC.
        expect(card).to_contain_text("13:00–14:00")
        expect(card).to_contain_text("Your time: UTC, UTC+00:00")
        expect(card).to_contain_text("In Europe/Paris: ")
        expect(page.get_by_role("link", name=fishing.title)).to_have_count(0)
        # Readable on a phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "programme-series-phone")
        page.get_by_role("link", name=cocoa.title).click()
        expect(page.locator(".webinar-hours")).to_have_text("13:00–14:00")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "programme-webinar-phone")
    finally:
        context.close()


def test_a_member_registers_for_a_members_only_webinar(page, programme, screenshot):
    series, cocoa, fishing = programme
    person = member(email="reader.member@example.org")
    log_in(page, person.email, PASSWORD)
    page.goto(fishing.get_absolute_url())
    take_part = page.get_by_role("region", name="Take part")
    expect(take_part.get_by_role("link", name=fishing.joining_url)).to_have_count(0)
    take_part.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered.")
    expect(take_part).to_contain_text("You are registered for this webinar.")
    expect(take_part.get_by_role("link", name=fishing.joining_url)).to_be_visible()
    expect(take_part.get_by_role("button", name="Cancel my registration")).to_be_visible()
    screenshot("programme-registered")
    message = OutboxMessage.objects.get(to_email=person.email, kind="registered")
    assert message.attachments[0]["content_type"] == "text/calendar; method=REQUEST"
