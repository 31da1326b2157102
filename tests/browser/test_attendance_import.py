"""The secretariat imports a held webinar's Teams attendance report in Chromium: the file
first refused beside its field, then the dry run (attendees against registrations, hosts kept
apart, a row it could not read with its line), nothing saved until "Confirm the import". The
pages pass axe-core and read at 375 px."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.webinars.models import Attendance, Webinar
from tests.webinars.attendance import reports
from tests.webinars.factories import ProposalFactory, RegistrationFactory, WebinarFactory, paris

from .conftest import log_in

SECRETARIAT = "secretariat.attendance@example.org"
PASSWORD = "attendance-browser-password"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def webinar(reference_data):
    start = paris(2025, 3, 10, 14)
    webinar = WebinarFactory(
        proposal=ProposalFactory(title="Decent work in supply chains"),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )
    RegistrationFactory(webinar=webinar, email="ana@example.org", name="Ana Lopez")
    user = User.objects.create_user(
        email=SECRETARIAT, password=PASSWORD, name="Sam Secretariat", is_secretariat=True
    )
    EmailAddress.objects.create(user=user, email=SECRETARIAT, verified=True, primary=True)
    return webinar


def no_axe_violations(page) -> None:
    result = Axe().run(page, options=WCAG)
    assert not result.violations_count, result.generate_report()


def teams_report() -> bytes:
    return reports.teams(
        [
            (
                "Org Person",
                "10/03/2025, 13:58:00",
                "10/03/2025, 15:00:00",
                "1h 2m",
                "org@ilo.example",
                "org@ilo.example",
                "Organizer",
            ),
            (
                "Ana Lopez",
                "10/03/2025, 14:00:00",
                "10/03/2025, 14:50:00",
                "50m 59s",
                "ana@example.org",
                "",
                "Attendee",
            ),
            (
                "Guest Visitor",
                "10/03/2025, 14:01:00",
                "10/03/2025, 14:31:30",
                "30m 30s",
                "",
                "",
                "Attendee",
            ),
            ("", "10/03/2025, 14:00:00", "10/03/2025, 14:50:00", "50m", "", "", "Attendee"),
        ]
    )


def choose(page, name: str, data: bytes) -> None:
    page.get_by_label("Attendance report:", exact=True).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Show what it contains").click()


def test_the_secretariat_previews_then_confirms_a_teams_report(page, webinar, screenshot):
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/attendance/")
    no_axe_violations(page)

    choose(page, "budget.csv", b"Item,Amount\nTea,3\n")
    expect(page.get_by_text("Line 1: this is not an attendance report")).to_be_visible()
    no_axe_violations(page)

    choose(page, "attendance.csv", teams_report())
    expect(
        page.get_by_role("heading", name="What the Microsoft Teams report contains")
    ).to_be_visible()
    attendees = page.get_by_role("table", name="Attendees")
    expect(attendees.get_by_role("row", name="Ana Lopez")).to_contain_text("registered")
    expect(attendees.get_by_role("row", name="Guest Visitor")).to_contain_text(
        "new: not registered"
    )
    hosts = page.get_by_role(
        "table", name="Hosts, panelists and speakers (not counted as attendees)"
    )
    expect(hosts.get_by_role("row", name="Org Person")).to_contain_text("62")
    unread = page.get_by_role("table", name="Rows that could not be read")
    expect(unread.get_by_role("row", name="12")).to_contain_text("no name and no e-mail address")
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("attendance-preview-375")
    assert not Attendance.objects.exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Attendees: 2 (registered: 1, not registered: 1). Hosts, panelists and speakers: 1."
    )
    assert Attendance.objects.count() == 3
