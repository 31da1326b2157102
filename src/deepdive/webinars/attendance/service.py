"""Importing who attended a held webinar from the meeting platform's report.

``preview`` reads the file (``readers``), folds its rows into people, counts the webinar's own
host contacts and speakers as hosts, and matches the others with the webinar's registrations;
it writes nothing. ``import_attendance`` does the same and keeps one ``Attendance`` row per
person, in one transaction. The file itself is never stored.

A webinar with a repeat session has two meetings, hence two reports: each import says which
session its file is of (``sessions.FIRST``, the default, or ``sessions.REPEAT``); its dates are
read against that session's start and its rows kept for that session only, so importing one
session's report never touches the other's rows.

Who may act: the webinar's hosts and the secretariat (``queries.hosts_or_secretariat``);
``actor=None`` is the platform's command line (``deepdive attendance``), run by whoever runs
the server. The webinar must have been held (or its end passed). A file that cannot be used raises
``AttendanceFileUnusable`` (a ``Refused`` with the line and the problem, on the field
``file``), before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import require
from deepdive.core.refusals import Refused
from deepdive.directory.models import Affiliation

from .. import queries, sessions
from ..actions import WebinarAction
from ..follow_up import draft_follow_up
from ..models import Attendance, Registration, RepeatSession, Webinar
from . import readers

# What a file's problem says, in the reader's language (``readers.PROBLEMS`` in English).
FILE_PROBLEMS = {
    "empty": gettext_lazy("Line %(line)s: the file is empty."),
    "encoding": gettext_lazy(
        "Line %(line)s: the file is not text in UTF-8 or UTF-16. Export the report again "
        "from the meeting platform, as CSV."
    ),
    "unknown_format": gettext_lazy(
        "Line %(line)s: this is not an attendance report from Zoom, Microsoft Teams or Webex "
        "(no participants' header row was found)."
    ),
    "truncated": gettext_lazy(
        "Line %(line)s: the file is cut off. Download the report again and upload it whole."
    ),
    "no_rows": gettext_lazy(
        "Line %(line)s: no participant follows the participants' header. Is the file cut off?"
    ),
}
ROW_PROBLEMS = {
    "no_person": gettext_lazy("no name and no e-mail address"),
    "bad_time": gettext_lazy("cannot read the time “%(value)s”"),
    "bad_duration": gettext_lazy("cannot read the duration “%(value)s”"),
    "leave_before_join": gettext_lazy("the leave time comes before the join time"),
    "no_time": gettext_lazy("neither a join and leave time nor a duration"),
    "short_row": gettext_lazy("the row has fewer columns than the header"),
}
FORMAT_NAMES = {
    readers.ZOOM_MEETING: "Zoom (meeting participants)",
    readers.ZOOM_WEBINAR: "Zoom (webinar attendee report)",
    readers.TEAMS: "Microsoft Teams",
    readers.WEBEX: "Webex",
}


class AttendanceRefused(Refused):
    """Attendance cannot be imported now (the webinar was not held)."""


class AttendanceFileUnusable(Refused):
    """The file cannot be read at all: ``line`` and ``problem`` say where and why."""

    def __init__(self, message: str, *, line: int):
        super().__init__(errors={"file": [message]})
        self.line = line
        self.problem = message


@dataclass(frozen=True)
class PersonPreview:
    """One person of the report, folded, with what the import makes of them."""

    key: str  # the e-mail address in lower case, else the name
    name: str
    email: str
    minutes: int
    is_host: bool
    registration: Registration | None
    lines: tuple[int, ...]

    @property
    def is_new(self) -> bool:
        """An attendee who had not registered."""
        return not self.is_host and self.registration is None


@dataclass(frozen=True)
class UnreadableRow:
    line: int
    reason: str


@dataclass(frozen=True)
class AttendancePreview:
    format: str
    people: list[PersonPreview]
    unreadable: list[UnreadableRow]
    warnings: list[str] = field(default_factory=list)
    created: int = 0  # rows written by the import (0 for a preview)
    updated: int = 0

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.format]

    @property
    def attendees(self) -> list[PersonPreview]:
        return [p for p in self.people if not p.is_host]

    @property
    def hosts(self) -> list[PersonPreview]:
        return [p for p in self.people if p.is_host]

    @property
    def matched(self) -> list[PersonPreview]:
        return [p for p in self.attendees if p.registration is not None]

    @property
    def new(self) -> list[PersonPreview]:
        return [p for p in self.attendees if p.registration is None]

    def as_json(self) -> dict:
        """The answer of ``deepdive attendance`` (DESIGN.md, "Attendance")."""
        return {
            "format": self.format,
            "attendees": len(self.attendees),
            "hosts": len(self.hosts),
            "matched": len(self.matched),
            "new": len(self.new),
            "minutes": {p.key: p.minutes for p in self.attendees},
            "unreadable": [{"line": u.line, "reason": u.reason} for u in self.unreadable],
        }


def _check(actor: User | None, webinar: Webinar, session: str) -> RepeatSession | None:
    """Check the actor and that the session was held; return the repeat session the file is
    of, None for the first session."""
    # None: the platform's command line (``deepdive attendance``).
    require(queries.hosts_or_secretariat(actor, webinar, platform=True))
    if not sessions.is_held(webinar):
        raise AttendanceRefused(_("Attendance can be imported once the webinar has been held."))
    if session == sessions.FIRST:
        return None
    repeat = sessions.repeat_of(webinar) if session == sessions.REPEAT else None
    if repeat is None or not repeat.is_published:
        raise AttendanceRefused(errors={"session": [_("This webinar has no repeat session.")]})
    if repeat.ends_at is None or repeat.ends_at > timezone.now():
        raise AttendanceRefused(
            errors={
                "session": [
                    _("The repeat session's attendance can be imported once it has been held.")
                ]
            }
        )
    return repeat


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _host_people(webinar: Webinar) -> tuple[set[str], set[str]]:
    """(e-mail addresses, names) of the webinar's host contacts and speakers."""
    proposal = webinar.proposal
    emails: set[str] = set()
    names: set[str] = set()
    contacts = Affiliation.objects.filter(
        organisation__in=queries.hosts_of(webinar), status=Affiliation.Status.VERIFIED
    ).select_related("user")
    users = [a.user for a in contacts]
    if proposal.created_by_id:
        users.append(proposal.created_by)
    for user in users:
        if user.email:
            emails.add(user.email.lower())
        if getattr(user, "name", ""):
            names.add(_norm(user.name))
    for speaker in proposal.speakers.all():
        names.add(_norm(speaker.name))
        if speaker.email:
            emails.add(speaker.email.lower())
    for person in webinar.speakers.all():
        names.add(_norm(person.name))
    names.discard("")
    return emails, names


def _zone(webinar: Webinar) -> ZoneInfo:
    return ZoneInfo(queries.reference_zone(webinar.call))


def _session_date(webinar: Webinar, repeat: RepeatSession | None, zone: ZoneInfo) -> date:
    """The day the report's session took place, in the series' zone: its dates are read
    against it."""
    session = repeat or webinar
    start = session.starts_at or session.planned_start
    return start.astimezone(zone).date() if start else timezone.now().astimezone(zone).date()


def _read(webinar: Webinar, data: bytes, repeat: RepeatSession | None) -> AttendancePreview:
    zone = _zone(webinar)
    held_on = _session_date(webinar, repeat, zone)
    try:
        report = readers.read(data, webinar_date=held_on, zone=zone)
    except readers.UnusableFile as exc:
        line = exc.line or 1
        raise AttendanceFileUnusable(
            str(FILE_PROBLEMS[exc.code] % {"line": line}), line=line
        ) from None
    host_emails, host_names = _host_people(webinar)
    registrations = list(
        Registration.objects.filter(webinar=webinar)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    by_email: dict[str, Registration] = {}
    by_name: dict[str, list[Registration]] = {}
    # A live registration is matched before a cancelled one of the same person.
    for each in sorted(registrations, key=lambda r: r.status == Registration.Status.CANCELLED):
        if each.email:
            by_email.setdefault(each.email.lower(), each)
        name = each.name or (each.user.name if each.user else "")
        if name:
            by_name.setdefault(_norm(name), []).append(each)
    people = []
    for person in readers.fold(report.rows):
        email = person.email.lower()
        is_host = (
            person.is_host
            or (bool(email) and email in host_emails)
            or _norm(person.name) in host_names
        )
        registration: Registration | None = None
        if email:
            registration = by_email.get(email)
        if registration is None and person.name:
            same = by_name.get(_norm(person.name), [])
            registration = same[0] if len(same) == 1 else None
        people.append(
            PersonPreview(
                key=person.key,
                name=person.name,
                email=person.email,
                minutes=person.minutes,
                is_host=is_host,
                registration=registration,
                lines=person.lines,
            )
        )
    unreadable = [
        UnreadableRow(u.line, str(ROW_PROBLEMS[u.problem.code] % u.problem.params))
        for u in report.unreadable
    ]
    return AttendancePreview(
        format=report.format,
        people=people,
        unreadable=unreadable,
        warnings=_warnings(webinar, report, held_on, zone),
    )


def _warnings(webinar: Webinar, report: readers.Report, held_on: date, zone: ZoneInfo) -> list[str]:
    """Signs that the report is of another meeting: its date or its title."""
    found = []
    if report.first_join is not None:
        met_on = report.first_join.astimezone(zone).date()
        if abs((met_on - held_on).days) > 1:
            found.append(
                _(
                    "This report's meeting took place on %(report)s, the webinar on "
                    "%(webinar)s: is it the report of this webinar?"
                )
                % {"report": met_on.isoformat(), "webinar": held_on.isoformat()}
            )
    title, topic = _norm(webinar.title), _norm(report.title)
    if topic and title and topic not in title and title not in topic:
        found.append(
            _(
                "This report is about “%(report)s”, the webinar is “%(webinar)s”: is it the "
                "right report?"
            )
            % {"report": report.title, "webinar": webinar.title}
        )
    return found


def preview(
    *, actor: User | None, webinar: Webinar, data: bytes, session: str = sessions.FIRST
) -> AttendancePreview:
    """What importing ``data``, the report of ``session`` (``sessions.FIRST`` or ``REPEAT``),
    would do: people, hosts, matched registrations, new attendees, rows that cannot be read,
    warnings. Writes nothing.

    Refused: neither a host nor the secretariat (PermissionDenied); a webinar not held, or a
    repeat session it does not have or that was not held (``AttendanceRefused``, field
    ``session``); a file that cannot be used (``AttendanceFileUnusable``)."""
    repeat = _check(actor, webinar, session)
    return _read(webinar, data, repeat)


def import_attendance(
    *, actor: User | None, webinar: Webinar, data: bytes, session: str = sessions.FIRST
) -> AttendancePreview:
    """Keep who attended ``session`` (``sessions.FIRST`` or ``REPEAT``), one ``Attendance``
    row per person of the report: a row of the same person and session from an earlier
    import is replaced, the others (the other session's among them) are kept. Importing the
    same file again changes nothing.

    Refused: as ``preview``. Side effects: the rows; one audit entry
    ("webinars.attendance_imported", counts only) when a row was added or changed; then the
    follow-up e-mails drafted for approval (``follow_up.draft_follow_up``)."""
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        repeat = _check(actor, webinar, session)
        result = _read(webinar, data, repeat)
        now = timezone.now()
        imported_by = actor if actor is not None and actor.is_authenticated else None
        created = updated = 0
        for person in result.people:
            if person.email:
                existing = Attendance.objects.filter(
                    webinar=webinar, repeat=repeat, email__iexact=person.email
                ).first()
            else:
                existing = Attendance.objects.filter(
                    webinar=webinar, repeat=repeat, email="", name__iexact=person.name
                ).first()
            values = {
                "name": person.name,
                "email": person.email,
                "minutes": person.minutes,
                "counted_as_host": person.is_host,
                "registration": person.registration,
            }
            if existing is None:
                Attendance.objects.create(
                    webinar=webinar,
                    repeat=repeat,
                    imported_at=now,
                    imported_by=imported_by,
                    **values,
                )
                created += 1
                continue
            if all(
                getattr(existing, key) == value
                for key, value in values.items()
                if key != "registration"
            ) and existing.registration_id == (
                person.registration.pk if person.registration else None
            ):
                continue
            for key, value in values.items():
                setattr(existing, key, value)
            existing.imported_at = now
            existing.imported_by = imported_by
            existing.save()
            updated += 1
        if created or updated:
            audit.record(
                actor=actor,
                action=WebinarAction.ATTENDANCE_IMPORTED,
                subject=webinar,
                summary=(
                    f"{FORMAT_NAMES[result.format]} report"
                    f"{' of the repeat session' if repeat else ''}: "
                    f"{len(result.attendees)} attendees, "
                    f"{len(result.hosts)} hosts, {created} rows added, {updated} changed"
                ),
            )
    draft_follow_up(actor=actor, webinar=webinar)
    return replace(result, created=created, updated=updated)
