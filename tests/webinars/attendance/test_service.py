"""Importing a held webinar's attendance: who counts as a host, matching registrations,
the dry run writing nothing, importing twice changing nothing, who may import and when."""

import pytest
from django.core.exceptions import PermissionDenied

from deepdive.core import audit
from deepdive.directory.models import Affiliation
from deepdive.webinars.attendance import service
from deepdive.webinars.models import Attendance, Registration, Speaker, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.webinars.attendance import reports
from tests.webinars.factories import (
    ProposalFactory,
    ReaderFactory,
    RegistrationFactory,
    SpeakerFactory,
    WebinarFactory,
    paris,
)

pytestmark = pytest.mark.django_db

TITLE = "Decent work in supply chains"


@pytest.fixture
def webinar():
    start = paris(2025, 3, 10, 14)
    return WebinarFactory(
        proposal=ProposalFactory(title=TITLE),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )


@pytest.fixture
def host(webinar):
    person = ReaderFactory(name="Host Person", email="host@ilo.example")
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


@pytest.fixture
def secretariat():
    return SecretariatFactory()


def stay(start: str, end: str) -> tuple[str, str]:
    return f"03/10/2025 {start}", f"03/10/2025 {end}"


def webex_report() -> bytes:
    return reports.webex(
        [
            ("Host Person", "host@ilo.example", *stay("13:55", "15:00"), "65 mins", "Attendee"),
            ("Kofi Mensah", "kofi@example.org", *stay("13:58", "15:00"), "62 mins", "Attendee"),
            ("Ana Lopez", "Ana@Example.org", *stay("14:00", "14:45"), "45 mins", "Attendee"),
            ("Ana Lopez", "ana@example.org", *stay("14:30", "14:50"), "20 mins", "Attendee"),
            ("Bo Li", "bo.li@example.org", *stay("14:05", "14:35"), "30 mins", "Attendee"),
            ("Cy Dee", "", *stay("14:10", "14:20"), "10 mins", "Attendee"),
            ("", "", *stay("14:10", "14:20"), "10 mins", "Attendee"),
        ]
    )


@pytest.fixture
def registered(webinar):
    ana = RegistrationFactory(webinar=webinar, email="ana@example.org", name="Ana Lopez")
    cy = RegistrationFactory(webinar=webinar, user=None, email="cy@example.org", name="Cy Dee")
    absent = RegistrationFactory(webinar=webinar, email="absent@example.org", name="Absent")
    return ana, cy, absent


def test_preview_counts_hosts_matches_registrations_and_writes_nothing(
    webinar, host, registered, secretariat
):
    SpeakerFactory(proposal=webinar.proposal, name="Kofi Mensah", email="kofi@example.org")
    ana, cy, _ = registered

    result = service.preview(actor=secretariat, webinar=webinar, data=webex_report())

    assert result.as_json() == {
        "format": "webex",
        "attendees": 3,
        "hosts": 2,
        "matched": 2,
        "new": 1,
        "minutes": {"ana@example.org": 50, "bo.li@example.org": 30, "Cy Dee": 10},
        "unreadable": [{"line": 8, "reason": "no name and no e-mail address"}],
    }
    assert {p.name: p.registration for p in result.attendees} == {
        "Ana Lopez": ana,
        "Bo Li": None,
        "Cy Dee": cy,  # no address in the report: matched by name
    }
    assert [p.name for p in result.hosts] == ["Host Person", "Kofi Mensah"]
    assert result.warnings == []
    assert not Attendance.objects.exists()
    assert not audit.history(webinar).exists()


def test_the_workspace_speakers_count_as_hosts(webinar, secretariat):
    Speaker.objects.create(webinar=webinar, name="Bo Li")
    result = service.preview(actor=secretariat, webinar=webinar, data=webex_report())
    assert "Bo Li" in [p.name for p in result.hosts]


def test_import_keeps_one_row_per_person_and_twice_changes_nothing(webinar, host, registered):
    ana = registered[0]

    first = service.import_attendance(actor=host, webinar=webinar, data=webex_report())
    rows = {
        (a.email or a.name): (a.minutes, a.counted_as_host, a.registration)
        for a in Attendance.objects.all()
    }
    assert rows == {
        "host@ilo.example": (65, True, None),
        "kofi@example.org": (62, False, None),
        "Ana@Example.org": (50, False, ana),
        "bo.li@example.org": (30, False, None),
        "Cy Dee": (10, False, registered[1]),
    }
    assert first.created == 5
    assert Attendance.objects.get(name="Host Person").imported_by == host
    # (The follow-up e-mails drafted after the import have an entry of their own.)
    imports = audit.history(webinar).filter(action="webinars.attendance_imported")
    entry = imports.get()
    assert "Ana" not in entry.summary and "@" not in entry.summary  # counts only

    again = service.import_attendance(actor=host, webinar=webinar, data=webex_report())
    assert (again.created, again.updated) == (0, 0)
    assert Attendance.objects.count() == 5
    assert imports.count() == 1


def test_a_new_report_replaces_the_rows_of_the_same_people_only(webinar, secretariat):
    service.import_attendance(actor=secretariat, webinar=webinar, data=webex_report())
    later = reports.webex(
        [("Ana Lopez", "ANA@example.org", *stay("14:00", "15:00"), "60 mins", "Attendee")]
    )
    result = service.import_attendance(actor=secretariat, webinar=webinar, data=later)
    assert (result.created, result.updated) == (0, 1)
    assert Attendance.objects.get(email__iexact="ana@example.org").minutes == 60
    assert Attendance.objects.filter(email="bo.li@example.org").exists()


def test_an_unusable_file_writes_nothing_and_names_the_line(webinar, secretariat):
    with pytest.raises(service.AttendanceFileUnusable) as refused:
        service.import_attendance(actor=secretariat, webinar=webinar, data=b"Name,Amount\nTea,3\n")
    assert refused.value.line == 1
    assert refused.value.errors["file"][0].startswith("Line 1:")
    assert not Attendance.objects.exists()


def test_only_the_hosts_and_the_secretariat_may_import(webinar):
    with pytest.raises(PermissionDenied):
        service.preview(actor=ReaderFactory(), webinar=webinar, data=webex_report())


def test_only_a_held_webinar_takes_attendance(webinar, secretariat):
    Webinar.objects.filter(pk=webinar.pk).update(
        state=Webinar.State.READY, starts_at=paris(2099, 1, 5)
    )
    webinar.refresh_from_db()
    with pytest.raises(service.AttendanceRefused):
        service.import_attendance(actor=secretariat, webinar=webinar, data=webex_report())
    assert not Attendance.objects.exists()


def test_a_report_of_another_meeting_is_flagged(webinar, secretariat):
    data = reports.zoom_meeting(
        [
            (
                "Ana Lopez",
                "ana@example.org",
                "06/02/2025 02:00:00 PM",
                "06/02/2025 02:30:00 PM",
                "30",
            )
        ],
        topic="Quarterly budget review",
        guest_column=False,
    )
    result = service.preview(actor=secretariat, webinar=webinar, data=data)
    assert len(result.warnings) == 2
    assert "Quarterly budget review" in result.warnings[1]


def test_the_registration_is_matched_case_insensitively_and_cancelled_last(webinar, secretariat):
    cancelled = RegistrationFactory(
        webinar=webinar, email="bo.li@example.org", status=Registration.Status.CANCELLED
    )
    result = service.preview(actor=secretariat, webinar=webinar, data=webex_report())
    assert {p.name: p.registration for p in result.attendees}["Bo Li"] == cancelled
