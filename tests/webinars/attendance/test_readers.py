"""The reader on reports generated in each platform's layout: formats recognised by content,
encodings, sections, rejoins and second devices, hosts, locale dates, ="…" values, and the
files it refuses with the line and the problem."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from deepdive.webinars.attendance import readers
from tests.webinars.attendance import reports

PARIS = ZoneInfo("Europe/Paris")
HELD_ON = date(2025, 3, 10)


def read(data: bytes) -> readers.Report:
    return readers.read(data, webinar_date=HELD_ON, zone=PARIS)


def people(data: bytes) -> dict[str, tuple[int, bool]]:
    """{e-mail else name: (minutes, counted as host)}."""
    return {p.key: (p.minutes, p.is_host) for p in readers.fold(read(data).rows)}


def zoom_meeting_file() -> bytes:
    return reports.zoom_meeting(
        [
            (
                "Host Person",
                "host@ilo.example",
                "03/10/2025 01:58:12 PM",
                "03/10/2025 03:05:00 PM",
                "67",
                "No",
            ),
            (
                "Ana Lopez",
                "ana@example.org",
                "03/10/2025 02:00:00 PM",
                "03/10/2025 02:30:30 PM",
                "31",
                "Yes",
            ),
            # A rejoin from a phone, overlapping the first stay by ten minutes.
            (
                "Ana (phone)",
                "ANA@Example.org",
                "03/10/2025 02:20:00 PM",
                "03/10/2025 02:40:00 PM",
                "20",
                "Yes",
            ),
            ("Bo Li", "", "03/10/2025 02:05:00 PM", "03/10/2025 02:15:59 PM", "11", "Yes"),
            ("Bo Li", "", "03/10/2025 02:50:00 PM", "03/10/2025 02:55:00 PM", "5", "Yes"),
            ("", "", "03/10/2025 02:20:00 PM", "03/10/2025 02:40:00 PM", "20", "Yes"),
        ]
    )


def test_zoom_meeting_folds_rejoins_and_keeps_the_host_apart():
    report = read(zoom_meeting_file())

    assert report.format == readers.ZOOM_MEETING
    assert report.title == "Decent work in supply chains"
    # Ana: 14:00:00–14:40:00 in the union of her two stays; Bo: 10m59s + 5m.
    assert people(zoom_meeting_file()) == {
        "host@ilo.example": (66, True),
        "ana@example.org": (40, False),
        "Bo Li": (15, False),
    }
    assert [(u.line, u.reason) for u in report.unreadable] == [
        (10, "no name and no e-mail address")
    ]
    assert report.first_join == datetime(2025, 3, 10, 13, 58, 12, tzinfo=PARIS)


def test_a_second_device_without_an_address_joins_the_person_of_the_same_name():
    data = reports.zoom_meeting(
        [
            (
                "Ana Lopez",
                "ana@example.org",
                "03/10/2025 02:00:00 PM",
                "03/10/2025 02:30:00 PM",
                "30",
            ),
            ("Ana Lopez", "", "03/10/2025 02:10:00 PM", "03/10/2025 02:45:00 PM", "35"),
        ],
        guest_column=False,
    )
    assert people(data) == {"ana@example.org": (45, False)}


def test_zoom_webinar_sections_hosts_panelists_and_absent_registrants():
    data = reports.zoom_webinar(
        hosts=[
            (
                "Host Person",
                "host@ilo.example",
                "Mar 10, 2025 01:58 PM",
                "Mar 10, 2025 03:08 PM",
                "70",
            )
        ],
        panelists=[
            (
                "Kofi Mensah",
                "kofi@example.org",
                "Mar 10, 2025 01:59 PM",
                "Mar 10, 2025 03:00 PM",
                "61",
            )
        ],
        attendees=[
            (
                "Yes",
                "Ana",
                "Lopez",
                "ana@example.org",
                "Mar 10, 2025 02:00 PM",
                "Mar 10, 2025 02:45 PM",
                "45",
                "Spain",
            ),
            (
                "Yes",
                "Ana",
                "Lopez",
                "ana@example.org",
                "Mar 10, 2025 02:40 PM",
                "Mar 10, 2025 03:00 PM",
                "20",
                "Spain",
            ),
            ("No", "Bo", "Li", "bo@example.org", "--", "--", "--", ""),
        ],
    )
    report = read(data)
    assert report.format == readers.ZOOM_WEBINAR
    assert report.unreadable == []
    assert people(data) == {
        "host@ilo.example": (70, True),
        "kofi@example.org": (61, True),
        "ana@example.org": (60, False),
    }


def test_teams_utf16_tabs_uses_the_activities_when_given():
    data = reports.teams(
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
                "10m 59s",
                "ana@example.org",
                "",
                "Attendee",
            ),
            (
                "Guest Visitor (Unverified)",
                "10/03/2025, 14:01:00",
                "10/03/2025, 14:31:30",
                "30m 30s",
                "",
                "",
                "Attendee",
            ),
            (
                "Kofi Mensah",
                "10/03/2025, 14:00:00",
                "10/03/2025, 14:50:00",
                "50m",
                "kofi@example.org",
                "",
                "Presenter",
            ),
        ],
        [
            (
                "Ana Lopez",
                "10/03/2025, 14:00:00",
                "10/03/2025, 14:05:00",
                "5m",
                "ana@example.org",
                "Attendee",
            ),
            (
                "Ana Lopez",
                "10/03/2025, 14:44:01",
                "10/03/2025, 14:50:00",
                "5m 59s",
                "ana@example.org",
                "Attendee",
            ),
        ],
    )
    assert data.startswith(b"\xff\xfe")
    report = read(data)
    assert report.format == readers.TEAMS
    assert report.title == "Decent work in supply chains"
    assert people(data) == {
        "org@ilo.example": (62, True),
        "ana@example.org": (10, False),  # 5m + 5m59s of stays, not first join to last leave
        "Guest Visitor (Unverified)": (30, False),
        "kofi@example.org": (50, True),
    }


def test_teams_utf8_with_commas_and_us_dates():
    data = reports.teams(
        [
            (
                "Ana Lopez",
                "3/10/25, 2:00:03 PM",
                "3/10/25, 2:45:10 PM",
                "45m 7s",
                "ana@example.org",
                "",
                "Attendee",
            )
        ],
        encoding="utf-8-sig",
        delimiter=",",
    )
    report = read(data)
    assert report.format == readers.TEAMS
    assert people(data) == {"ana@example.org": (45, False)}


def test_webex_utf16_with_wrapped_values_and_durations_in_mins():
    data = reports.webex(
        [
            (
                "Ana Lopez",
                "ana@example.org",
                "03/10/2025 14:00",
                "03/10/2025 14:45",
                "45 mins",
                "Attendee",
            ),
            (
                "Host Person",
                "host@ilo.example",
                "03/10/2025 13:55",
                "03/10/2025 15:00",
                "65 mins",
                "Host",
            ),
        ]
    )
    assert people(data) == {"ana@example.org": (45, False), "host@ilo.example": (65, True)}
    assert read(data).format == readers.WEBEX


def test_webex_raw_excel_wrappers_and_durations_only():
    text = (
        "Display Name\tAttendee Email\tAttendance Duration\n"
        '="Ana Lopez"\t="ana@example.org"\t="45 mins"\n'
        '="Ana Lopez"\t="ana@example.org"\t="1h 2m"\n'
    )
    assert people(text.encode("utf-16")) == {"ana@example.org": (107, False)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-10 14:00:03", datetime(2025, 3, 10, 14, 0, 3)),
        ("2025-03-10T13:00:00Z", datetime(2025, 3, 10, 14, 0)),
        ("03/10/2025 02:00:00 PM", datetime(2025, 3, 10, 14, 0)),
        ("10/03/2025 14:00:00", datetime(2025, 3, 10, 14, 0)),  # day first: nearer the webinar
        ("10.03.2025 14:00", datetime(2025, 3, 10, 14, 0)),
        ("3/10/25, 2:00:03 PM", datetime(2025, 3, 10, 14, 0, 3)),
        ("3/10/25, 12:05:00 AM", datetime(2025, 3, 10, 0, 5)),
        ("Mar 10, 2025 02:00 PM", datetime(2025, 3, 10, 14, 0)),
        ("10 Mar 2025 14:00", datetime(2025, 3, 10, 14, 0)),
    ],
)
def test_dates_in_the_formats_of_the_exports(text, expected):
    assert readers.parse_moment(text, webinar_date=HELD_ON, zone=PARIS) == expected.replace(
        tzinfo=PARIS
    )


def test_an_ambiguous_date_is_read_against_the_webinars_date():
    assert readers.parse_moment(
        "04/05/2025 10:00", webinar_date=date(2025, 5, 4), zone=PARIS
    ).date() == date(2025, 5, 4)
    assert readers.parse_moment(
        "04/05/2025 10:00", webinar_date=date(2025, 4, 5), zone=PARIS
    ).date() == date(2025, 4, 5)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("10m 59s", 659),
        ("1h 2m", 3720),
        ("45 mins", 2700),
        ("70", 4200),
        ("1h 2m 3s", 3723),
        ("59s", 59),
        ("0:10:59", 659),
    ],
)
def test_durations(text, seconds):
    assert readers.parse_duration(text) == seconds


def test_rows_it_cannot_read_are_kept_aside_with_their_line():
    data = reports.webex(
        [
            ("Ana Lopez", "ana@example.org", "yesterday", "03/10/2025 14:45", "45 mins", ""),
            ("Bo Li", "bo@example.org", "03/10/2025 14:45", "03/10/2025 14:00", "", ""),
            ("Cy Dee", "cy@example.org", "", "", "a while", ""),
            ("Di Ho", "di@example.org", "03/10/2025 14:00", "03/10/2025 14:30", "30 mins", ""),
        ]
    )
    report = read(data)
    assert [(u.line, u.reason) for u in report.unreadable] == [
        (2, "cannot read the time “yesterday”"),
        (3, "the leave time comes before the join time"),
        (4, "cannot read the duration “a while”"),
    ]
    assert people(data) == {"di@example.org": (30, False)}


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"", "empty", 1),
        (b"\xef\xbb\xbf\r\n\r\n", "empty", 1),
        (b"Name,Amount\nTea,3\n", "unknown_format", 1),
        ("Name,Join Time,Leave Time\nAnaïs,x,y\n".encode("latin-1"), "encoding", 2),
        (
            reports.teams(
                [("Ana", "10/03/2025, 14:00:00", "10/03/2025, 14:05:00", "5m", "", "", "Attendee")]
            )[:-3],
            "truncated",
            9,
        ),
        (zoom_meeting_file()[:-40], "truncated", 10),
        (b'Name,Email,Join Time,Leave Time\n"Ana,ana@example.org,03/10/2025 14:00', "truncated", 2),
        (reports.zoom_meeting([]), "no_rows", 4),
    ],
)
def test_an_unusable_file_is_refused_with_its_line(data, code, line):
    with pytest.raises(readers.UnusableFile) as refused:
        read(data)
    assert (refused.value.code, refused.value.line) == (code, line)
    assert str(line) in str(refused.value)


def test_the_format_is_recognised_by_content_not_by_name():
    # A Teams report re-saved as UTF-8 with commas is still Teams; a Zoom report as UTF-16.
    zoom = zoom_meeting_file().decode("utf-8-sig").encode("utf-16")
    assert read(zoom).format == readers.ZOOM_MEETING
