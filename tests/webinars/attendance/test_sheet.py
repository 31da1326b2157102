"""Who attended a held webinar against who registered: the attendance page after an import
(every registration with attended yes/no and minutes, the cancelled marked, the attendees who
had not registered, the hosts apart, the totals, the count by sex with small groups not shown),
its CSV file, who may see them, the links from the webinar's page and the board, and a fixed
number of queries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.webinars.attendance import service, sheet
from deepdive.webinars.models import Attendance, Registration, Webinar
from tests.accounts.factories import SecretariatFactory
from tests.webinars.attendance.test_service import (  # noqa: F401
    host,
    registered,
    webex_report,
    webinar,
)
from tests.webinars.factories import ReaderFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(webinar, host, registered):  # noqa: F811
    """The Webex report imported: Ana (50 min) and Cy Dee (10) registered, Bo Li and Kofi
    Mensah not, Host Person counted apart; Absent did not come; Dan cancelled."""
    RegistrationFactory(
        webinar=webinar,
        email="dan@example.org",
        name="Dan Cancelled",
        status=Registration.Status.CANCELLED,
    )
    Registration.objects.filter(email="ana@example.org").update(sex="female")
    service.import_attendance(actor=host, webinar=webinar, data=webex_report())
    return webinar


def page_of(client, webinar):  # noqa: F811
    return client.get(reverse("webinars:attendance", kwargs={"pk": webinar.pk}))


def rows_of(page, caption: str) -> list[list[str]]:
    """The rows of the table captioned ``caption``, as text, cells stripped of markup."""
    html = page.content.decode()
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    body = body[body.index("<tbody>") :]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in cells])
    return rows


def test_the_page_shows_who_attended_against_who_registered(client, imported):
    client.force_login(SecretariatFactory())
    page = page_of(client, imported)

    assert page.status_code == 200
    assert rows_of(page, "Registrations") == [
        ["Absent", "absent@example.org", "registered", "no", "—"],
        ["Ana Lopez", "ana@example.org", "registered", "yes", "50"],
        ["Cy Dee", "cy@example.org", "registered", "yes", "10"],
        ["Dan Cancelled", "dan@example.org", "cancelled", "no", "—"],
    ]
    assert rows_of(page, "Attendees who had not registered") == [
        ["Bo Li", "bo.li@example.org", "30"],
        ["Kofi Mensah", "kofi@example.org", "62"],
    ]
    assert rows_of(page, "Hosts, panelists and speakers (not counted as attendees)") == [
        ["Host Person", "host@ilo.example", "65"]
    ]
    text = " ".join(page.content.decode().split())
    assert '<dt>Registered</dt> <dd>3 <span class="muted">(1 cancelled, not counted)' in text
    assert '<dt>Attended</dt> <dd>4 <span class="muted">(2 of them registered)' in text
    assert "67% of the registered attended" in text
    assert "<dt>New attendees (not registered)</dt> <dd>2</dd>" in text
    assert "38 minutes" in text  # (50 + 10 + 30 + 62) / 4
    # One woman among four attendees: no group is counted, every one "fewer than 5".
    assert rows_of(page, "Attendees by sex") == [
        ["Female", "fewer than 5"],
        ["Male", "fewer than 5"],
        ["Another", "fewer than 5"],
        ["Not said", "fewer than 5"],
        ["Unknown", "fewer than 5"],
    ]
    assert "Import another report" in text


def test_groups_of_five_or_more_are_counted(client, webinar):  # noqa: F811
    now = timezone.now()
    for n in range(11):
        registration = RegistrationFactory(
            webinar=webinar,
            email=f"p{n}@example.org",
            name=f"Person {n}",
            sex="female" if n < 6 else "male",
        )
        Attendance.objects.create(
            webinar=webinar,
            registration=registration,
            name=registration.name,
            email=registration.email,
            minutes=40,
            imported_at=now,
        )
    Attendance.objects.create(webinar=webinar, name="Walk In", minutes=20, imported_at=now)
    client.force_login(SecretariatFactory())

    # Female 6, male 5, unknown 1 (the walk-in), another and not said 0.
    assert rows_of(page_of(client, webinar), "Attendees by sex") == [
        ["Female", "6"],
        ["Male", "5"],
        ["Another", "fewer than 5"],
        ["Not said", "fewer than 5"],
        ["Unknown", "fewer than 5"],
    ]


def test_suppression_hides_small_groups_and_one_more_when_only_one_is_small():
    assert sheet.suppress([("a", 9), ("b", 5), ("c", 0)]) == [
        sheet.Group("a", 9),
        sheet.Group("b", None),
        sheet.Group("c", None),
    ]
    assert sheet.suppress([("a", 9), ("b", 6), ("c", 3), ("d", 2)]) == [
        sheet.Group("a", 9),
        sheet.Group("b", 6),
        sheet.Group("c", None),
        sheet.Group("d", None),
    ]


def test_the_csv_lists_everyone_without_the_joining_link(client, imported):
    Webinar.objects.filter(pk=imported.pk).update(joining_url="https://zoom.example.org/j/42")
    client.force_login(SecretariatFactory())
    response = client.get(reverse("webinars:attendance_csv", kwargs={"pk": imported.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-decent-work-in-supply-chains.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert "zoom.example.org" not in text
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "E-mail address", "Registration", "Attended", "Minutes"],
        ["Absent", "absent@example.org", "registered", "no", ""],
        ["Ana Lopez", "ana@example.org", "registered", "yes", "50"],
        ["Cy Dee", "cy@example.org", "registered", "yes", "10"],
        ["Dan Cancelled", "dan@example.org", "cancelled", "no", ""],
        ["Bo Li", "bo.li@example.org", "not registered", "yes", "30"],
        ["Kofi Mensah", "kofi@example.org", "not registered", "yes", "62"],
        ["Host Person", "host@ilo.example", "host, panelist or speaker", "yes", "65"],
    ]


def test_the_host_sees_the_page_and_the_csv(client, imported, host):  # noqa: F811
    client.force_login(host)
    assert page_of(client, imported).status_code == 200
    csv_url = reverse("webinars:attendance_csv", kwargs={"pk": imported.pk})
    assert client.get(csv_url).status_code == 200


def test_a_member_who_is_not_a_host_sees_neither(client, imported):
    client.force_login(ReaderFactory())
    assert page_of(client, imported).status_code == 403
    csv_url = reverse("webinars:attendance_csv", kwargs={"pk": imported.pk})
    assert client.get(csv_url).status_code == 403


def test_anonymous_readers_are_sent_to_log_in(client, imported):
    for url in (
        reverse("webinars:attendance", kwargs={"pk": imported.pk}),
        reverse("webinars:attendance_csv", kwargs={"pk": imported.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_webinar_page_and_the_board_link_to_the_attendance(client, webinar, host):  # noqa: F811
    url = reverse("webinars:attendance", kwargs={"pk": webinar.pk})
    detail = reverse("webinars:detail", kwargs={"pk": webinar.pk})
    client.force_login(SecretariatFactory())
    page = client.get(detail).content.decode()
    assert f'href="{url}">Import attendance</a>' in page

    service.import_attendance(actor=None, webinar=webinar, data=webex_report())
    assert f'href="{url}">Attendance</a>' in client.get(detail).content.decode()
    board = client.get(reverse("webinars:board", kwargs={"slug": webinar.call.series.slug}))
    assert f'href="{url}"' in board.content.decode()

    client.force_login(host)
    assert f'href="{url}">Attendance</a>' in client.get(detail).content.decode()
    client.force_login(ReaderFactory())
    assert url not in client.get(detail).content.decode()
    client.logout()
    assert url not in client.get(detail).content.decode()


def test_the_sheet_reads_in_a_fixed_number_of_queries(webinar):  # noqa: F811
    reader = SecretariatFactory()
    now = timezone.now()

    def add(count: int, start: int) -> int:
        for n in range(start, start + count):
            registration = RegistrationFactory(
                webinar=webinar, email=f"q{n}@example.org", name=f"Q {n}"
            )
            Attendance.objects.create(
                webinar=webinar,
                registration=registration,
                name=registration.name,
                email=registration.email,
                minutes=n,
                imported_at=now,
            )
        with CaptureQueriesContext(connection) as queries:
            sheet.attendance_sheet(reader=reader, webinar=webinar)
        return len(queries)

    assert add(2, 0) == add(10, 2)
