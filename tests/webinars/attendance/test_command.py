"""``deepdive attendance --webinar ID FILE [--dry-run]`` as DESIGN.md's contract says: exit 0
with the JSON answer, exit 2 with the line and the problem for an unusable file, the dry run
writing nothing; once through the real ``deepdive`` script."""

import io
import json
import subprocess

import pytest
from django.core.management import CommandError, call_command

from deepdive.webinars.models import Attendance, Webinar
from tests.reliability.conftest import BIN, database_url, environment  # noqa: F401
from tests.webinars.attendance import reports
from tests.webinars.factories import ProposalFactory, WebinarFactory, paris

KEYS = {"format", "attendees", "hosts", "matched", "new", "minutes", "unreadable"}


def held_webinar() -> Webinar:
    start = paris(2025, 3, 10, 14)
    return WebinarFactory(
        proposal=ProposalFactory(title="Decent work in supply chains"),
        starts_at=start,
        planned_start=start,
        published_at=start,
        state=Webinar.State.HELD,
    )


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
            ("", "10/03/2025, 14:00:00", "10/03/2025, 14:50:00", "50m", "", "", "Attendee"),
        ]
    )


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("attendance", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_dry_run_answers_the_contract_and_writes_nothing(tmp_path):
    webinar = held_webinar()
    path = tmp_path / "attendance.csv"
    path.write_bytes(teams_report())

    answer = run("--webinar", str(webinar.pk), str(path), "--dry-run")

    assert answer == {
        "format": "teams",
        "attendees": 1,
        "hosts": 1,
        "matched": 0,
        "new": 1,
        "minutes": {"ana@example.org": 50},
        "unreadable": [{"line": 11, "reason": "no name and no e-mail address"}],
    }
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_importing_twice_gives_the_same_answer_and_the_same_rows(tmp_path):
    webinar = held_webinar()
    path = tmp_path / "attendance.csv"
    path.write_bytes(teams_report())

    first = run("--webinar", str(webinar.pk), str(path))
    rows = list(
        Attendance.objects.values_list("email", "minutes", "counted_as_host", "imported_at")
    )
    second = run("--webinar", str(webinar.pk), str(path))

    assert first == second and set(first) == KEYS
    assert rows == list(
        Attendance.objects.values_list("email", "minutes", "counted_as_host", "imported_at")
    )
    assert len(rows) == 2


@pytest.mark.django_db
def test_an_unusable_file_exits_2_naming_the_line(tmp_path):
    webinar = held_webinar()
    path = tmp_path / "attendance.csv"
    path.write_bytes(teams_report()[:-1])

    with pytest.raises(CommandError) as failed:
        run("--webinar", str(webinar.pk), str(path))

    assert failed.value.returncode == 2
    assert "Line 11" in str(failed.value)
    assert not Attendance.objects.exists()


def test_the_deepdive_script_exits_0_then_2(environment, tmp_path):  # noqa: F811
    webinar = held_webinar()
    good = tmp_path / "zoom.csv"
    good.write_bytes(
        reports.zoom_meeting(
            [
                (
                    "Ana Lopez",
                    "ana@example.org",
                    "03/10/2025 02:00:00 PM",
                    "03/10/2025 02:30:00 PM",
                    "30",
                )
            ]
        )
    )
    unknown = tmp_path / "budget.csv"
    unknown.write_bytes(b"Item,Amount\nTea,3\n")

    def deepdive(path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [BIN / "deepdive", "attendance", "--webinar", str(webinar.pk), str(path)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = deepdive(good)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["minutes"] == {"ana@example.org": 30}
    assert Attendance.objects.get().minutes == 30

    refused = deepdive(unknown)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert "Line 1" in refused.stderr and "Traceback" not in refused.stderr
