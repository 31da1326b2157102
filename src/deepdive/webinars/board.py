"""The secretariat's board of a series: every webinar with its time in the reader's zone, its
state, what is missing (``readiness.missing``), whether it waits for approval or changed after
it, registrations against capacity and the host's last activity; filtered by a plain GET form.

Reads only; the secretariat only (``board`` checks its reader). A fixed number of queries
whatever the number of webinars: readiness is computed from prefetched rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from deepdive.accounts.models import User
from deepdive.core.permissions import require_secretariat
from deepdive.core.timezones import is_valid_zone
from deepdive.series.models import Series

from . import readiness, sessions
from .attendance.sheet import attendance_url
from .models import Registration, Webinar
from .queries import ZoneTime, shown_start, zone_time

# The states a reminder to the host makes sense in: the webinar is still being prepared.
REMINDABLE_STATES = (Webinar.State.PREPARING,)
# The states in which what is missing matters (before it is held or cancelled).
OPEN_STATES = (Webinar.State.PREPARING, Webinar.State.READY)
# Filter values of "what it waits for".
MISSING_SOMETHING = "missing"
WAITING_FOR_APPROVAL = "approval"


@dataclass
class Row:
    """One webinar of the board, with what its row shows (ready-made for the template)."""

    webinar: Webinar
    start: ZoneTime | None
    is_published: bool
    state: str  # the state's label
    missing: list[str]
    waiting_for_approval: bool
    changed_after_approval: bool
    registered: int
    waiting: int
    capacity: int | None
    host_active_at: datetime | None
    page_url: str
    workspace_url: str
    can_remind: bool
    can_set_capacity: bool
    # Per session when the webinar has a repeat: "First session" / "Repeat session" with
    # their own counts (the capacity applies to each); empty otherwise.
    sessions: list[SessionCount] = field(default_factory=list)
    # Held webinars: their attendance page (import, who attended against who registered).
    attendance_url: str = ""

    @property
    def title(self) -> str:
        return self.webinar.title

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.registered >= self.capacity


@dataclass
class SessionCount:
    label: str
    start: ZoneTime | None
    registered: int
    waiting: int
    is_full: bool


@dataclass
class Board:
    series: Series
    rows: list[Row] = field(default_factory=list)
    total: int = 0  # webinars of the series, before the filters
    filtered: bool = False


def workspace_url(webinar: Webinar) -> str:
    """The webinar's workspace (``webinars:workspace``), or "" while it has no address."""
    try:
        return reverse("webinars:workspace", kwargs={"pk": webinar.pk})
    except NoReverseMatch:
        return ""


def series_webinars(series: Series) -> QuerySet[Webinar]:
    """Every webinar of ``series`` with what the board and the readiness checklist read."""
    registered = Q(registrations__status=Registration.Status.REGISTERED)
    waiting = Q(
        registrations__status__in=[Registration.Status.WAITING, Registration.Status.OFFERED]
    )
    in_repeat = Q(registrations__repeat__isnull=False)
    return (
        Webinar.objects.filter(proposal__call__series=series)
        .select_related("proposal__call", "proposal__lead_organisation", "repeat")
        .prefetch_related("agenda", "speakers")
        .annotate(
            registered_count=Count("registrations", filter=registered, distinct=True),
            waiting_count=Count("registrations", filter=waiting, distinct=True),
            repeat_registered_count=Count(
                "registrations", filter=registered & in_repeat, distinct=True
            ),
            repeat_waiting_count=Count("registrations", filter=waiting & in_repeat, distinct=True),
        )
        .order_by("starts_at", "planned_start", "pk")
    )


def is_waiting_for_approval(webinar: Webinar) -> bool:
    """Submitted as ready by the host, not approved or sent back yet."""
    return webinar.state == Webinar.State.PREPARING and webinar.submitted_at is not None


def may_remind(webinar: Webinar, missing: list[str]) -> bool:
    """Whether a reminder to the host makes sense: still being prepared, published (the
    reminder gives the date), something missing."""
    return webinar.state in REMINDABLE_STATES and webinar.is_published and bool(missing)


def session_counts(webinar: Webinar, *, reader_zone: str) -> list[SessionCount]:
    """The registrations of each session when the webinar has a repeat (not cancelled)."""
    repeat = sessions.repeat_of(webinar)
    if repeat is None or repeat.cancelled_at is not None:
        return []
    registered = getattr(webinar, "registered_count", 0)
    waiting = getattr(webinar, "waiting_count", 0)
    in_repeat = getattr(webinar, "repeat_registered_count", 0)
    waiting_repeat = getattr(webinar, "repeat_waiting_count", 0)
    capacity = webinar.capacity
    repeat_start = repeat.starts_at or repeat.planned_start
    first_start = shown_start(webinar)
    return [
        SessionCount(
            label=sessions.label(webinar),
            start=zone_time(first_start, webinar.minutes, reader_zone, is_reader=True)
            if first_start
            else None,
            registered=registered - in_repeat,
            waiting=waiting - waiting_repeat,
            is_full=capacity is not None and registered - in_repeat >= capacity,
        ),
        SessionCount(
            label=sessions.label(repeat),
            start=zone_time(repeat_start, webinar.minutes, reader_zone, is_reader=True)
            if repeat_start
            else None,
            registered=in_repeat,
            waiting=waiting_repeat,
            is_full=capacity is not None and in_repeat >= capacity,
        ),
    ]


def row(webinar: Webinar, *, reader_zone: str) -> Row:
    start = shown_start(webinar)
    missing = readiness.missing(webinar) if webinar.state in OPEN_STATES else []
    return Row(
        webinar=webinar,
        start=zone_time(start, webinar.minutes, reader_zone, is_reader=True) if start else None,
        is_published=webinar.is_published,
        state=webinar.get_state_display(),
        missing=missing,
        waiting_for_approval=is_waiting_for_approval(webinar),
        changed_after_approval=webinar.changed_after_approval,
        registered=getattr(webinar, "registered_count", 0),
        waiting=getattr(webinar, "waiting_count", 0),
        capacity=webinar.capacity,
        host_active_at=webinar.host_active_at,
        page_url=webinar.get_absolute_url(),
        workspace_url=workspace_url(webinar),
        can_remind=may_remind(webinar, missing),
        can_set_capacity=webinar.state in OPEN_STATES,
        sessions=session_counts(webinar, reader_zone=reader_zone),
        attendance_url=attendance_url(webinar),
    )


def board(series: Series, *, reader: User, reader_zone: str, filters: dict[str, Any]) -> Board:
    """The board of ``series`` for the secretariat ``reader`` (``PermissionDenied`` for anyone
    else), with times in ``reader_zone``. ``filters`` (each optional): ``state`` (a
    ``Webinar.State``), ``waiting_for`` (``MISSING_SOMETHING``: something is missing;
    ``WAITING_FOR_APPROVAL``: submitted, waiting for approval)."""
    require_secretariat(reader)
    if not is_valid_zone(reader_zone):
        reader_zone = "UTC"
    webinars = series_webinars(series)
    total = webinars.count()
    state = filters.get("state") or ""
    if state:
        webinars = webinars.filter(state=state)
    waiting_for = filters.get("waiting_for") or ""
    if waiting_for == WAITING_FOR_APPROVAL:
        webinars = webinars.filter(state=Webinar.State.PREPARING, submitted_at__isnull=False)
    rows = [row(webinar, reader_zone=reader_zone) for webinar in webinars]
    if waiting_for == MISSING_SOMETHING:
        rows = [r for r in rows if r.missing]
    return Board(series=series, rows=rows, total=total, filtered=bool(state or waiting_for))
