"""The demo's sample attendance reports (issue 13, "Done when"): ``deepdive demo`` writes a
Zoom, a Teams and a Webex report of the pilot's held webinars under the var folder, made from
their registrations, and each reads cleanly with ``deepdive attendance --dry-run``: most
registrants attended, a couple did not, two came without registering, the host and a speaker
counted apart, a rejoin folded, nothing unreadable, no warning that it is another meeting.
They are the reports the demo imported (issue 15): importing them again changes nothing."""

import io
import json

import pytest
from django.core.management import call_command

from deepdive.core.models import AuditEntry
from deepdive.demo.attendance import FOLDER, file_name
from deepdive.demo.selected import PILOT_SLUG
from deepdive.demo.workspaces import PILOT_WORKSPACES
from deepdive.webinars.attendance import samples
from deepdive.webinars.models import Attendance, Registration, Webinar

pytestmark = pytest.mark.django_db

# The layout of each pilot webinar's report, in the order of PILOT_WORKSPACES.
FORMATS = ["zoom_meeting", "teams", "webex"]


def dry_run(webinar: Webinar, path) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "attendance", "--webinar", str(webinar.pk), str(path), "--dry-run", stdout=out, stderr=err
    )
    return json.loads(out.getvalue()), err.getvalue()


def test_the_demo_writes_three_reports_that_each_read_cleanly(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo", "--no-serve")
    printed = capsys.readouterr().out

    pilot = {w.title: w for w in Webinar.objects.filter(proposal__call__slug=PILOT_SLUG)}
    for title, layout in zip(PILOT_WORKSPACES, FORMATS, strict=True):
        webinar = pilot[title]
        platform = layout.split("_")[0]
        path = tmp_path / FOLDER / file_name(platform, title)
        assert str(path) in printed
        registrants = list(
            webinar.registrations.filter(status=Registration.Status.REGISTERED).order_by(
                "created_at", "pk"
            )
        )

        answer, warnings = dry_run(webinar, path)

        assert answer["format"] == layout
        assert warnings == ""
        assert answer["unreadable"] == []
        assert answer["new"] == 2
        absent = samples.absent_positions(len(registrants))
        assert len(absent) >= len(registrants) // 3  # one in three did not come
        assert answer["matched"] == len(registrants) - len(absent)
        assert answer["attendees"] == len(registrants) - len(absent) + 2
        assert answer["hosts"] == 2  # the host contact and a speaker
        minutes = answer["minutes"]
        assert registrants[1].email.lower() not in minutes
        # The first left after 24 minutes and came back 3 minutes later: one person, the
        # minutes of both stays.
        assert 50 <= minutes[registrants[0].email.lower()] <= 57
        assert all(0 < m <= 60 for m in minutes.values())

        # The demo imported this very report: one row per person, and importing it again
        # through the command line adds and changes nothing.
        rows = Attendance.objects.filter(webinar=webinar)
        assert rows.filter(counted_as_host=False).count() == answer["attendees"]
        assert rows.filter(counted_as_host=True).count() == answer["hosts"]
        addresses = {key for key in minutes if "@" in key}
        assert set(rows.exclude(email="").values_list("email", flat=True)) >= addresses
        imports = AuditEntry.objects.filter(action="webinars.attendance_imported")
        assert imports.filter(object_id=str(webinar.pk)).count() == 1
        kept = sorted(rows.values_list("pk", "minutes", "imported_at"))
        call_command("attendance", "--webinar", str(webinar.pk), str(path), stdout=io.StringIO())
        assert sorted(rows.values_list("pk", "minutes", "imported_at")) == kept
        assert imports.filter(object_id=str(webinar.pk)).count() == 1

    teams = next((tmp_path / FOLDER).glob("teams-*.csv")).read_bytes()
    assert teams.startswith(b"\xff\xfe") and "2. Participants\n" in teams.decode("utf-16")
