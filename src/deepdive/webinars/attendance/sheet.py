"""Who attended a held webinar against who registered: its attendance sheet, read from the
registrations and the attendance kept by the imports (``service``).

Every registration (the cancelled ones and those who never had a seat marked) with whether the
person attended and for how long; the attendees who had not registered; the hosts, panelists
and speakers apart; the totals; and the attendees by sex, where a group smaller than five is
not shown (``SMALLEST_SHOWN``). Personal data: only for the webinar's hosts and the
secretariat (``queries.hosts_or_secretariat``). Two queries, whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deepdive.core.permissions import Actor, require

from .. import queries
from ..models import Attendance, Registration, Webinar
from ..sessions import is_held

# A group of fewer people than this is shown as "fewer than 5", never as its number: with the
# names on the list beside it, a small count would tell who is who.
SMALLEST_SHOWN = 5

# The groups of the sex-disaggregated count, in the order shown; "unknown": not asked, not
# answered, or not registered.
SEXES = (
    (Registration.Sex.FEMALE, _("female")),
    (Registration.Sex.MALE, _("male")),
    (Registration.Sex.ANOTHER, _("another")),
    (Registration.Sex.NOT_SAID, _("not said")),
    ("", _("unknown")),
)


@dataclass(frozen=True)
class Person:
    """One line of the sheet."""

    name: str
    email: str
    status: str = ""  # the registration's status, in words; "" when not registered
    is_registered: bool = False  # holds a seat (not cancelled, waiting or unconfirmed)
    is_cancelled: bool = False
    attended: bool = False
    as_host: bool = False  # attended, counted with the hosts
    minutes: int | None = None


@dataclass(frozen=True)
class Group:
    label: str
    count: int | None  # None: fewer than SMALLEST_SHOWN, not shown


@dataclass
class Sheet:
    webinar: Webinar
    registrations: list[Person] = field(default_factory=list)
    new: list[Person] = field(default_factory=list)  # attended without registering
    hosts: list[Person] = field(default_factory=list)
    registered: int = 0
    cancelled: int = 0
    attended: int = 0  # every attendee, registered or not (hosts apart)
    registered_attended: int = 0
    rate: int | None = None  # percent of the registered who attended
    average_minutes: int | None = None
    by_sex: list[Group] = field(default_factory=list)

    @property
    def is_imported(self) -> bool:
        return bool(self.attended or self.hosts)


def links(webinar: Webinar, *, user: Actor) -> dict[str, object]:
    """What the webinar's page shows of its attendance to ``user``: the link to the
    attendance page (held webinars, for its hosts and the secretariat) and whether any
    attendance was imported yet ("Attendance" rather than "Import attendance")."""
    if (
        not user.is_authenticated
        or not is_held(webinar)
        or not queries.hosts_or_secretariat(user, webinar)
    ):
        return {"attendance_url": "", "attendance_imported": False}
    return {
        "attendance_url": attendance_url(webinar),
        "attendance_imported": Attendance.objects.filter(webinar=webinar).exists(),
    }


def attendance_url(webinar: Webinar) -> str:
    """The attendance page of a held webinar, else ""."""
    return reverse("webinars:attendance", kwargs={"pk": webinar.pk}) if is_held(webinar) else ""


def suppress(counts: list[tuple[str, int]]) -> list[Group]:
    """The groups with a count under ``SMALLEST_SHOWN`` hidden. When exactly one is hidden,
    the smallest shown one is hidden too: with the total on the page, a single hidden count
    could be worked out by subtraction."""
    hidden = {label for label, n in counts if n < SMALLEST_SHOWN}
    if len(hidden) == 1 and len(counts) > 1:
        shown = [(n, label) for label, n in counts if label not in hidden]
        hidden.add(min(shown)[1])
    return [Group(label, None if label in hidden else n) for label, n in counts]


def _person_key(row: Attendance) -> tuple[str, str]:
    """One person of the reports: by address (lower case), else by name."""
    return ("email", row.email.lower()) if row.email else ("name", row.name.casefold())


def _add(people: dict[tuple[str, str], Person], key: tuple[str, str], row: Attendance) -> None:
    found = people.get(key)
    minutes = row.minutes + ((found.minutes or 0) if found is not None else 0)
    people[key] = Person(row.name, row.email, attended=True, minutes=minutes)


def attendance_sheet(*, reader: Actor, webinar: Webinar) -> Sheet:
    """The attendance sheet of ``webinar`` for ``reader``, one of its hosts or the secretariat
    (PermissionDenied otherwise)."""
    require(queries.hosts_or_secretariat(reader, webinar))
    registrations = list(
        Registration.objects.filter(webinar=webinar).select_related("user").order_by("pk")
    )
    rows = list(Attendance.objects.filter(webinar=webinar).order_by("name", "email", "pk"))
    attendee_minutes: dict[int, int] = {}
    host_registrations: set[int] = set()
    sheet = Sheet(webinar=webinar)
    sexes = {r.pk: r.sex for r in registrations}
    by_sex = {code: 0 for code, _label in SEXES}
    hosts: dict[tuple[str, str], Person] = {}
    new: dict[tuple[str, str], Person] = {}
    counted: set[int | tuple[str, str]] = set()
    for row in rows:
        # One person, however many rows: the first session's and the repeat's reports, or
        # two addresses of one registration. Their minutes are summed.
        person = _person_key(row)
        if row.counted_as_host:
            _add(hosts, person, row)
            if row.registration_id:
                host_registrations.add(row.registration_id)
            continue
        if row.registration_id:
            attendee_minutes[row.registration_id] = (
                attendee_minutes.get(row.registration_id, 0) + row.minutes
            )
            person_id: int | tuple[str, str] = row.registration_id
        else:
            _add(new, person, row)
            person_id = person
        if person_id not in counted:
            counted.add(person_id)
            sheet.attended += 1
            sex = sexes.get(row.registration_id or 0, "")
            by_sex[sex if sex in by_sex else ""] += 1
    sheet.hosts = list(hosts.values())
    sheet.new = list(new.values())
    for each in registrations:
        seated = each.status == Registration.Status.REGISTERED
        minutes = attendee_minutes.get(each.pk)
        sheet.registrations.append(
            Person(
                name=each.name or (each.user.name if each.user else ""),
                email=each.email,
                status=str(each.get_status_display()),
                is_registered=seated,
                is_cancelled=each.status == Registration.Status.CANCELLED,
                attended=minutes is not None,
                as_host=each.pk in host_registrations,
                minutes=minutes,
            )
        )
        sheet.registered += seated
        sheet.cancelled += each.status == Registration.Status.CANCELLED
        sheet.registered_attended += seated and minutes is not None
    # Those who held a seat first, then the others; by name within each.
    sheet.registrations.sort(key=lambda p: (not p.is_registered, p.name.casefold(), p.email))
    if sheet.registered:
        sheet.rate = round(100 * sheet.registered_attended / sheet.registered)
    if sheet.attended:
        total = sum(r.minutes for r in rows if not r.counted_as_host)
        sheet.average_minutes = round(total / sheet.attended)
    sheet.by_sex = suppress([(str(label), by_sex[code]) for code, label in SEXES])
    return sheet
