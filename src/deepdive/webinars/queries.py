"""Reads of webinars for the public programme, the webinar pages and the calendar files.

Only published webinars (``published_at`` set, times from ``starts_at``) are public; the
secretariat also sees unpublished ones (with their planned time, when there is one).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deepdive.core.paging import page_links
from deepdive.core.permissions import Actor, is_secretariat
from deepdive.core.timezones import canonical_zone, is_valid_zone
from deepdive.directory.models import Affiliation, Organisation
from deepdive.proposals.models import WEBINAR_LANGUAGES, CoSubmitter, Proposal
from deepdive.proposals.models import Speaker as ProposalSpeaker
from deepdive.series.models import Call, Series

from . import sessions
from .interfaces import calendar
from .models import AgendaItem, Captions, Material, Recording, Registration, Webinar
from .models import Speaker as WorkspaceSpeaker

DEFAULT_ZONE = "Europe/Paris"
# At most this many audience zones in a webinar's "convert" table (besides UTC, the series'
# zone and the reader's).
MAX_AUDIENCE_ZONES = 8
# Webinars on a page of the programme.
PROGRAMME_PAGE = 20


def timetable_rules_of(call: Call) -> Any:
    """The call's timetable rules (``timetable.models.TimetableRules``, read through
    ``Call.timetable_rules``: the timetable stands above this app), or None."""
    try:
        return call.timetable_rules
    except ObjectDoesNotExist:
        return None


def reference_zone(call: Call) -> str:
    """The series' reference zone for ``call``: its timetable rules' zone, else Europe/Paris."""
    try:
        rules = call.timetable_rules
    except ObjectDoesNotExist:
        return DEFAULT_ZONE
    zone = rules.reference_timezone if rules is not None else ""
    return zone if is_valid_zone(zone) else DEFAULT_ZONE


# ------------------------------------------------------------------------- times in zones


def offset_label(moment: datetime) -> str:
    """``UTC+05:45`` for an aware moment (``UTC`` for a zero offset in the UTC zone)."""
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


@dataclass(frozen=True)
class ZoneTime:
    """A webinar's start and end in one zone, with how its date compares to a base date."""

    zone: str
    start: datetime  # aware, in ``zone``
    end: datetime
    day_shift: int = 0  # local date minus the base date: -1 previous day, +1 next day
    is_reader: bool = False
    is_reference: bool = False
    # The local date in the reader's language, filled by ``with_dates`` for a table's rows.
    date_text: str = ""

    @property
    def label(self) -> str:
        return self.zone.replace("_", " ")

    @property
    def offset(self) -> str:
        return offset_label(self.start)

    @property
    def local_start(self) -> datetime:
        """Naive wall-clock start: templates' date filters would otherwise convert it."""
        return self.start.replace(tzinfo=None)

    @property
    def local_end(self) -> datetime:
        return self.end.replace(tzinfo=None)

    @property
    def ends_next_day(self) -> bool:
        return self.end.date() != self.start.date()

    @property
    def iso(self) -> str:
        return self.start.isoformat()

    @property
    def end_iso(self) -> str:
        return self.end.isoformat()

    @property
    def hours(self) -> str:
        """ "14:00–15:00", wall-clock (what the ``tz_hours`` filter shows)."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


# The date of each row of a "time around the world" table (Django's ``date`` format).
CONVERT_DATE = "D j M Y"


def with_dates(rows: list[ZoneTime]) -> list[ZoneTime]:
    """``rows`` with their local dates written out (``CONVERT_DATE``) in the active language,
    each distinct date formatted once: a table's rows share two or three dates."""
    written: dict[Any, str] = {}
    found = []
    for row in rows:
        day = row.start.date()
        if day not in written:
            written[day] = date_format(row.local_start, CONVERT_DATE)
        found.append(replace(row, date_text=written[day]))
    return found


def zone_time(
    start: datetime,
    minutes: int,
    zone: str,
    *,
    base_zone: str | None = None,
    is_reader: bool = False,
    is_reference: bool = False,
) -> ZoneTime:
    tz = zoneinfo.ZoneInfo(zone)
    local_start = start.astimezone(tz)
    local_end = (start + timedelta(minutes=minutes)).astimezone(tz)
    shift = 0
    if base_zone:
        base_date = start.astimezone(zoneinfo.ZoneInfo(base_zone)).date()
        shift = (local_start.date() - base_date).days
    return ZoneTime(zone, local_start, local_end, shift, is_reader, is_reference)


def shown_start(webinar: Webinar) -> datetime | None:
    """The time a page shows: the published one, else (for the secretariat) the planned one."""
    return webinar.starts_at if webinar.is_published else webinar.planned_start


def audience_zones(webinar: Webinar) -> list[str]:
    """The webinar's main audience zones: its audience (heaviest first) when set, else the
    main zones of the proposal's countries of action."""
    audience = webinar.audience if isinstance(webinar.audience, dict) else {}
    ranked = sorted(
        ((zone, weight) for zone, weight in audience.items() if is_valid_zone(zone)),
        key=lambda item: (-float(item[1] or 0), item[0]),
    )
    zones = [zone for zone, weight in ranked if float(weight or 0) > 0]
    if not zones:
        zones = sorted({country.timezone for country in webinar.proposal.countries.all()}, key=str)
        zones = [zone for zone in zones if is_valid_zone(zone)]
    return zones[:MAX_AUDIENCE_ZONES]


def convert_table(
    webinar: Webinar, *, reader_zone: str, start: datetime | None = None
) -> list[ZoneTime]:
    """The "convert" table of a webinar (of its session starting at ``start``, else the time
    its page shows): its audience zones, the series' zone, UTC and the reader's zone, west to
    east; "next day"/"previous day" against the reader's date."""
    start = start or shown_start(webinar)
    if start is None:
        return []
    reference = reference_zone(webinar.call)
    zones = [*audience_zones(webinar), reference, "UTC"]
    if is_valid_zone(reader_zone):
        zones.append(reader_zone)
    reader, reference_key = canonical_zone(reader_zone), canonical_zone(reference)
    rows = {}
    for zone in zones:
        key = canonical_zone(zone)
        if key not in rows:  # the first name given wins: the audience's, then the series'
            rows[key] = zone_time(
                start,
                webinar.minutes,
                zone,
                base_zone=reader_zone if is_valid_zone(reader_zone) else reference,
                is_reader=key == reader,
                is_reference=key == reference_key,
            )
    return sorted(rows.values(), key=lambda row: (row.start.utcoffset(), row.zone))


@dataclass(frozen=True)
class SessionTimes:
    """One session's time as a webinar's page shows it: ``label`` ("First session", "Repeat
    session"; "" when the webinar has one session), ``key`` (``sessions.FIRST``/``REPEAT``),
    ``reader`` (its time in the reader's zone), ``convert`` (its "time around the world"
    table) and, once published, its "add to calendar" links."""

    label: str
    key: str
    reader: ZoneTime
    convert: list[ZoneTime]
    ics_url: str = ""
    google_link: str = ""
    outlook_link: str = ""


def session_times(webinar: Webinar, *, reader_zone: str) -> list[SessionTimes]:
    """Each session a webinar's page shows (the first, then a published repeat), with its time
    in the reader's zone, its "time around the world" and its calendar links (published
    only); empty while the webinar has no time to show."""
    if not is_valid_zone(reader_zone):
        reader_zone = "UTC"
    shown = sessions.published_sessions(webinar)
    named = len(shown) > 1
    found = []
    for session in shown:
        start = session.starts_at if session is not webinar else shown_start(webinar)
        if start is None:
            continue
        key = sessions.key(session)
        links: dict[str, str] = {}
        if webinar.is_published:
            ics = reverse("webinars:ics", kwargs={"pk": webinar.pk})
            links = {
                "ics_url": ics if key == sessions.FIRST else f"{ics}?session={key}",
                "google_link": calendar.google_link(webinar, session=session),
                "outlook_link": calendar.outlook_link(webinar, session=session),
            }
        found.append(
            SessionTimes(
                label=sessions.label(session) if named else "",
                key=key,
                reader=zone_time(start, webinar.minutes, reader_zone, is_reader=True),
                convert=with_dates(convert_table(webinar, reader_zone=reader_zone, start=start)),
                **links,
            )
        )
    return found


def convert_stamp(items: list[SessionTimes]) -> str:
    """Everything the "time around the world" tables of ``items`` show, but the words of the
    page's language: the page keeps its tables' HTML under this stamp and the language, so a
    kept copy is never out of date (another time, zone or reader zone is another stamp)."""
    return "|".join(
        f"{item.key}:{item.label}:{item.reader.zone}:{item.reader.iso}:{item.reader.end_iso};"
        + ";".join(
            f"{r.zone},{r.iso},{r.end_iso},{r.day_shift},{r.is_reader:d},{r.is_reference:d}"
            for r in item.convert
        )
        for item in items
    )


# ------------------------------------------------------------------------- the programme


def confirmed_co_submitters() -> Prefetch:
    return Prefetch(
        "proposal__co_submitters",
        queryset=CoSubmitter.objects.filter(
            status=CoSubmitter.Status.CONFIRMED, organisation__isnull=False
        ).select_related("organisation"),
        to_attr="confirmed_co_submitters",
    )


def with_details(webinars: QuerySet[Webinar]) -> QuerySet[Webinar]:
    """Everything the programme and the webinar pages show, in a fixed number of queries."""
    return webinars.select_related(
        "proposal__lead_organisation",
        "proposal__call__series",
        "proposal__call__timetable_rules",
        "repeat",
    ).prefetch_related(
        "proposal__themes",
        "proposal__outcomes",
        "proposal__sectors",
        "proposal__countries",
        confirmed_co_submitters(),
    )


def published() -> QuerySet[Webinar]:
    """Webinars on the public programme."""
    return Webinar.objects.filter(published_at__isnull=False, starts_at__isnull=False)


def hosts_of(webinar: Webinar) -> list[Organisation]:
    """The lead organisation and the co-submitting organisations that confirmed."""
    proposal = webinar.proposal
    co = getattr(proposal, "confirmed_co_submitters", None)
    if co is None:
        co = proposal.co_submitters.filter(
            status=CoSubmitter.Status.CONFIRMED, organisation__isnull=False
        ).select_related("organisation")
    return [proposal.lead_organisation, *(row.organisation for row in co)]


def languages_of(proposal: Proposal) -> list[tuple[str, str]]:
    """(code, name) of the webinar's language, then of its interpretation languages."""
    names = dict(WEBINAR_LANGUAGES)
    codes = [proposal.language] if proposal.language else []
    codes += [c for c in proposal.interpretation or [] if c not in codes]
    return [(code, str(names.get(code, code))) for code in codes]


@dataclass
class Entry:
    """One webinar of the programme, with what its card shows."""

    webinar: Webinar
    reader: ZoneTime
    reference: ZoneTime
    hosts: list[Organisation]
    themes: list
    outcomes: list
    language: tuple[str, str] | None
    interpretation: list[tuple[str, str]]
    # The published repeat session's time in the reader's zone (None without one).
    repeat: ZoneTime | None = None

    @property
    def title(self) -> str:
        return self.webinar.title


@dataclass
class Programme:
    """One page of the programme: ``upcoming`` then ``past`` entries of that page; ``count``
    is the number of webinars matching the filters (all pages)."""

    upcoming: list[Entry] = field(default_factory=list)
    past: list[Entry] = field(default_factory=list)
    filtered: bool = False
    published_count: int = 0
    count: int = 0
    page: Page | None = None
    page_links: list[int | None] = field(default_factory=list)

    @property
    def first_page(self) -> bool:
        return self.page is None or self.page.number == 1


def entry(webinar: Webinar, *, reader_zone: str) -> Entry:
    reference = reference_zone(webinar.call)
    languages = languages_of(webinar.proposal)
    return Entry(
        webinar=webinar,
        reader=zone_time(webinar.starts_at, webinar.minutes, reader_zone, is_reader=True),
        reference=zone_time(webinar.starts_at, webinar.minutes, reference, is_reference=True),
        hosts=hosts_of(webinar),
        themes=list(webinar.proposal.themes.all()),
        outcomes=sorted(webinar.proposal.outcomes.all(), key=lambda o: o.number),
        language=languages[0] if languages and webinar.proposal.language else None,
        interpretation=languages[1:] if webinar.proposal.language else languages,
        repeat=zone_time(repeat.starts_at, webinar.minutes, reader_zone, is_reader=True)
        if (repeat := sessions.published_repeat(webinar)) and repeat.starts_at
        else None,
    )


def filter_webinars(
    webinars: QuerySet[Webinar], filters: dict[str, Any], *, series: Series
) -> QuerySet[Webinar]:
    """Apply the programme's filters (each optional): ``theme`` and ``sector`` codes,
    ``outcome`` number (of the series' Action Group), ``region`` (an ILO region of a country
    of action) and ``language`` (the webinar's language or one it is interpreted into)."""
    if filters.get("theme"):
        webinars = webinars.filter(proposal__themes__code=filters["theme"])
    if filters.get("sector"):
        webinars = webinars.filter(proposal__sectors__code=filters["sector"])
    if filters.get("outcome"):
        webinars = webinars.filter(
            proposal__outcomes__number=int(filters["outcome"]),
            proposal__outcomes__action_group=series.action_group_id,
        )
    if filters.get("region"):
        webinars = webinars.filter(proposal__countries__ilo_region=filters["region"])
    if filters.get("language"):
        code = filters["language"]
        webinars = webinars.filter(
            Q(proposal__language=code) | Q(proposal__interpretation__icontains=f'"{code}"')
        )
    return webinars.distinct()


def programme(
    series: Series,
    *,
    filters: dict[str, Any],
    reader_zone: str,
    now: datetime,
    page: int | str | None = 1,
) -> Programme:
    """Page ``page`` of the series' published webinars matching ``filters``: upcoming ones
    first (soonest first), then past ones (latest first), ``PROGRAMME_PAGE`` a page, each with
    its time in the reader's and the series' zone. The same number of queries at any size."""
    if not is_valid_zone(reader_zone):
        reader_zone = "UTC"
    base = published().filter(proposal__call__series=series)
    filtered = any(filters.get(key) for key in ("theme", "sector", "outcome", "region", "language"))
    webinars = filter_webinars(base, filters, series=series) if filtered else base
    is_past = Case(When(starts_at__lt=now, then=Value(1)), default=Value(0))
    upcoming_start = Case(When(starts_at__gte=now, then=F("starts_at")), default=None)
    ordered = webinars.alias(is_past=is_past, upcoming_start=upcoming_start).order_by(
        "is_past", "upcoming_start", "-starts_at", "pk"
    )
    shown = Paginator(with_details(ordered), PROGRAMME_PAGE).get_page(page)
    result = Programme(filtered=filtered, count=shown.paginator.count, page=shown)
    for webinar in shown.object_list:
        item = entry(webinar, reader_zone=reader_zone)
        (result.past if webinar.starts_at < now else result.upcoming).append(item)
    result.published_count = base.count() if filtered else result.count
    if shown.has_other_pages():
        result.page_links = page_links(shown)
    return result


def programme_freshness(slug: str, *, now: datetime, cap: int) -> tuple[str, int] | None:
    """For keeping the programme page of the series ``slug``: (a stamp that changes whenever
    one of its webinars is saved, published, added or removed, or the series' reference zone
    changes; whole seconds the page may be
    kept, at most ``cap`` and never across a webinar's start or a call's opening or
    deadline). One query; None when there is no such series."""

    def first(queryset, group_by: str, expression):
        """``expression`` aggregated over ``queryset`` (rows of one series), as a subquery."""
        rows = queryset.order_by().values(group_by).annotate(value=expression)
        return Subquery(rows.values("value")[:1])

    webinars = Webinar.objects.filter(proposal__call__series=OuterRef("pk"))
    upcoming = published().filter(proposal__call__series=OuterRef("pk"), starts_at__gt=now)
    calls = Call.objects.filter(series=OuterRef("pk"))
    # The timetable's rules of the series' calls, read through ``Call.timetable_rules``.
    ruled = calls.filter(timetable_rules__isnull=False)
    series = "proposal__call__series"
    row = (
        Series.objects.filter(slug=slug)
        .annotate(
            changed=first(webinars, series, Max("updated_at")),
            webinar_count=first(webinars, series, Count("pk")),
            next_start=first(upcoming, series, Min("starts_at")),
            next_opening=first(calls.filter(opens_at__gt=now), "series", Min("opens_at")),
            next_closing=first(calls.filter(closes_at__gt=now), "series", Min("closes_at")),
            # The series' zone of the programme's times (timetable rules have no change time).
            rules=first(ruled, "series", Count("timetable_rules")),
            zone_min=first(ruled, "series", Min("timetable_rules__reference_timezone")),
            zone_max=first(ruled, "series", Max("timetable_rules__reference_timezone")),
        )
        .values(
            "pk",
            "changed",
            "webinar_count",
            "next_start",
            "next_opening",
            "next_closing",
            "rules",
            "zone_min",
            "zone_max",
        )
        .first()
    )
    if row is None:
        return None
    changed = row["changed"].isoformat() if row["changed"] else ""
    stamp = ":".join(
        str(value or "")
        for value in (
            row["pk"],
            row["webinar_count"],
            changed,
            row["rules"],
            row["zone_min"],
            row["zone_max"],
        )
    )
    seconds = cap
    for moment in (row["next_start"], row["next_opening"], row["next_closing"]):
        if moment is not None:
            seconds = min(seconds, max(0, int((moment - now).total_seconds())))
    return stamp, seconds


@dataclass(frozen=True)
class PageFreshness:
    """For keeping a webinar's page for anonymous readers: ``stamp`` changes with anything
    the page shows them; ``seconds`` the page may be kept; ``players``: its published
    recordings (none: the page needs no policy for players)."""

    stamp: str
    seconds: int
    players: int


# A stand-in key, replaced by the webinar's in the stamp's SQL (``_page_stamp``).
_ANY_WEBINAR = -7_650_321
# The stamp's SQL and parameters per database, and where the webinar's key goes in them.
_page_stamp_sql: dict[str, tuple[str, list[Any], int]] = {}


def _page_stamp_rows(pk: int) -> QuerySet[Any, Any]:
    """The row of the webinar ``pk`` with what its page shows an anonymous reader: the
    webinar's and its proposal's change times, the series' title, address, languages and
    zone, the lead organisation's change time, the repeat session, and for each related table
    a count with the latest change time, or with the highest key for rows that have none
    (agenda items and speakers are replaced when edited, never changed in place; materials
    are added or removed). The registrations are in it too, though the page shows an
    anonymous reader nothing of them yet. The published recordings' count comes last."""

    def summary(rows: QuerySet[Any], webinar: str, *expressions: Any) -> Subquery:
        """``expressions`` aggregated over ``rows`` whose ``webinar`` path is the webinar, as
        one text (NULL when there are none)."""
        parts: list[Any] = []
        for expression in expressions:
            parts += [Value(":"), Cast(expression, CharField())]
        grouped = rows.filter(**{webinar: OuterRef("pk")}).order_by().values(webinar)
        text = Concat(*parts, output_field=CharField())
        return Subquery(grouped.annotate(value=text).values("value")[:1])

    confirmed = CoSubmitter.objects.filter(
        status=CoSubmitter.Status.CONFIRMED, organisation__isnull=False
    )
    shown = Recording.objects.filter(webinar=OuterRef("pk"), published_at__isnull=False)
    return (
        published()
        .filter(pk=pk)
        .order_by()
        .annotate(
            co_hosts=summary(
                confirmed,
                "proposal__webinar",
                Count("pk"),
                Max("organisation_id"),
                Max("organisation__updated_at"),
            ),
            proposal_speakers=summary(
                ProposalSpeaker.objects.all(), "proposal__webinar", Count("pk"), Max("pk")
            ),
            agenda_items=summary(AgendaItem.objects.all(), "webinar", Count("pk"), Max("pk")),
            listed=summary(WorkspaceSpeaker.objects.all(), "webinar", Count("pk"), Max("pk")),
            files=summary(Material.objects.all(), "webinar", Count("pk"), Max("pk")),
            videos=summary(Recording.objects.all(), "webinar", Count("pk"), Max("updated_at")),
            tracks=summary(
                Captions.objects.all(), "recording__webinar", Count("pk"), Max("updated_at")
            ),
            registered=summary(
                Registration.objects.all(), "webinar", Count("pk"), Max("updated_at")
            ),
            players=Subquery(
                shown.order_by().values("webinar").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .values_list(
            "updated_at",
            "starts_at",
            "minutes",
            "state",
            "proposal__updated_at",
            "proposal__lead_organisation__updated_at",
            "proposal__call__series__title",
            "proposal__call__series__slug",
            "proposal__call__series__languages",
            "proposal__call__timetable_rules__reference_timezone",
            "repeat__pk",
            "repeat__starts_at",
            "repeat__cancelled_at",
            "co_hosts",
            "proposal_speakers",
            "agenda_items",
            "listed",
            "files",
            "videos",
            "tracks",
            "registered",
            "players",
        )
    )


def _page_stamp(pk: int) -> tuple[Any, ...] | None:
    """``_page_stamp_rows(pk)``'s row as the database gives it (values only compared, never
    read, except the last). Its SQL is built once per database: building its ten subqueries
    costs many times more than running them."""
    alias = router.db_for_read(Webinar)
    compiled = _page_stamp_sql.get(alias)
    if compiled is None:
        sql, params = _page_stamp_rows(_ANY_WEBINAR).query.get_compiler(alias).as_sql()
        compiled = _page_stamp_sql[alias] = (sql, list(params), list(params).index(_ANY_WEBINAR))
    sql, params, at = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params[:at], pk, *params[at + 1 :]])
        return cursor.fetchone()


def webinar_page_freshness(pk: int, *, now: datetime, cap: int) -> PageFreshness | None:
    """``PageFreshness`` of the public page of the webinar ``pk`` (``_page_stamp_rows``
    lists what its stamp reads): kept at most ``cap`` seconds and never across a session's
    start or end (the page then calls the webinar past, or stops offering to register). Two
    queries; None when the webinar is not on the programme (a 404 for an anonymous reader)."""
    times = list(
        published()
        .filter(pk=pk)
        .order_by()
        .values_list("starts_at", "minutes", "repeat__starts_at")[:1]
    )
    row = _page_stamp(pk) if times else None
    if row is None:
        return None
    start, minutes, repeat = times[0]
    length = timedelta(minutes=minutes)
    starts = [moment for moment in (start, repeat) if moment is not None]
    seconds = cap
    for moment in [*starts, *(begin + length for begin in starts)]:
        if moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()))
    stamp = "|".join("" if value is None else str(value) for value in (pk, *row))
    return PageFreshness(stamp=stamp, seconds=seconds, players=row[-1] or 0)


# ------------------------------------------------------------------------- a webinar's page


def visible_webinar(user, pk: int, *, details: bool = True) -> Webinar | None:
    """The webinar ``pk`` if ``user`` may see its page: published, or any for the
    secretariat. ``details=False`` reads only the webinar, its proposal and its repeat (what a
    calendar file needs), not everything the page shows (``with_details``)."""
    webinars = (
        with_details(Webinar.objects.all())
        if details
        else Webinar.objects.select_related("proposal", "repeat")
    )
    if not getattr(user, "is_secretariat", False):
        webinars = webinars.filter(published_at__isnull=False, starts_at__isnull=False)
    # One row by its key: no ORDER BY to build (``first()`` would sort by the model's three).
    found = list(webinars.filter(pk=pk).order_by()[:1])
    return found[0] if found else None


def is_verified_member(user) -> bool:
    """A verified contact of a current Alliance 8.7 partner (any Action Group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Affiliation.objects.filter(
        user=user,
        status=Affiliation.Status.VERIFIED,
        organisation__is_member=True,
        organisation__merged_into__isnull=True,
    ).exists()


def is_host(user, webinar: Webinar) -> bool:
    """Whether ``user`` is of the webinar's hosting team: who created the proposal, or a
    verified contact of the lead organisation or of a co-submitter that confirmed."""
    if user is None or not user.is_authenticated:
        return False
    proposal = webinar.proposal
    if proposal.created_by_id == user.pk:
        return True
    # The page's webinar has its confirmed co-submitters read already (``with_details``).
    co = getattr(proposal, "confirmed_co_submitters", None)
    co_ids = (
        [row.organisation_id for row in co]
        if co is not None
        else proposal.co_submitters.filter(
            status=CoSubmitter.Status.CONFIRMED, organisation__isnull=False
        ).values_list("organisation_id", flat=True)
    )
    organisations = [proposal.lead_organisation_id, *co_ids]
    return Affiliation.objects.filter(
        user=user, organisation__in=organisations, status=Affiliation.Status.VERIFIED
    ).exists()


def hosted_webinar_ids(user) -> set[int]:
    """The webinars ``user`` hosts, by ``is_host``'s rule, in one query: for a page that
    would otherwise ask ``is_host`` once per row."""
    if user is None or not user.is_authenticated:
        return set()
    organisations = Affiliation.objects.filter(
        user=user, status=Affiliation.Status.VERIFIED
    ).values("organisation")
    hosted = Webinar.objects.filter(
        Q(proposal__created_by=user)
        | Q(proposal__lead_organisation__in=organisations)
        | Q(
            proposal__co_submitters__status=CoSubmitter.Status.CONFIRMED,
            proposal__co_submitters__organisation__in=organisations,
        )
    )
    return set(hosted.values_list("pk", flat=True).distinct())


def hosts_or_secretariat(user: Actor | None, webinar: Webinar, *, platform: bool = False) -> bool:
    """Whether ``user`` is one of the webinar's hosts (``is_host``) or of the secretariat: who
    prepares the webinar, imports its attendance, adds its recording, drafts its follow-up and
    reads its feedback. ``platform=True`` lets ``None`` (the platform itself: the command
    line, a task) act too, for the steps the platform may take on its own."""
    if user is None:
        return platform
    return is_secretariat(user) or is_host(user, webinar)


def registration_of(user, webinar: Webinar) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    found = Registration.objects.filter(user=user, webinar=webinar).select_related("repeat").first()
    if found is not None:
        found.webinar = webinar  # its ``session`` and e-mails read the webinar already in hand
    return found


def can_see_joining(
    user, webinar: Webinar, registration: Registration | None = None, *, host: bool | None = None
) -> bool:
    """Whether the joining link is shown to ``user``: the secretariat and the hosts always;
    registered people for a public webinar; registered verified members for a members-only
    one. ``host``: ``hosts_or_secretariat(user, webinar)`` when the caller knows it already."""
    if not webinar.joining_url or user is None or not user.is_authenticated:
        return False
    if host if host is not None else hosts_or_secretariat(user, webinar):
        return True
    if registration is None:
        registration = registration_of(user, webinar)
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return False
    return not webinar.members_only or is_verified_member(user)


def has_verified_email(user) -> bool:
    """Whether the account's own address is verified (invitations go there)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def refusal(user, webinar: Webinar, *, now: datetime | None = None) -> str:
    """Why ``user`` may not register for ``webinar`` now, or "" when they may."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        return _("Log in to register.")
    if not user.is_active:
        return _("This account is not active.")
    if not webinar.is_published or webinar.starts_at is None:
        return _("This webinar is not on the programme yet.")
    if (sessions.last_end(webinar) or webinar.ends_at) <= now:
        return _("This webinar has taken place.")
    if not has_verified_email(user):
        return _("Please verify your e-mail address first: the invitation is sent there.")
    if webinar.members_only and not is_verified_member(user):
        return _(
            "This webinar is for Alliance 8.7 members only: registering needs a verified "
            "affiliation to a member organisation."
        )
    return ""


def webinar_page(
    webinar: Webinar, *, user, reader_zone: str, now: datetime, host: bool | None = None
) -> dict[str, Any]:
    """What the page of ``webinar`` shows to ``user`` (reading in ``reader_zone``) at ``now``;
    each session's times around the world and calendar links: ``session_times``. ``host``:
    ``hosts_or_secretariat(user, webinar)`` when the caller knows it already."""
    if not is_valid_zone(reader_zone):
        reader_zone = "UTC"
    start = shown_start(webinar)
    reference = reference_zone(webinar.call)
    proposal = webinar.proposal
    registration = registration_of(user, webinar)
    registered = registration is not None and registration.status == "registered"
    languages = languages_of(proposal)
    last_end = sessions.last_end(webinar) if webinar.is_published else None
    upcoming = start is not None and (last_end or start + timedelta(minutes=webinar.minutes)) > now
    return {
        "webinar": webinar,
        "proposal": proposal,
        "series": webinar.call.series,
        "start": start,
        "reader": zone_time(start, webinar.minutes, reader_zone, is_reader=True) if start else None,
        "reference": zone_time(start, webinar.minutes, reference, is_reference=True)
        if start
        else None,
        "reference_zone": reference,
        "hosts": hosts_of(webinar),
        # Read only if the page shows them (when no workspace speaker is listed).
        "speakers": proposal.speakers.all(),
        "themes": list(proposal.themes.all()),
        "outcomes": sorted(proposal.outcomes.all(), key=lambda o: o.number),
        "sectors": list(proposal.sectors.all()),
        "countries": sorted(proposal.countries.all(), key=str),
        "language": languages[0] if languages and proposal.language else None,
        "interpretation": languages[1:] if proposal.language else languages,
        "is_published": webinar.is_published,
        "is_past": start is not None and start < now,
        "is_upcoming": upcoming,
        "registration": registration,
        "registered": registered,
        "refusal": refusal(user, webinar, now=now)
        if user.is_authenticated and not registered
        else "",
        "show_joining": can_see_joining(user, webinar, registration, host=host),
    }


def feed_webinars(series: Series) -> QuerySet[Webinar]:
    """The published webinars of ``series`` for its calendar feed, in time order."""
    return (
        published()
        .filter(proposal__call__series=series)
        .select_related("proposal", "repeat")
        .order_by("starts_at", "pk")
    )


# ------------------------------------------------------------------------- the workspace's reads


def may_see_material(user, material: Material) -> bool:
    """Whether ``user`` may download ``material``: the hosts and the secretariat always;
    verified members the public and members-only ones of a published webinar; anyone the
    public ones of a published webinar."""
    webinar = material.webinar
    if hosts_or_secretariat(user, webinar):
        return True
    if not webinar.is_published or material.visibility == Material.Visibility.HOSTS:
        return False
    if material.visibility == Material.Visibility.MEMBERS:
        return is_verified_member(user)
    return True


def visible_materials(user, webinar: Webinar, *, host: bool | None = None) -> list[Material]:
    """The webinar's materials ``user`` may download, in upload order (the same rule as
    ``may_see_material``, with who ``user`` is worked out once, not once per material).
    ``host``: ``hosts_or_secretariat(user, webinar)`` when the caller knows it already."""
    materials = list(webinar.materials.all())
    if not materials:
        return []
    if host if host is not None else hosts_or_secretariat(user, webinar):
        return materials
    if not webinar.is_published:
        return []
    Visibility = Material.Visibility
    member = any(m.visibility == Visibility.MEMBERS for m in materials) and is_verified_member(user)
    return [
        m
        for m in materials
        if m.visibility == Visibility.PUBLIC or (member and m.visibility == Visibility.MEMBERS)
    ]


@dataclass(frozen=True)
class Description:
    """The public description shown to a reader: ``text`` in ``language`` (a code), and
    ``other_language`` when it is not the reader's (the page says so)."""

    text: str
    language: str
    other_language: bool


def description_for(webinar: Webinar, language: str) -> Description | None:
    """The webinar's public description in ``language``, else in the series' first language
    written, else any; None when the hosts wrote none."""
    written = {code: text for code, text in (webinar.descriptions or {}).items() if text}
    if not written:
        return None
    base = (language or "").split("-")[0]
    if base in written:
        return Description(written[base], base, False)
    order = [code for code in webinar.call.series.languages or [] if code in written]
    code = order[0] if order else sorted(written)[0]
    return Description(written[code], code, True)


def listed_speakers(webinar: Webinar) -> list[WorkspaceSpeaker]:
    """The workspace's speakers and moderator who agreed to be listed publicly."""
    return [
        person
        for person in webinar.speakers.select_related("organisation")
        if person.consents_to_listing
    ]


def link_holder_sees_joining(registration: Registration) -> bool:
    """Whether the registrant's own page (their signed link, no login) shows the joining
    link: registered (not pending, waiting, offered or cancelled), for a webinar not
    cancelled; a members-only webinar's only to a registrant who is a verified member."""
    webinar = registration.webinar
    if not webinar.joining_url or registration.status != Registration.Status.REGISTERED:
        return False
    if webinar.state == Webinar.State.CANCELLED:
        return False
    return not webinar.members_only or is_verified_member(registration.user)


def workspace_sections(
    webinar: Webinar, *, user, language: str, host: bool | None = None
) -> dict[str, Any]:
    """What the public page of ``webinar`` shows of its workspace to ``user`` reading in
    ``language``: the description (theirs, else another, marked), the agenda, the listed
    speakers, the materials they may download, and whether they may open the workspace."""
    description = description_for(webinar, language)
    names = dict(WEBINAR_LANGUAGES)
    return {
        "workspace_description": description,
        "workspace_description_language": str(names.get(description.language, description.language))
        if description
        else "",
        "agenda": list(webinar.agenda.all()),
        "listed_speakers": listed_speakers(webinar),
        "materials": visible_materials(user, webinar, host=host),
        "may_prepare": host if host is not None else hosts_or_secretariat(user, webinar),
    }


def cancellation_facts(webinar: Webinar, *, user) -> dict[str, Any]:
    """What the webinar's page shows of a cancellation: whether it is cancelled (with the
    reason) and whether ``user`` may cancel it (the secretariat, before it is held)."""
    cancellable = webinar.state in (Webinar.State.PREPARING, Webinar.State.READY)
    return {
        "is_cancelled": webinar.state == Webinar.State.CANCELLED,
        "may_cancel": bool(getattr(user, "is_secretariat", False)) and cancellable,
    }


# ------------------------------------------------------------------------- a person's registrations


def registrations_of(user) -> QuerySet[Registration]:
    """The registrations that are ``user``'s own: made signed in, or made without an account
    (public) with an address that is VERIFIED in their account — the optional account a
    public registrant creates later. An unverified address never matches: anyone may type
    someone else's address."""
    if user is None or not user.is_authenticated:
        return Registration.objects.none()
    verified = (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )
    return Registration.objects.alias(address=Lower("email")).filter(
        Q(user=user) | Q(user__isnull=True, address__in=verified)
    )


def past_audience_zones(series: Series, *, before: datetime | None = None) -> dict[str, int]:
    """The time zones of the people who came to ``series`` before: zone → count of the
    registrations holding a seat for its webinars already started (before ``before``, by
    default now), plus once more each attendance row matched to one of them (who came weighs
    twice who only registered). Registrations without a zone do not count. Two aggregated
    queries, whatever the number of people (issue 15: the next call's default audience learns
    from the series' past audience)."""
    before = timezone.now() if before is None else before
    seated = (Registration.Status.REGISTERED, Registration.Status.OFFERED)
    registrations = Registration.objects.filter(
        webinar__proposal__call__series=series,
        webinar__starts_at__lt=before,
        status__in=seated,
    ).exclude(timezone="")
    counts: dict[str, int] = {}
    for zone, n in registrations.order_by().values_list("timezone").annotate(n=Count("pk")):
        counts[zone] = counts.get(zone, 0) + n
    attended = registrations.filter(attendance__counted_as_host=False)
    for zone, n in attended.order_by().values_list("timezone").annotate(n=Count("attendance")):
        counts[zone] = counts.get(zone, 0) + n
    return {zone: n for zone, n in counts.items() if is_valid_zone(zone)}
