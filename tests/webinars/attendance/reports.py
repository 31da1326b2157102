"""Attendance reports as the meeting platforms export them, generated for the tests (no real
person's data): the layouts of Zoom's meeting and webinar reports, Microsoft Teams' attendance
report and Webex's attendee report, in their encodings and separators. The layouts the demo
writes too are in ``deepdive.webinars.attendance.samples``; here they get the tests' meeting
(10 March 2025, 14:00 Paris)."""

from collections.abc import Sequence

from deepdive.webinars.attendance import samples
from deepdive.webinars.attendance.samples import table, webex

__all__ = ["table", "teams", "webex", "zoom_meeting", "zoom_webinar"]


def zoom_meeting(
    people: Sequence[Sequence[str]],
    *,
    topic: str = "Decent work in supply chains",
    host_email: str = "host@ilo.example",
    guest_column: bool = True,
) -> bytes:
    """people: (name, email, join, leave, minutes[, guest]); dates like 03/10/2025 02:00:00 PM."""
    return samples.zoom_meeting(
        people,
        topic=topic,
        host_email=host_email,
        start="03/10/2025 01:58:12 PM",
        end="03/10/2025 03:05:00 PM",
        guest_column=guest_column,
    )


def zoom_webinar(
    hosts, panelists, attendees, *, topic: str = "Decent work in supply chains"
) -> bytes:
    """hosts/panelists: (name, email, join, leave, minutes); attendees: (attended, first, last,
    email, join, leave, minutes, country); dates like "Mar 10, 2025 02:00 PM"."""
    person_header = [
        "Attended",
        "User Name (Original Name)",
        "Email",
        "Join Time",
        "Leave Time",
        "Time in Session (minutes)",
        "Is Guest",
        "Country/Region Name",
    ]
    rows = [
        ["Attendee Report"],
        ["Report Generated:", "Mar 11, 2025 09:12 AM"],
        [
            "Topic",
            "Webinar ID",
            "Actual Start Time",
            "Actual Duration (minutes)",
            "# Registered",
            "# Cancelled",
            "Unique Viewers",
            "Total Users",
            "Max Concurrent Views",
        ],
        [topic, "912 3456 7890", "Mar 10, 2025 01:58 PM", "70", "4", "0", "3", "5", "3"],
        ["Host Details"],
        person_header,
        *[["Yes", *h, "No", "France"] for h in hosts],
        ["Panelist Details"],
        person_header,
        *[["Yes", *p, "No", "Côte d'Ivoire"] for p in panelists],
        ["Attendee Details"],
        [
            "Attended",
            "First Name",
            "Last Name",
            "Email",
            "Registration Time",
            "Approval Status",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Is Guest",
            "Country/Region Name",
        ],
        *[
            [
                a[0],
                a[1],
                a[2],
                a[3],
                "Mar 01, 2025 10:00 AM",
                "approved",
                a[4],
                a[5],
                a[6],
                "Yes",
                a[7],
            ]
            for a in attendees
        ],
    ]
    return table(rows, trailing=True).encode("utf-8")


def teams(
    participants,
    activities=(),
    *,
    title: str = "Decent work in supply chains",
    encoding: str = "utf-16",
    delimiter: str = "\t",
) -> bytes:
    """participants: (name, first join, last leave, duration, email, upn, role); activities:
    (name, join, leave, duration, email, role); dates in the organiser's locale."""
    return samples.teams(
        participants,
        activities,
        title=title,
        start="10/03/2025, 13:58:00",
        end="10/03/2025, 15:02:00",
        encoding=encoding,
        delimiter=delimiter,
    )
