"""Participation: who registered for the series' webinars and who came (the attendance kept by
the imports), per webinar, per month and by the groups the workplan asks about: sex, ILO region,
UN M49 region, country, partner type, member or public, Pathfinder Country and time zone; and the
audience the timetable expected against who came, per time zone.

Registered: the registrations holding a seat (registered, or offered one), cancelled and waiting
ones apart. Attended: the attendance rows of the webinars' sessions, hosts apart; an attendee
matched to a registration carries its answers (sex, country, organisation, zone), one who had
not registered counts as "unknown". A person attending a webinar and its repeat counts twice.

No one may be told apart: every group of fewer than 5 people is shown as "fewer than 5", and
when a single group of a breakdown is hidden, the next smallest is hidden too
(``webinars.attendance.sheet.suppress``). Read-only, for the secretariat. A fixed number of
queries, each aggregated in the database, whatever the number of registrations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deepdive.core.permissions import Actor, require_secretariat
from deepdive.directory.models import Affiliation
from deepdive.reference.models import Country, PartnerType
from deepdive.reference.regions import IloRegion, M49Region
from deepdive.series.models import Call, Series
from deepdive.webinars.attendance.sheet import SMALLEST_SHOWN, suppress
from deepdive.webinars.audience import audience_of, member_shares
from deepdive.webinars.models import Attendance, Registration, Webinar
from deepdive.webinars.registration import SEATED

__all__ = ["SMALLEST_SHOWN", "Breakdown", "Filters", "Participation", "Row", "participation"]


@dataclass(frozen=True)
class Filters:
    """What a report covers: the series' webinars held or planned, of one call if given, whose
    start falls in the period (both ends included) if given."""

    series: Series
    call: Call | None = None
    start: date | None = None
    end: date | None = None

    def webinars(self) -> QuerySet[Webinar]:
        webinars = Webinar.objects.filter(
            proposal__call__series=self.series, starts_at__isnull=False
        )
        if self.call is not None:
            webinars = webinars.filter(proposal__call=self.call)
        if self.start is not None:
            webinars = webinars.filter(starts_at__gte=datetime.combine(self.start, time(), UTC))
        if self.end is not None:
            webinars = webinars.filter(starts_at__lt=datetime.combine(self.end, time.max, UTC))
        return webinars

    def described(self) -> list[tuple[str, str]]:
        """The filters in words, for the page and the exports' first sheet."""
        return [
            (pgettext("one series", "Series"), self.series.text("title")),
            (_("Call"), self.call.text("title") if self.call else _("every call")),
            (_("From"), date_format(self.start) if self.start else _("the first webinar")),
            (_("Until"), date_format(self.end) if self.end else _("the last webinar")),
        ]


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: ``None`` for a count hidden ("fewer than 5"). ``value`` is
    what an export writes in the first column (a date for a month)."""

    label: str
    registered: int | None
    attended: int | None
    value: Any = None


@dataclass
class Breakdown:
    title: str
    heading: str  # the first column's heading
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class ZoneReach:
    """One time zone: its share of the audience the timetable expected (per cent, averaged
    over the webinars) and the attendees who came from it (hidden under 5)."""

    zone: str
    expected: float
    attended: int | None
    attended_share: float | None


@dataclass
class Participation:
    filters: Filters
    registered: int | None = None
    attended: int | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    reach: list[ZoneReach] = field(default_factory=list)


def _shown(n: int) -> int | None:
    """A total as the page shows it: 1 to 4 hidden; 0 shown, as it identifies no one (and
    every row of the breakdowns reads 0 then too)."""
    return n if n == 0 or n >= SMALLEST_SHOWN else None


def _counts(rows: QuerySet[Any], key: str) -> dict[Any, int]:
    return {
        row[key]: row["n"]
        for row in rows.order_by().values(key).annotate(n=Count("pk")).values(key, "n")
    }


def _suppressed(counts: list[int]) -> list[int | None]:
    """``counts`` with the small groups hidden (``None``) by the attendance sheet's rule. An
    empty group stays 0: it names no one, and hiding it would make the rule hide a second,
    real group beside every column that is empty for a row shown for the other column."""
    people = [(str(i), n) for i, n in enumerate(counts) if n]
    hidden = {group.label: group.count for group in suppress(people)}
    return [hidden[str(i)] if n else 0 for i, n in enumerate(counts)]


def _breakdown(
    title: str,
    heading: str,
    registered: dict[Any, int],
    attended: dict[Any, int],
    label: Callable[[Any], str],
    *,
    order: Iterable[Any] | None = None,
    value: Callable[[Any], Any] | None = None,
) -> Breakdown:
    """The breakdown of both counts by the same keys, each column suppressed on its own."""
    keys = (
        list(order)
        if order is not None
        else sorted(
            set(registered) | set(attended), key=lambda k: (k in ("", None), label(k).casefold())
        )
    )
    keys = [k for k in keys if registered.get(k) or attended.get(k)]
    shown_registered = _suppressed([registered.get(k, 0) for k in keys])
    shown_attended = _suppressed([attended.get(k, 0) for k in keys])
    rows = [
        Row(
            label(k),
            shown_registered[i],
            shown_attended[i],
            value(k) if value is not None else label(k),
        )
        for i, k in enumerate(keys)
    ]
    return Breakdown(title, heading, rows)


def _named(choices: dict[Any, Any], unknown: str) -> Callable[[Any], str]:
    return lambda key: str(choices.get(key, unknown))


def _regroup(counts: dict[Any, int], to: Callable[[Any], Any]) -> dict[Any, int]:
    grouped: dict[Any, int] = defaultdict(int)
    for key, n in counts.items():
        grouped[to(key)] += n
    return dict(grouped)


def participation(*, reader: Actor, filters: Filters) -> Participation:
    """The participation report for the secretariat (PermissionDenied for anyone else)."""
    require_secretariat(reader)
    webinars = filters.webinars()
    registrations = Registration.objects.filter(webinar__in=webinars, status__in=SEATED)
    attendance = Attendance.objects.filter(webinar__in=webinars, counted_as_host=False)
    verified = Affiliation.objects.filter(status=Affiliation.Status.VERIFIED)
    registrations = registrations.annotate(
        is_member=Exists(verified.filter(user=OuterRef("user"))),
        kind=Coalesce("organisation__partner_type__code", "partner_type"),
    )
    attendance = attendance.annotate(
        is_member=Exists(verified.filter(user=OuterRef("registration__user"))),
        kind=Coalesce(
            "registration__organisation__partner_type__code", "registration__partner_type"
        ),
    )
    # The attendee's answers are those of their registration, if any.
    answers = {
        "sex": ("sex", "registration__sex"),
        "country": ("country", "registration__country"),
        "zone": ("timezone", "registration__timezone"),
        "kind": ("kind", "kind"),
        "is_member": ("is_member", "is_member"),
        "webinar": ("webinar", "webinar"),
    }
    reg: dict[str, dict[Any, int]] = {}
    came: dict[str, dict[Any, int]] = {}
    for name, (on_registration, on_attendance) in answers.items():
        reg[name] = _counts(registrations, on_registration)
        came[name] = _counts(attendance, on_attendance)
        if name in ("sex", "country", "zone", "kind"):  # NULL: not registered, unknown
            reg[name] = _regroup(reg[name], lambda k: k or "")
            came[name] = _regroup(came[name], lambda k: k or "")

    report = Participation(filters)
    total_registered = sum(reg["webinar"].values())
    total_attended = sum(came["webinar"].values())
    report.registered, report.attended = _shown(total_registered), _shown(total_attended)

    unknown = _("unknown")
    found = {
        w.pk: w
        for w in Webinar.objects.filter(pk__in=set(reg["webinar"]) | set(came["webinar"]))
        .select_related("proposal")
        .order_by("starts_at", "pk")
    }
    titles = {pk: w.title for pk, w in found.items()}

    # A month is its webinars' (UTC), so it is added up from the counts per webinar: cheaper
    # than truncating every row's date in the database (SQLite does it in Python, row by row).
    def month_of(pk: int) -> datetime | None:
        starts = found[pk].starts_at if pk in found else None
        if starts is None:
            return None
        starts = starts.astimezone(UTC)
        return datetime(starts.year, starts.month, 1, tzinfo=UTC)

    reg["month"] = _regroup(reg["webinar"], month_of)
    came["month"] = _regroup(came["webinar"], month_of)
    report.breakdowns.append(
        _breakdown(
            _("Per webinar"),
            _("Webinar"),
            reg["webinar"],
            came["webinar"],
            lambda pk: titles.get(pk, unknown),
            order=titles,
        )
    )
    report.breakdowns.append(
        _breakdown(
            _("Per month"),
            _("Month"),
            reg["month"],
            came["month"],
            lambda m: date_format(m, "YEAR_MONTH_FORMAT") if m else unknown,
            order=sorted(
                set(reg["month"]) | set(came["month"]),
                key=lambda m: m or datetime.max.replace(tzinfo=UTC),
            ),
            value=lambda m: m.date() if m else unknown,
        )
    )
    sexes = dict(Registration.Sex.choices)
    report.breakdowns.append(
        _breakdown(
            _("By sex"),
            _("Sex"),
            reg["sex"],
            came["sex"],
            lambda k: str(sexes.get(k, unknown)),
            order=[*sexes, ""],
        )
    )
    countries = {
        c.code: c
        for c in Country.objects.filter(
            code__in=set(reg["country"]) | set(came["country"])
        ).select_related("pathfinder")
    }
    ilo, m49 = dict(IloRegion.choices), dict(M49Region.choices)

    def region(choices: dict[str, Any], attribute: str) -> Callable[[str], str]:
        return lambda code: getattr(countries[code], attribute) if code in countries else ""

    def pathfinder(code: str) -> str:
        if code not in countries:
            return ""
        return "yes" if hasattr(countries[code], "pathfinder") else "no"

    for title, heading, to, choices in (
        (_("By ILO region"), _("ILO region"), region(ilo, "ilo_region"), ilo),
        (_("By UN M49 region"), _("UN M49 region"), region(m49, "m49_region"), m49),
    ):
        report.breakdowns.append(
            _breakdown(
                title,
                heading,
                _regroup(reg["country"], to),
                _regroup(came["country"], to),
                _named(choices, unknown),
                order=[*choices, ""],
            )
        )
    report.breakdowns.append(
        _breakdown(
            _("By country"),
            _("Country"),
            reg["country"],
            came["country"],
            lambda code: countries[code].name if code in countries else unknown,
        )
    )
    yes_no = {"yes": _("Pathfinder Country"), "no": _("other country"), "": unknown}
    report.breakdowns.append(
        _breakdown(
            _("Pathfinder Countries"),
            _("Country"),
            _regroup(reg["country"], pathfinder),
            _regroup(came["country"], pathfinder),
            lambda k: str(yes_no[k]),
            order=["yes", "no", ""],
        )
    )
    kinds = {
        t.code: str(t)
        for t in PartnerType.objects.filter(code__in=set(reg["kind"]) | set(came["kind"]))
    }
    report.breakdowns.append(
        _breakdown(
            _("By partner type"),
            _("Partner type"),
            reg["kind"],
            came["kind"],
            lambda k: kinds.get(k or "", unknown),
        )
    )
    member_words = {True: _("member (verified affiliation)"), False: _("public")}
    report.breakdowns.append(
        _breakdown(
            _("Members and public"),
            _("Registered as"),
            reg["is_member"],
            came["is_member"],
            lambda k: str(member_words[bool(k)]),
            order=[True, False],
        )
    )
    report.breakdowns.append(
        _breakdown(
            _("By time zone"),
            _("Time zone"),
            reg["zone"],
            came["zone"],
            lambda z: z or unknown,
        )
    )
    report.reach = _reach(webinars, came["zone"])
    return report


def _reach(webinars: QuerySet[Webinar], came: dict[str, int]) -> list[ZoneReach]:
    """Per zone, the timetable's expected audience (``webinars.audience``, the weights the plan
    placed each webinar for, averaged over the webinars) against the attendees who came."""
    rows = list(
        webinars.select_related("proposal__call__series").prefetch_related("proposal__countries")
    )
    # What the timetable knew when it placed a call's webinars: the series' past audience
    # before the call's first webinar (``webinars.audience.member_shares``).
    first_of: dict[int, datetime] = {}
    for webinar in rows:
        call_id = webinar.proposal.call_id
        if webinar.starts_at and (call_id not in first_of or webinar.starts_at < first_of[call_id]):
            first_of[call_id] = webinar.starts_at
    expected: dict[str, float] = defaultdict(float)
    members: dict[int, dict[str, float]] = {}
    for webinar in rows:
        call = webinar.proposal.call
        if call.pk not in members:
            members[call.pk] = member_shares(call, before=first_of.get(call.pk))
        for zone, weight in audience_of(webinar, members=members[call.pk]).items():
            expected[zone] += weight / len(rows)
    known = {z: n for z, n in came.items() if z}
    shown = dict(zip(known, _suppressed(list(known.values())), strict=True))
    total = sum(known.values())
    zones = sorted(set(expected) | set(known), key=lambda z: (-expected.get(z, 0), z))
    return [
        ZoneReach(
            zone,
            round(expected.get(zone, 0.0), 1),
            shown.get(zone) if zone in known else 0,
            round(100 * known[zone] / total, 1) if shown.get(zone) is not None and total else None,
        )
        for zone in zones
    ]
