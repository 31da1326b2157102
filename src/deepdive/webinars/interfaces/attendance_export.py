"""The attendance sheet of a held webinar as a CSV file, for its hosts and the secretariat:
one row per person (registrations, attendees who had not registered, hosts), never a joining
link. Text a spreadsheet would run as a formula is neutralised (``core.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from deepdive.core.exports import csv_bytes

from ..attendance.sheet import Person, Sheet


def rows(sheet: Sheet) -> list[list[str | int]]:
    """The header, then every person of ``sheet``, in the reader's language."""

    def attended(person: Person) -> str:
        if person.as_host:
            return _("yes, as a host")
        return _("yes") if person.attended else _("no")

    def row(person: Person, registration: str) -> list[str | int]:
        minutes: str | int = person.minutes if person.minutes is not None else ""
        return [person.name, person.email, registration, attended(person), minutes]

    header: list[str | int] = [
        _("Name"),
        _("E-mail address"),
        _("Registration"),
        _("Attended"),
        _("Minutes"),
    ]
    return [
        header,
        *(row(p, p.status) for p in sheet.registrations),
        *(row(p, _("not registered")) for p in sheet.new),
        *(row(p, _("host, panelist or speaker")) for p in sheet.hosts),
    ]


def to_csv(sheet: Sheet) -> bytes:
    return csv_bytes(rows(sheet))
