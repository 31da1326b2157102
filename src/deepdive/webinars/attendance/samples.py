"""Attendance reports as the meeting platforms export them, made up (no real person's data).

The layouts, from rows of text: ``zoom_meeting`` (Zoom's meeting participants report, UTF-8
with a byte-order mark, a meeting summary block, rows ending with a comma), ``teams``
(Microsoft Teams' attendance report, UTF-16 and tab-separated despite its ``.csv`` name, in
numbered sections) and ``webex`` (Webex's attendee report, UTF-16, tabs, values wrapped as
``="…"``). The tests build their reports with them (``tests/webinars/attendance/reports.py``).

``for_webinar`` makes one of these reports for a held webinar from its own registrations, on
the webinar's own day in its series' time zone: most registrants attended (one left and
rejoined), a couple did not (one in three of a larger audience), two people came without
registering, and the host and a speaker
are there. ``deepdive demo`` writes one per pilot webinar for the secretariat to import.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from deepdive.core.exports import neutralise
from deepdive.directory.models import Affiliation

from .. import queries
from ..models import Registration, Webinar
from . import readers

# The formats ``for_webinar`` writes (the Zoom webinar report needs Zoom's own registration).
WRITTEN = (readers.ZOOM_MEETING, readers.TEAMS, readers.WEBEX)

# People who came without registering (made up; two per report, varied by webinar).
UNREGISTERED = (
    ("Lina Haddad", "lina.haddad@example.net"),
    ("Tomás Rivera", ""),
    ("Mei Chen", "mei.chen@example.net"),
    ("Oluwaseun Adeyemi", ""),
    ("Sofia Petrova", "sofia.petrova@example.net"),
    ("Kwame Boateng", ""),
)


# ----------------------------------------------------------------------------- layouts


def table(rows: Sequence[Sequence[str]], *, delimiter: str = ",", trailing: bool = False) -> str:
    """CSV text; ``trailing``: each row ends with an empty cell, as Zoom writes them.

    Not ``core.exports.csv_writer``: this is a meeting platform's own format, whose ``="…"``
    cells (Webex) the formula-safe writer would escape. The people's names, the only text
    users typed, are neutralised where they enter (``stays``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow([*row, ""] if trailing and row else row)
    return out.getvalue()


def zoom_meeting(
    people: Sequence[Sequence[str]],
    *,
    topic: str,
    host_email: str,
    start: str,
    end: str,
    guest_column: bool = True,
) -> bytes:
    """people: (name, email, join, leave, minutes[, guest]); ``start``/``end``: the meeting's,
    as Zoom writes dates (``03/10/2025 02:00:00 PM``)."""
    header = ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)"]
    if guest_column:
        header.append("Guest")
    summary_header = [
        "Meeting ID",
        "Topic",
        "Start Time",
        "End Time",
        "User Email",
        "Duration (Minutes)",
        "Participants",
    ]
    rows = [
        summary_header,
        ["812 3456 7890", topic, start, end, host_email, "67", str(len(people))],
        [],
        header,
        *[list(p) for p in people],
    ]
    return table(rows, trailing=True).encode("utf-8-sig")


def teams(
    participants: Sequence[Sequence[str]],
    activities: Sequence[Sequence[str]] = (),
    *,
    title: str,
    start: str,
    end: str,
    encoding: str = "utf-16",
    delimiter: str = "\t",
) -> bytes:
    """participants: (name, first join, last leave, duration, email, upn, role); activities:
    (name, join, leave, duration, email, role); dates in the organiser's locale
    (``10/03/2025, 13:58:00``)."""
    rows = [
        ["1. Summary"],
        ["Meeting title", title],
        ["Attended participants", str(len(participants))],
        ["Start time", start],
        ["End time", end],
        [],
        ["2. Participants"],
        [
            "Name",
            "First Join",
            "Last Leave",
            "In-Meeting Duration",
            "Email",
            "Participant ID (UPN)",
            "Role",
        ],
        *[list(p) for p in participants],
    ]
    if activities:
        rows += [
            [],
            ["3. In-Meeting Activities"],
            ["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"],
            *[list(a) for a in activities],
        ]
    return table(rows, delimiter=delimiter).encode(encoding)


def webex(
    people: Sequence[Sequence[str]], *, encoding: str = "utf-16", wrapped: bool = True
) -> bytes:
    """people: (name, email, join, leave, duration[, role]), values wrapped as ="…"."""

    def cell(value: str) -> str:
        return f'="{value}"' if wrapped and value else value

    rows = [["Name", "Attendee Email", "Join Time", "Leave Time", "Attendance Duration", "Role"]]
    rows += [[cell(v) for v in p] for p in people]
    return table(rows, delimiter="\t").encode(encoding)


# ------------------------------------------------------------------ a held webinar's report


@dataclass(frozen=True)
class Stay:
    """One person's time in the meeting, from joining to leaving (a rejoin is another)."""

    name: str
    email: str
    joined: datetime
    left: datetime
    role: str = "attendee"  # "attendee", "host" or "speaker"
    registered: bool = False

    @property
    def seconds(self) -> int:
        return int((self.left - self.joined).total_seconds())


def absent_positions(registered: int) -> set[int]:
    """Which of ``registered`` people (by order of registration) did not come: the second and
    the last from four people on (the last of two or three); from ten on, one in three too
    (the 2nd, 5th, 8th…), about the share of registrants a webinar usually misses."""
    if registered >= 10:
        return {n for n in range(registered) if n % 3 == 1} | {registered - 1}
    if registered >= 4:
        return {1, registered - 1}
    if registered >= 2:
        return {registered - 1}
    return set()


def stays(webinar: Webinar) -> list[Stay]:
    """Who was in the meeting of ``webinar`` and when, made from its registrations: every
    registered person but those of ``absent_positions``, one of them leaving for a few minutes
    and rejoining; two people who had not registered; the first host contact and the first
    speaker."""
    start = webinar.starts_at or webinar.planned_start
    if start is None:
        raise ValueError("The webinar has no date.")
    end = start + timedelta(minutes=webinar.minutes)
    registrations = list(
        Registration.objects.filter(webinar=webinar, status=Registration.Status.REGISTERED)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    absent = absent_positions(len(registrations))
    found: list[Stay] = []
    contact = (
        Affiliation.objects.filter(
            organisation=webinar.proposal.lead_organisation, status=Affiliation.Status.VERIFIED
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if contact is not None:
        found.append(
            Stay(
                neutralise(contact.user.name),
                contact.user.email,
                start - timedelta(minutes=6),
                end + timedelta(minutes=4),
                role="host",
            )
        )
    speaker = webinar.speakers.filter(role="speaker").order_by("position", "pk").first()
    if speaker is not None:
        found.append(
            Stay(neutralise(speaker.name), "", start - timedelta(minutes=3), end, role="speaker")
        )
    attending = [r for n, r in enumerate(registrations) if n not in absent]
    for n, each in enumerate(attending):
        name = neutralise(each.name or (each.user.name if each.user else ""))
        joined = start + timedelta(minutes=(n * 3) % 8, seconds=(n * 17) % 60)
        left = end - timedelta(minutes=(n * 5) % 13)
        if n == 0:  # the connection dropped: back three minutes later
            dropped = start + timedelta(minutes=24)
            found.append(Stay(name, each.email, joined, dropped, registered=True))
            joined = dropped + timedelta(minutes=3)
        found.append(Stay(name, each.email, joined, left, registered=True))
    first = (webinar.pk * 2) % len(UNREGISTERED)
    for offset, minutes in ((0, 31), (1, 18)):
        name, email = UNREGISTERED[(first + offset) % len(UNREGISTERED)]
        joined = start + timedelta(minutes=9 + offset * 11)
        found.append(Stay(name, email, joined, joined + timedelta(minutes=minutes)))
    return found


def for_webinar(webinar: Webinar, kind: str) -> bytes:
    """The report of ``webinar``'s meeting (``stays``) in the layout ``kind``, one of
    ``WRITTEN``, with its times in the series' time zone."""
    zone = ZoneInfo(queries.reference_zone(webinar.call))
    people = stays(webinar)
    start = min(s.joined for s in people) if people else webinar.starts_at
    end = max(s.left for s in people) if people else webinar.ends_at
    assert start is not None and end is not None
    host_email = next((s.email for s in people if s.role == "host"), "")
    if kind == readers.ZOOM_MEETING:
        return _zoom(webinar, people, zone, start, end, host_email)
    if kind == readers.TEAMS:
        return _teams(webinar, people, zone, start, end)
    if kind == readers.WEBEX:
        return _webex(people, zone)
    raise ValueError(f"No sample is written as {kind}.")


def _minutes(seconds: int) -> str:
    return str(math.ceil(seconds / 60))


def _zoom(
    webinar: Webinar,
    people: list[Stay],
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    host_email: str,
) -> bytes:
    def moment(value: datetime) -> str:
        return value.astimezone(zone).strftime("%m/%d/%Y %I:%M:%S %p")

    rows = [
        (
            s.name,
            s.email,
            moment(s.joined),
            moment(s.left),
            _minutes(s.seconds),
            "No" if s.role != "attendee" or s.registered else "Yes",
        )
        for s in sorted(people, key=lambda s: s.joined)
    ]
    return zoom_meeting(
        rows,
        topic=webinar.title,
        host_email=host_email,
        start=moment(start),
        end=moment(end),
    )


def _teams(
    webinar: Webinar, people: list[Stay], zone: ZoneInfo, start: datetime, end: datetime
) -> bytes:
    def moment(value: datetime) -> str:
        return value.astimezone(zone).strftime("%d/%m/%Y, %H:%M:%S")

    def duration(seconds: int) -> str:
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return (f"{hours}h " if hours else "") + f"{minutes}m {seconds}s"

    roles = {"host": "Organizer", "speaker": "Presenter", "attendee": "Attendee"}
    by_person: dict[str, list[Stay]] = {}
    for stay in people:
        by_person.setdefault(stay.email.lower() or stay.name, []).append(stay)
    participants = []
    for group in by_person.values():
        first = group[0]
        participants.append(
            (
                first.name,
                moment(min(s.joined for s in group)),
                moment(max(s.left for s in group)),
                duration(sum(s.seconds for s in group)),
                first.email,
                first.email if first.registered or first.role == "host" else "",
                roles[first.role],
            )
        )
    activities = [
        (s.name, moment(s.joined), moment(s.left), duration(s.seconds), s.email, roles[s.role])
        for s in sorted(people, key=lambda s: s.joined)
    ]
    return teams(
        participants, activities, title=webinar.title, start=moment(start), end=moment(end)
    )


def _webex(people: list[Stay], zone: ZoneInfo) -> bytes:
    def moment(value: datetime) -> str:
        return value.astimezone(zone).strftime("%m/%d/%Y %I:%M %p")

    roles = {"host": "Host", "speaker": "Panelist", "attendee": "Attendee"}
    rows = [
        (
            s.name,
            s.email,
            moment(s.joined),
            moment(s.left),
            f"{_minutes(s.seconds)} mins",
            roles[s.role],
        )
        for s in sorted(people, key=lambda s: s.joined)
    ]
    return webex(rows)
