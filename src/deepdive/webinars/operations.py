"""Writes of the webinars: a webinar created when its host confirms hosting (called by
``selection``), the host's availability (DESIGN.md, **timetable**: "hosts give their
availability when they confirm"), the facts the secretariat sets for the timetable (length,
audience, members only, joining link), and its times: planned by a timetable run or a move by
hand, then published (called by ``timetable``). This app owns the ``Webinar``: the apps above
it (``selection``, ``timetable``) change a webinar only through these functions, inside their
own transaction when they have one.

Each function takes keyword arguments only, checks the actor's right on the server, writes in
one transaction and records one audit entry (``actions.WebinarAction``). Refusals raise
``WebinarRefused`` with a message for the person; availability that cannot hold (a range ending
before it starts, an impossible date) raises ``AvailabilityInvalid`` whose ``errors`` say which
range or date is at fault; facts that cannot be saved raise ``WebinarInvalid`` whose ``errors``
are {form field: [messages]}. All three are ``core.refusals.Refused``.

Availability is stored on the webinar as ISO strings: ``available`` a list of inclusive
``[from, to]`` ranges (empty: any date of the series' period), ``unavailable`` a list of dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import is_secretariat, require, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.proposals import access
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from . import sessions
from .actions import WebinarAction
from .audience import default_audience
from .models import RepeatSession, Webinar

DateLike = date | str


class HostingDecision(Protocol):
    """What the webinars need of a selection decision (``selection.models.Decision``, passed
    in by ``selection``, which stands above this app)."""

    pk: Any
    proposal_id: int

    @property
    def hosting_confirmed(self) -> bool: ...

    def refresh_from_db(self, using: Any = None, fields: Any = None) -> None: ...


class WebinarRefused(Refused):
    """The step cannot be taken; the message says why."""


class WebinarInvalid(Refused):
    """The webinar's facts cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


class AvailabilityInvalid(Refused, ValueError):
    """The availability given cannot be stored; ``reasons`` lists why, one sentence each
    (``errors`` holds them above the form: {None: reasons})."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__(errors={None: self.reasons})


def _as_date(value: DateLike) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise AvailabilityInvalid(
            [_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}]
        ) from None


def normalise_availability(
    available: Iterable[tuple[DateLike, DateLike]] | None,
    unavailable: Iterable[DateLike] | None,
) -> tuple[list[list[str]], list[str]]:
    """The availability as stored: ranges sorted and without duplicates, dates sorted and
    without duplicates, all as ISO strings. Raises ``AvailabilityInvalid``."""
    errors: list[str] = []
    ranges: set[tuple[date, date]] = set()
    for pair in available or []:
        try:
            start, end = (_as_date(value) for value in pair)
        except AvailabilityInvalid as invalid:
            errors.extend(invalid.reasons)
            continue
        except (TypeError, ValueError):
            errors.append(_("Give each period as two dates, from and to."))
            continue
        if end < start:
            errors.append(
                _("The period from %(start)s to %(end)s ends before it starts.")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
            continue
        ranges.add((start, end))
    days: set[date] = set()
    for value in unavailable or []:
        try:
            days.add(_as_date(value))
        except AvailabilityInvalid as invalid:
            errors.extend(invalid.reasons)
    if errors:
        raise AvailabilityInvalid(errors)
    return (
        [[start.isoformat(), end.isoformat()] for start, end in sorted(ranges)],
        [day.isoformat() for day in sorted(days)],
    )


def availability_of(webinar: Webinar | None) -> tuple[list[tuple[date, date]], list[date]]:
    """The stored availability back as dates: (ranges, dates the host cannot do)."""
    if webinar is None:
        return [], []
    ranges = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in webinar.available or []]
    days = [date.fromisoformat(d) for d in webinar.unavailable or []]
    return ranges, days


def _check_host(actor: User, proposal_pk: int) -> None:
    """The hosts (verified contacts of the lead organisation) and the secretariat may act."""
    if is_secretariat(actor):
        return
    require(access.editable_proposals(actor).filter(pk=proposal_pk).exists())


def _summary(available: list[list[str]], unavailable: list[str]) -> str:
    """The availability in the audit summary (English, stored as it is)."""
    ranges = ", ".join(f"{a}–{b}" for a, b in available) or "any date"
    days = ", ".join(unavailable) or "—"
    return f"available: {ranges}; not available: {days}"


def create_for_decision(
    *,
    actor: User,
    decision: HostingDecision,
    available: Iterable[tuple[DateLike, DateLike]] | None = None,
    unavailable: Iterable[DateLike] | None = None,
) -> Webinar:
    """The webinar of a selected proposal whose host confirmed hosting, with the host's
    availability; called by ``selection.decisions.answer_hosting`` in its transaction.

    Idempotent: when the proposal already has a webinar it is returned as it is (nothing is
    written). Refused: an actor who is neither a host of the proposal nor the secretariat
    (PermissionDenied); a decision that is not "selected" with hosting confirmed
    (``WebinarRefused``); availability that cannot hold (``AvailabilityInvalid``).

    Side effects: one ``Webinar`` (the proposal's call, 60 minutes, the availability; no time
    yet); one audit entry ("webinars.created").
    """
    _check_host(actor, decision.proposal_id)
    stored_available, stored_unavailable = normalise_availability(available, unavailable)
    with transaction.atomic():
        existing = Webinar.objects.filter(proposal_id=decision.proposal_id).first()
        if existing is not None:
            return existing
        decision.refresh_from_db(fields=["outcome", "host_status"])
        if not decision.hosting_confirmed:
            raise WebinarRefused(
                _("A webinar is made only for a selected proposal whose host confirmed.")
            )
        proposal = Proposal.objects.get(pk=decision.proposal_id)
        webinar = Webinar.objects.create(
            proposal=proposal,
            minutes=Webinar.Length.MINUTES_60,
            available=stored_available,
            unavailable=stored_unavailable,
        )
        audit.record(
            actor=actor,
            action=WebinarAction.CREATED,
            subject=webinar,
            summary=f"Webinar “{proposal}” created "
            f"({_summary(stored_available, stored_unavailable)})",
            changes={
                "available": [None, stored_available],
                "unavailable": [None, stored_unavailable],
            },
        )
    return webinar


def update_availability(
    *,
    actor: User,
    webinar: Webinar,
    available: Iterable[tuple[DateLike, DateLike]] | None,
    unavailable: Iterable[DateLike] | None,
) -> Webinar:
    """The host changes their availability; possible until the webinar's time is published.

    Refused: an actor who is neither a host of the proposal nor the secretariat
    (PermissionDenied); a published webinar (``WebinarRefused``: its date is fixed, the
    secretariat changes it); availability that cannot hold (``AvailabilityInvalid``).

    Side effects: the webinar's ``available`` and ``unavailable``; one audit entry
    ("webinars.availability_updated") with the old and new values, when something changed.
    """
    _check_host(actor, webinar.proposal_id)
    stored_available, stored_unavailable = normalise_availability(available, unavailable)
    with transaction.atomic():
        webinar = Webinar.objects.select_for_update().select_related("proposal").get(pk=webinar.pk)
        if webinar.is_published:
            raise WebinarRefused(
                _(
                    "The timetable is published: the date of this webinar is fixed. "
                    "To change it, please write to the secretariat."
                )
            )
        before = (list(webinar.available or []), list(webinar.unavailable or []))
        if before == (stored_available, stored_unavailable):
            return webinar
        webinar.available = stored_available
        webinar.unavailable = stored_unavailable
        webinar.save(update_fields=["available", "unavailable", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.AVAILABILITY_UPDATED,
            subject=webinar,
            summary=f"Availability for “{webinar.proposal}”: "
            f"{_summary(stored_available, stored_unavailable)}",
            changes={
                "available": [before[0], stored_available],
                "unavailable": [before[1], stored_unavailable],
            },
        )
    return webinar


def update_webinar(
    *,
    actor: User,
    webinar: Webinar,
    minutes: int,
    audience: dict[str, float] | None,
    members_only: bool,
    joining_url: str,
) -> Webinar:
    """Set a webinar's length, audience (``None``: back to the default worked out from the
    members and the countries; the default given back unchanged keeps following the
    directory), whether it is for members only and its joining link.

    Refused: anyone but the secretariat (PermissionDenied); (``WebinarInvalid``) a length
    other than 45 or 60 minutes; an unknown zone; a negative weight; weights adding up to
    nothing.

    Side effects: the webinar's fields; one audit entry ("timetable.webinar_updated") with what
    changed, when something changed. The planned and published times do not change.
    """
    require_secretariat(actor)
    errors = _facts_errors(minutes, audience)
    if errors:
        raise WebinarInvalid(errors)
    if audience is not None and not webinar.audience_edited:
        if audience == default_audience(webinar):
            audience = None
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.UPDATED,
            summary=f"Timetable facts of “{webinar.title}” saved",
            minutes=minutes,
            audience=_stored_audience(audience),
            audience_edited=audience is not None,
            members_only=members_only,
            joining_url=joining_url,
        )
    return webinar


def _facts_errors(minutes: int, audience: dict[str, float] | None) -> dict[str | None, list[str]]:
    """What is wrong with a webinar's length and audience, per form field."""
    errors: dict[str | None, list[str]] = {}
    if minutes not in Webinar.Length.values:
        errors.setdefault("minutes", []).append(_("Choose 45 or 60 minutes."))
    if audience is not None:
        unknown = [zone for zone in audience if not is_valid_zone(zone)]
        if unknown:
            errors.setdefault("audience", []).append(
                _("Unknown time zone: %(zones)s.") % {"zones": ", ".join(unknown)}
            )
        if any(weight < 0 for weight in audience.values()):
            errors.setdefault("audience", []).append(_("Weights are 0 or more."))
        elif sum(audience.values()) <= 0:
            errors.setdefault("audience", []).append(
                _("Give at least one time zone a weight above 0, or use the default.")
            )
    return errors


def _stored_audience(audience: dict[str, float] | None) -> dict[str, float]:
    """The audience as stored: heaviest first, whole weights as integers, zeros left out;
    empty for the default."""
    if audience is None:
        return {}
    return {
        zone: int(weight) if float(weight).is_integer() else float(weight)
        for zone, weight in sorted(audience.items(), key=lambda item: (-item[1], item[0]))
        if weight > 0
    }


# --------------------------------------------------------------------------- times


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def plan(*, actor: User, call: Call, starts: Mapping[int, datetime]) -> dict[str, list[str]]:
    """Set the planned start of the call's webinars in ``starts`` ({webinar pk: aware start})
    from a timetable run (``timetable.operations.run``, in its transaction). Webinars of other
    calls and those left out keep their plan; the published times do not change.

    Refused: anyone but the secretariat (PermissionDenied).

    Side effects: the webinars' ``planned_start`` (only those that change); one audit entry
    ("webinars.planned", about the call) with {webinar pk: [old, new]}, when something changed.
    Returns those changes.
    """
    require_secretariat(actor)
    differences: dict[str, list[str]] = {}
    with transaction.atomic():
        rows = (
            Webinar.objects.select_for_update()
            .filter(proposal__call=call, pk__in=list(starts))
            .order_by("pk")
        )
        for webinar in rows:
            start = starts[webinar.pk].astimezone(UTC)
            if webinar.planned_start == start:
                continue
            differences[str(webinar.pk)] = [_iso(webinar.planned_start), _iso(start)]
            webinar.planned_start = start
            webinar.save(update_fields=["planned_start", "updated_at"])
        if differences:
            audit.record(
                actor=actor,
                action=WebinarAction.PLANNED,
                subject=call,
                summary=f"Planned times of {len(differences)} webinars of {call} set",
                changes=differences,
            )
    return differences


def move(*, actor: User, webinar: Webinar, start: datetime) -> Webinar:
    """Move ``webinar`` by hand to ``start`` (aware) in the working plan (called by
    ``timetable.operations.move``, which checks that the webinar is in the timetable). Its
    published time changes only on publication (``publish_new_time``).

    Refused: anyone but the secretariat (PermissionDenied); a naive ``start`` (ValueError);
    a start at which the first session would overlap its repeat session's planned time
    (``WebinarRefused``, beside the field "time", as ``repeats`` refuses the other way).

    Side effects: the webinar's ``planned_start`` (also set on ``webinar``); one audit entry
    ("timetable.moved") with the old and new start.
    """
    require_secretariat(actor)
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    with transaction.atomic():
        locked = changes.locked(Webinar, pk=webinar.pk)
        repeat = RepeatSession.objects.filter(webinar=locked, cancelled_at__isnull=True).first()
        errors = sessions.clash(
            locked,
            first=start,
            repeat=repeat.planned_start if repeat else None,
            moving=sessions.FIRST,
        )
        if errors:
            raise WebinarRefused(errors=errors)
        before = locked.planned_start
        locked.planned_start = start.astimezone(UTC)
        locked.save(update_fields=["planned_start", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.MOVED,
            subject=locked,
            summary=f"“{locked.title}” moved by hand",
            changes={"planned_start": [_iso(before), _iso(locked.planned_start)]},
        )
    webinar.planned_start = locked.planned_start
    return webinar


def _unplanned(webinar: Webinar) -> WebinarRefused:
    return WebinarRefused(_("“%(title)s” has no planned time yet.") % {"title": webinar.title})


def publish(
    *, actor: User, webinar: Webinar, notified: list[str], at: datetime | None = None
) -> Webinar:
    """Publish ``webinar`` for the first time at its planned start (called by
    ``timetable.operations.publish``, in its transaction, which then tells ``notified``).

    Refused: anyone but the secretariat (PermissionDenied); a webinar without a planned
    start (``WebinarRefused``). A published webinar is left as it is (``publish_new_time``
    changes its time).

    Side effects: ``starts_at`` (the planned start) and ``published_at`` (``at``, else now),
    also set on ``webinar``; one audit entry ("timetable.published") with the start and the
    e-mail addresses ``notified``.
    """
    require_secretariat(actor)
    with transaction.atomic():
        locked = changes.locked(Webinar, pk=webinar.pk)
        if locked.planned_start is None:
            raise _unplanned(webinar)
        if locked.is_published:
            return webinar
        locked.starts_at = locked.planned_start
        locked.published_at = at or timezone.now()
        locked.save(update_fields=["starts_at", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.PUBLISHED,
            subject=locked,
            summary=f"“{locked.title}” published",
            changes={"starts_at": [None, _iso(locked.starts_at)], "notified": [None, notified]},
        )
    webinar.starts_at, webinar.published_at = locked.starts_at, locked.published_at
    return webinar


def publish_new_time(*, actor: User, webinar: Webinar, notified: int) -> Webinar:
    """Publish the new planned start of a published ``webinar`` (called by
    ``timetable.operations.publish``, in its transaction, which then tells the ``notified``
    hosts and registrants). A webinar whose planned start is the published one is left as
    it is.

    Refused: anyone but the secretariat (PermissionDenied); (``WebinarRefused``) a webinar
    without a planned start, or not published yet (``publish`` publishes it).

    Side effects: ``starts_at`` (the planned start) and ``sequence`` raised by one (calendars
    replace the event), also set on ``webinar``; one audit entry ("timetable.time_changed")
    with the old and new start and sequence and how many people are ``notified``.
    """
    require_secretariat(actor)
    with transaction.atomic():
        locked = changes.locked(Webinar, pk=webinar.pk)
        if locked.planned_start is None:
            raise _unplanned(webinar)
        old_start = locked.starts_at
        if old_start is None or not locked.is_published:
            raise WebinarRefused(_("This webinar is not on the programme yet."))
        if not locked.has_unpublished_change:
            return webinar
        locked.starts_at = locked.planned_start
        locked.sequence += 1
        locked.save(update_fields=["starts_at", "sequence", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.TIME_CHANGED,
            subject=locked,
            summary=f"Time of “{locked.title}” changed and published",
            changes={
                "starts_at": [_iso(old_start), _iso(locked.starts_at)],
                "sequence": [locked.sequence - 1, locked.sequence],
                "notified": [None, notified],
            },
        )
    webinar.starts_at, webinar.sequence = locked.starts_at, locked.sequence
    return webinar
