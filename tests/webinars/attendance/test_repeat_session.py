"""A webinar with a repeat session has two meetings, hence two reports: each import says which
session its file is of, its dates are read against that session's start, re-importing one
session's report leaves the other's rows alone, a person who came to both counts once (their
minutes summed), and the repeat's registrants who did not come are told what they missed once
the repeat's report is in."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import follow_up, sessions
from deepdive.webinars.attendance import service, sheet
from deepdive.webinars.models import Attendance, RepeatSession, Webinar
from tests.accounts.factories import SecretariatFactory
from tests.webinars.attendance import reports
from tests.webinars.factories import ProposalFactory, RegistrationFactory, WebinarFactory, paris

pytestmark = pytest.mark.django_db

HELD = OutboxMessage.Status.HELD


@pytest.fixture
def webinar():
    start = paris(2025, 3, 10, 14)
    found = WebinarFactory(
        proposal=ProposalFactory(title="Decent work in supply chains"),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )
    # Two days later, at night in Paris: for the Pacific.
    repeat_start = paris(2025, 3, 12, 3)
    RepeatSession.objects.create(webinar=found, planned_start=repeat_start, starts_at=repeat_start)
    return found


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def registered(webinar):
    repeat = webinar.repeat
    return {
        "ana": RegistrationFactory(webinar=webinar, user=None, name="Ana Lopez", email="ana@x.org"),
        "kofi": RegistrationFactory(webinar=webinar, user=None, name="Kofi", email="kofi@x.org"),
        "rita": RegistrationFactory(
            webinar=webinar, user=None, name="Rita", email="rita@x.org", repeat=repeat
        ),
        "tui": RegistrationFactory(
            webinar=webinar, user=None, name="Tui", email="tui@x.org", repeat=repeat
        ),
    }


def first_report() -> bytes:
    return reports.webex(
        [
            ("Ana Lopez", "ana@x.org", "03/10/2025 14:00", "03/10/2025 14:45", "45 mins"),
            ("Walk In", "walk@x.org", "03/10/2025 14:00", "03/10/2025 14:30", "30 mins"),
        ]
    )


def repeat_report() -> bytes:
    return reports.webex(
        [
            ("Ana Lopez", "ana@x.org", "03/12/2025 03:00", "03/12/2025 03:20", "20 mins"),
            ("Kofi", "kofi@x.org", "03/12/2025 03:00", "03/12/2025 03:50", "50 mins"),
            ("Rita", "rita@x.org", "03/12/2025 03:05", "03/12/2025 03:45", "40 mins"),
        ]
    )


def addresses(kind: str, status=HELD) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(kind=kind, status=status).values_list("to_email", flat=True)
    )


def test_the_dates_are_read_against_the_repeat_sessions_start(webinar, secretariat):
    as_first = service.preview(actor=secretariat, webinar=webinar, data=repeat_report())
    as_repeat = service.preview(
        actor=secretariat, webinar=webinar, data=repeat_report(), session=sessions.REPEAT
    )

    assert len(as_first.warnings) == 1 and "2025-03-12" in as_first.warnings[0]
    assert as_repeat.warnings == []


def test_each_session_keeps_its_rows_and_a_person_in_both_counts_once(
    webinar, secretariat, registered
):
    service.import_attendance(actor=secretariat, webinar=webinar, data=first_report())
    service.import_attendance(
        actor=secretariat, webinar=webinar, data=repeat_report(), session=sessions.REPEAT
    )
    again = service.import_attendance(actor=secretariat, webinar=webinar, data=first_report())

    assert (again.created, again.updated) == (0, 0)
    assert Attendance.objects.filter(repeat__isnull=True).count() == 2
    assert Attendance.objects.filter(repeat=webinar.repeat).count() == 3
    kept = sheet.attendance_sheet(reader=secretariat, webinar=webinar)
    assert kept.attended == 4  # Ana (both sessions), the walk-in, Kofi, Rita
    minutes = {p.email: p.minutes for p in kept.registrations if p.attended}
    assert minutes == {"ana@x.org": 65, "kofi@x.org": 50, "rita@x.org": 40}
    assert kept.registered_attended == 3
    assert kept.average_minutes == round((45 + 30 + 20 + 50 + 40) / 4)


def test_the_repeat_cannot_be_imported_for_a_webinar_without_one(secretariat):
    start = paris(2025, 3, 10, 14)
    alone = WebinarFactory(
        starts_at=start, planned_start=start, published_at=start, state=Webinar.State.HELD
    )
    with pytest.raises(service.AttendanceRefused) as refused:
        service.preview(
            actor=secretariat, webinar=alone, data=first_report(), session=sessions.REPEAT
        )
    assert refused.value.errors == {"session": ["This webinar has no repeat session."]}


def test_the_repeats_registrants_are_told_what_they_missed_once_its_report_is_in(
    webinar, secretariat, registered
):
    service.import_attendance(actor=secretariat, webinar=webinar, data=first_report())
    # Kofi registered for the first session and did not come (yet); the repeat's people wait.
    assert addresses(follow_up.MISSED) == ["kofi@x.org"]

    service.import_attendance(
        actor=secretariat, webinar=webinar, data=repeat_report(), session=sessions.REPEAT
    )

    # Kofi came to the repeat: his "what you missed" is withdrawn and he is thanked.
    assert addresses(follow_up.MISSED, OutboxMessage.Status.DISCARDED) == ["kofi@x.org"]
    assert addresses(follow_up.MISSED) == ["tui@x.org"]
    assert addresses(follow_up.THANKS) == ["ana@x.org", "kofi@x.org", "rita@x.org", "walk@x.org"]


def test_the_command_takes_the_repeat_sessions_report(webinar, tmp_path):
    path = tmp_path / "repeat.csv"
    path.write_bytes(repeat_report())
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "attendance", "--webinar", str(webinar.pk), "--session", "repeat", str(path),
        stdout=out, stderr=err,
    )  # fmt: skip

    assert json.loads(out.getvalue())["attendees"] == 3
    assert err.getvalue() == ""  # no "another meeting's date" warning
    assert Attendance.objects.filter(repeat=webinar.repeat).count() == 3


def test_the_page_asks_which_session_and_imports_the_one_chosen(client, webinar, secretariat):
    client.force_login(secretariat)
    url = reverse("webinars:attendance", kwargs={"pk": webinar.pk})
    assert "Which session is this report of?" in client.get(url).content.decode()

    page = client.post(
        url,
        {
            "file": SimpleUploadedFile("report.csv", repeat_report(), content_type="text/csv"),
            "session": sessions.REPEAT,
        },
    )
    text = page.content.decode()
    assert "Confirm the import" in text and "is it the report of this webinar?" not in text
    assert "<strong>Repeat session</strong>" in text
    signed = re.search(r'name="report" value="([^"]+)"', text).group(1)
    # The signature covers the session: the same file cannot be confirmed as the other one's.
    client.post(url, {"report": signed, "session": sessions.FIRST})
    assert not Attendance.objects.exists()
    client.post(url, {"report": signed, "session": sessions.REPEAT})
    assert Attendance.objects.filter(repeat=webinar.repeat).count() == 3


def test_the_page_offers_no_choice_without_a_repeat(client, secretariat):
    start = paris(2025, 3, 10, 14)
    alone = WebinarFactory(
        starts_at=start, planned_start=start, published_at=start, state=Webinar.State.HELD
    )
    client.force_login(secretariat)
    page = client.get(reverse("webinars:attendance", kwargs={"pk": alone.pk}))
    assert "Which session" not in page.content.decode()
