"""The secretariat imports a held webinar's Teams attendance report in Chromium: the file
first refused beside its field, then the dry run (attendees against registrations, hosts kept
apart, a row it could not read with its line), nothing saved until "Confirm the import"; and,
from the webinar's page, a report like the demo's, then who attended against who registered.
The pages pass axe-core and read at 375 px."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from deepdive.accounts.models import User
from deepdive.webinars.attendance import readers, samples
from deepdive.webinars.models import Attendance, Registration, RepeatSession, Webinar
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


def demo_style_webinar(webinar) -> tuple[bytes, list[str]]:
    """Five registrants (two of them will not come) and one who cancelled, then the Teams
    report the demo writes for such a webinar (``samples.for_webinar``); returns it with the
    registrants' names in the order they registered."""
    names = ["Amina Diallo", "Chidi Okafor", "Wanjiru Kamau", "Youssef Benali", "Grace Mensah"]
    for n, name in enumerate(names):
        RegistrationFactory(
            webinar=webinar,
            user=None,
            name=name,
            email=f"person{n}@example.org",
            sex="female" if n % 2 == 0 else "male",
        )
    RegistrationFactory(
        webinar=webinar,
        user=None,
        name="Carlos Cancelled",
        email="carlos@example.org",
        status=Registration.Status.CANCELLED,
    )
    Registration.objects.filter(email="ana@example.org").delete()
    return samples.for_webinar(webinar, readers.TEAMS), names


def test_the_secretariat_imports_a_demo_teams_report_and_sees_who_came(page, webinar, screenshot):
    data, names = demo_style_webinar(webinar)
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/")
    page.get_by_role("link", name="Import attendance").click()

    choose(page, "teams-attendance.csv", data)
    expect(
        page.get_by_role("heading", name="What the Microsoft Teams report contains")
    ).to_be_visible()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Attendees: 5 (registered: 3, not registered: 2)."
    )

    expect(page.get_by_role("heading", name="Who attended, against who registered")).to_be_visible()
    registrations = page.get_by_role("table", name="Registrations")
    for name in (names[0], names[2], names[3]):
        expect(registrations.get_by_role("row", name=name)).to_contain_text("yes")
    for name in (names[1], names[4]):  # the second and the last did not come
        expect(registrations.get_by_role("row", name=name)).to_contain_text("no")
    expect(registrations.get_by_role("row", name="Carlos Cancelled")).to_contain_text("cancelled")
    expect(
        page.get_by_role("table", name="Attendees who had not registered").get_by_role("row")
    ).to_have_count(3)
    expect(page.get_by_text("60% of the registered attended")).to_be_visible()
    by_sex = page.get_by_role("table", name="Attendees by sex")
    expect(by_sex.get_by_role("row", name="Female")).to_contain_text("fewer than 5")
    expect(page.get_by_role("link", name="Download this list (CSV)")).to_be_visible()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("attendance-sheet-375")
    assert Attendance.objects.filter(counted_as_host=False).count() == 5


def test_the_secretariat_imports_the_repeat_sessions_report(page, webinar, screenshot):
    repeat_start = paris(2025, 3, 12, 3)
    repeat = RepeatSession.objects.create(
        webinar=webinar, planned_start=repeat_start, starts_at=repeat_start
    )
    report = reports.webex(
        [("Ana Lopez", "ana@example.org", "03/12/2025 03:00", "03/12/2025 03:40", "40 mins")]
    )
    log_in(page, SECRETARIAT, PASSWORD)
    page.goto(f"/webinars/{webinar.pk}/attendance/")
    sessions = page.get_by_role("group", name="Which session is this report of?")
    expect(sessions.get_by_role("radio", name="First session")).to_be_checked()
    no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("attendance-session-choice-375")

    sessions.get_by_role("radio", name="Repeat session").check()
    choose(page, "webex-repeat.csv", report)
    expect(page.get_by_role("heading", name="What the Webex report contains")).to_be_visible()
    expect(page.get_by_text("is it the report of this webinar?")).to_have_count(0)
    page.get_by_role("button", name="Confirm the import").click()

    expect(page.get_by_role("status")).to_contain_text("Attendees: 1 (registered: 1")
    [row] = Attendance.objects.all()
    assert (row.repeat, row.minutes) == (repeat, 40)
