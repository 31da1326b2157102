"""Issue 6's "Done when", on the demo data, in Chromium: the secretariat plans, adjusts and
publishes the timetable of the demo's selected call; anonymous readers in three time zones see
the moved webinar at their own time on the series page and on its page; the series feed parses
with vobject (not the library that wrote it); the host finds the published time on their page.

Every expected time is computed here from the webinar's ``starts_at``, independently of the
pages' code."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.outbox.models import OutboxMessage
from deepdive.series.models import Call
from deepdive.timetable.models import TimetableRules
from deepdive.timetable.queries import hosts_of
from deepdive.webinars.models import RepeatSession, Webinar

from .conftest import SCREENSHOTS, log_in

PASSWORD = "demo-pass-123"
SLUG = "2026-round-selected"
CALL_TITLE = "Second round: selected webinars"
HOST = "host@example.org"
JOINING = "https://meet.example.org/deepdive-demo-members-only-room"

READERS = [
    # zone, short name for the screenshots. Chromium (ICU) may report Nepal's zone by its old
    # name, Asia/Katmandu.
    ("America/Mexico_City", "mexico"),
    ("Asia/Kathmandu", "kathmandu"),
    ("Pacific/Fiji", "fiji"),
]


@pytest.fixture
def demo_call(page):
    load_demo(password=PASSWORD)
    return Call.objects.select_related("series").get(slug=SLUG)


def label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}:?$")


def offset(local: datetime) -> str:
    raw = local.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:]}"


def hours(start: datetime, end: datetime) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def new_time(webinar: Webinar, others: list[Webinar], rules: TimetableRules) -> datetime:
    """A start for ``webinar`` in the reference zone that keeps the rules: another allowed date
    (period, weekday, not a blackout, within the host's availability), far enough from the
    other webinars when one is, at the hour the optimiser chose."""
    zone = ZoneInfo(rules.reference_timezone)
    current = webinar.planned_start.astimezone(zone)
    blackout = {item["date"] for item in rules.blackout}
    others_dates = [other.planned_start.astimezone(zone).date() for other in others]

    def allowed(day: date) -> bool:
        iso = day.isoformat()
        return (
            day != current.date()
            and day.isoweekday() in rules.weekdays
            and iso not in blackout
            and iso not in webinar.unavailable
            and (not webinar.available or any(a <= iso <= b for a, b in webinar.available))
        )

    span = (rules.last_date - rules.first_date).days
    days = [rules.first_date + timedelta(days=n) for n in range(span + 1)]
    days = [day for day in days if allowed(day)]
    assert days, "the host has no other allowed date"
    clear = [
        day
        for day in days
        if all(abs((day - other).days) >= rules.min_days_between for other in others_dates)
    ]
    day = (clear or days)[0]
    return datetime.combine(day, current.time().replace(second=0, microsecond=0), tzinfo=zone)


def test_the_demo_timetable_is_planned_published_and_read_in_three_zones(
    browser, live_server, page, demo_call, screenshot
):
    call = demo_call
    series = call.series
    rules = TimetableRules.objects.get(call=call)
    paris = ZoneInfo(rules.reference_timezone)

    # --- the secretariat plans ---------------------------------------------------------------
    log_in(page, "secretariat@example.org", PASSWORD)
    page.get_by_role("link", name="Manage", exact=True).click()
    page.get_by_role("link", name="Series, calls and their proposals").click()
    expect(page.get_by_role("heading", level=1, name="Series and calls")).to_be_visible()
    page.get_by_role("link", name=f"Timetable — {CALL_TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Timetable of {CALL_TITLE}")
    expect(page.get_by_role("heading", name="The plan")).to_be_visible()
    expect(page.get_by_text("The optimiser has not run yet.")).to_be_visible()

    page.get_by_role("button", name="Run the optimiser").click()
    expect(page.get_by_text("The optimiser placed the webinars.")).to_be_visible()
    plan = page.get_by_role(
        "table", name="The working plan: each webinar's start, reach and conflicts"
    )
    rows = plan.locator("tbody tr")
    expect(rows).to_have_count(6)
    webinars = list(Webinar.objects.filter(proposal__call=call).select_related("proposal"))
    assert len(webinars) == 6
    for webinar in webinars:
        row = rows.filter(has_text=webinar.title)
        expect(row).to_have_count(1)
        expect(row.locator("td.num")).to_have_text(re.compile(r"^\d+%$"))
    expect(
        page.get_by_text("Naive plan (every webinar at the same hour, in order)")
    ).to_be_visible()
    expect(page.get_by_text("Gain over the naive plan")).to_be_visible()
    naive = page.get_by_role("table", name=re.compile("^The naive plan"))
    expect(naive.locator("tbody tr")).to_have_count(6)
    screenshot("demo-timetable-plan")

    # --- moves the host's webinar by hand: preview, then save --------------------------------
    webinars = list(Webinar.objects.filter(proposal__call=call).select_related("proposal"))
    moved = next(w for w in webinars if HOST in {u.email for u in hosts_of(w)})
    others = [w for w in webinars if w.pk != moved.pk]
    assert all(w.planned_start for w in webinars)
    target = new_time(moved, others, rules)
    row = rows.filter(has_text=moved.title)
    row.get_by_label(label("Date")).fill(target.date().isoformat())
    row.get_by_label(label("Time")).fill(f"{target:%H:%M}")
    row.get_by_role("button", name=re.compile("Preview the move")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Move “{moved.title}”")
    preview = page.get_by_role("region", name="If it moves here")
    expect(preview).to_contain_text(f"{target:%H:%M} (Europe/Paris, {offset(target)})")
    expect(preview).to_contain_text(re.compile(r"\d+%"))
    page.get_by_role("button", name="Save this time").click()
    expect(page.get_by_text(f"“{moved.title}” is moved")).to_be_visible()
    moved.refresh_from_db()
    assert moved.planned_start == target

    # --- gives the members-only webinar its joining link (never in the public feed) ----------
    page.get_by_role("link", name=moved.title, exact=True).click()
    expect(page.get_by_label("For Alliance members only")).to_be_checked()
    page.get_by_label(label("Joining link")).fill(JOINING)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The webinar's timetable facts are saved.")).to_be_visible()

    # --- publishes ---------------------------------------------------------------------------
    expect(
        page.get_by_text("6 webinars will be published and their hosts notified.")
    ).to_be_visible()
    page.get_by_role("button", name="Publish the timetable").click()
    expect(
        page.get_by_text(
            "The timetable is published; the hosts and registrants concerned are notified."
        )
    ).to_be_visible()
    expect(page.get_by_text("Everything is published as planned")).to_be_visible()
    published_table = page.get_by_role("table", name=re.compile("^The webinars to place"))
    expect(
        published_table.get_by_text(
            f"{target:%a} {target.day} {target:%b %Y}, {target:%H:%M} "
            f"(Europe/Paris, {offset(target)})"
        )
    ).to_be_visible()
    screenshot("demo-timetable-published")

    moved.refresh_from_db()
    assert moved.starts_at == target
    assert moved.sequence == 0
    assert moved.members_only and moved.joining_url == JOINING
    # each host of each webinar has an e-mail with a calendar invitation
    webinar_type = ContentType.objects.get_for_model(Webinar)
    for webinar in webinars:
        hosts = hosts_of(webinar)
        assert hosts, webinar.title
        for host in hosts:
            message = OutboxMessage.objects.get(
                kind="published",
                to_email=host.email,
                content_type=webinar_type,
                object_id=str(webinar.pk),
            )
            types = [a["content_type"] for a in message.attachments]
            assert any(t.startswith("text/calendar") for t in types), (host.email, types)
    invitation = OutboxMessage.objects.get(
        kind="published", to_email=HOST, object_id=str(moved.pk)
    ).attachments[0]
    parsed = vobject.readOne(invitation["content"])
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.dtstart.value == moved.starts_at
    assert parsed.vevent.uid.value == moved.uid

    # --- anonymous readers in three time zones -----------------------------------------------
    # The demo's other published webinars: the pilot's (past) and its published call's.
    elsewhere = Webinar.objects.filter(
        proposal__call__series=series, published_at__isnull=False, starts_at__isnull=False
    ).exclude(proposal__call=call)
    upcoming_elsewhere = elsewhere.filter(starts_at__gte=timezone.now()).count()
    repeats_elsewhere = RepeatSession.objects.filter(
        webinar__in=elsewhere, starts_at__isnull=False, cancelled_at__isnull=True
    ).count()
    start, end = moved.starts_at, moved.ends_at
    in_paris, end_paris = start.astimezone(paris), end.astimezone(paris)
    for zone, short in READERS:
        local, local_end = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
        shown = re.escape(zone.replace("_", " ")).replace("Kathmandu", "Kath?mandu")
        context = browser.new_context(base_url=live_server.url, timezone_id=zone, locale="en-GB")
        context.set_default_timeout(10_000)
        reader = context.new_page()
        try:
            # The first visit is drawn in UTC; the script sends the zone and draws it again.
            reader.goto(series.get_absolute_url())
            expect(reader.locator("#timezone-note")).to_contain_text(
                re.compile(shown.replace(" ", "_"))
            )
            upcoming = reader.get_by_role("list", name="Upcoming webinars")
            expect(upcoming.get_by_role("listitem")).to_have_count(6 + upcoming_elsewhere)
            past = reader.get_by_role("list", name="Past webinars")
            expect(past.get_by_role("listitem")).to_have_count(3)
            card = upcoming.locator("article").filter(has_text=moved.title)
            expect(card).to_contain_text(f"{local:%a} {local.day} {local:%b %Y}")
            expect(card).to_contain_text(hours(local, local_end))
            expect(card).to_contain_text(
                re.compile(f"Your time: {shown}, {re.escape(offset(local))}")
            )
            expect(card).to_contain_text(
                f"In Europe/Paris: {in_paris:%a} {in_paris.day} {in_paris:%b}, "
                f"{hours(in_paris, end_paris)} ({offset(in_paris)})"
            )
            expect(card).not_to_contain_text(JOINING)
            shoot(reader, f"demo-programme-{short}")

            card.get_by_role("link", name=moved.title).click()
            expect(reader.get_by_role("heading", level=1, name=moved.title)).to_be_visible()
            when = reader.get_by_role("region", name="When")
            expect(when.locator(".webinar-date")).to_have_text(
                f"{local:%A} {local.day} {local:%B %Y}"
            )
            big = when.locator(".webinar-hours")
            expect(big).to_contain_text(hours(local, local_end))
            expect(when).to_contain_text(
                re.compile(f"In your time zone, {shown} \\({re.escape(offset(local))}\\)")
            )
            # large print: the hours stand out from the text around them
            sizes = big.evaluate(
                "e => [parseFloat(getComputedStyle(e).fontSize),"
                " parseFloat(getComputedStyle(document.body).fontSize)]"
            )
            assert sizes[0] >= 1.5 * sizes[1], sizes
            expect(reader.get_by_text(JOINING)).to_have_count(0)
            shoot(reader, f"demo-webinar-{short}")
        finally:
            context.close()

    # --- the series feed, read by another iCalendar parser ----------------------------------
    page.goto(series.get_absolute_url())
    feed_link = page.get_by_role("link", name="Download the calendar file (.ics)")
    href = feed_link.get_attribute("href")
    assert href == f"/series/{series.slug}/calendar.ics"
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text()
    assert JOINING not in text
    feed = vobject.readOne(text)
    events = feed.vevent_list
    # the pilot's 3 past webinars, the 6 just published and the demo's other published ones,
    # each repeat session its own event
    expected = 6 + elsewhere.count() + repeats_elsewhere
    assert len(events) == expected
    by_uid = {event.uid.value: event for event in events}
    assert len(by_uid) == expected
    event = by_uid[moved.uid]
    assert event.dtstart.value == moved.starts_at
    assert event.dtend.value == moved.ends_at
    assert event.summary.value == moved.title
    assert int(event.sequence.value) == 0
    for webinar in Webinar.objects.filter(proposal__call=call, members_only=True).exclude(
        joining_url=""
    ):
        assert webinar.joining_url not in text

    # --- the host finds the published time on their page -----------------------------------
    page.context.clear_cookies()
    log_in(page, HOST, PASSWORD)
    page.get_by_role("link", name="My page").click()
    hosted = page.get_by_role("region", name="Webinars you host")
    expect(hosted).to_be_visible()
    host_zone = User.objects.get(email=HOST).timezone
    local = moved.starts_at.astimezone(ZoneInfo(host_zone))
    entry = hosted.get_by_role("listitem").filter(has_text=moved.title)
    expect(entry).to_contain_text(
        f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} "
        f"({host_zone.replace('_', ' ')}, {offset(local)})"
    )
    expect(entry.get_by_role("link", name="public page")).to_have_attribute(
        "href", moved.get_absolute_url()
    )
    screenshot("demo-host-dashboard")
