"""Writes of the webinars: a webinar created when its host confirms hosting (called by
``selection``), the host's availability (DESIGN.md, **timetable**: "hosts give their
availability when they confirm"), and the facts the secretariat sets for the timetable (length,
audience, members only, joining link). This app owns the ``Webinar``: the apps above it
(``selection``, ``timetable``) change a webinar only through these functions.

Each function takes keyword arguments only, checks the actor's right on the server, writes in
one transaction and records an audit entry. Refusals raise ``WebinarRefused`` with a message for
the person; availability that cannot hold (a range ending before it starts, an impossible date)
raises ``AvailabilityInvalid`` whose ``errors`` say which range or date is at fault; facts
that cannot be saved raise ``WebinarInvalid`` whose ``errors`` are {form field: [messages]}.

Availability is stored on the webinar as ISO strings: ``available`` a list of inclusive
``[from, to]`` ranges (empty: any date of the series' period), ``unavailable`` a list of dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from deepdive.core import audit
from deepdive.core.timezones import is_valid_zone
from deepdive.proposals import access
from deepdive.proposals.models import Proposal

from .audience import default_audience
from .models import Webinar

DateLike = date | str


class HostingDecision(Protocol):
    """What the webinars need of a selection decision (``selection.models.Decision``, passed
    in by ``selection``, which stands above this app)."""

    pk: Any
    proposal_id: int

    @property
    def hosting_confirmed(self) -> bool: ...

    def refresh_from_db(self, using: Any = None, fields: Any = None) -> None: ...


class WebinarRefused(Exception):
    """The step cannot be taken; the message says why."""


class WebinarInvalid(Exception):
    """The webinar's facts cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class AvailabilityInvalid(ValueError):
    """The availability given cannot be stored; ``errors`` lists why, one sentence each."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


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
            errors.extend(invalid.errors)
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
            errors.extend(invalid.errors)
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


def _check_host(actor: Any, proposal_pk: int) -> None:
    """The hosts (verified contacts of the lead organisation) and the secretariat may act."""
    if getattr(actor, "is_secretariat", False):
        return
    if not access.editable_proposals(actor).filter(pk=proposal_pk).exists():
        raise PermissionDenied


def _summary(available: list[list[str]], unavailable: list[str]) -> str:
    ranges = ", ".join(f"{a}–{b}" for a, b in available) or _("any date")
    days = ", ".join(unavailable) or "—"
    return _("available: %(ranges)s; not available: %(days)s") % {"ranges": ranges, "days": days}


def create_for_decision(
    *,
    actor: Any,
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
            action="webinars.created",
            subject=webinar,
            summary=_("Webinar “%(title)s” created (%(availability)s)")
            % {"title": proposal, "availability": _summary(stored_available, stored_unavailable)},
            changes={
                "available": [None, stored_available],
                "unavailable": [None, stored_unavailable],
            },
        )
    return webinar


def update_availability(
    *,
    actor: Any,
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
            action="webinars.availability_updated",
            subject=webinar,
            summary=_("Availability for “%(title)s”: %(availability)s")
            % {
                "title": webinar.proposal,
                "availability": _summary(stored_available, stored_unavailable),
            },
            changes={
                "available": [before[0], stored_available],
                "unavailable": [before[1], stored_unavailable],
            },
        )
    return webinar


def update_webinar(
    *,
    actor: Any,
    webinar: Webinar,
    minutes: int,
    audience: dict[str, float] | None,
    members_only: bool,
    joining_url: str,
) -> Webinar:
    """Set a webinar's length, audience (``None``: back to the default worked out from the
    members and the countries; the default given back unchanged keeps following the
    directory), whether it is for members only and its joining link.

    Refused (``WebinarInvalid``): a length other than 45 or 60 minutes; an unknown zone; a
    negative weight; weights adding up to nothing.

    Side effects: the webinar's fields; one audit entry ("timetable.webinar_updated") with what
    changed. The planned and published times do not change.
    """
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
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
    if errors:
        raise WebinarInvalid(errors)
    if audience is not None and not webinar.audience_edited:
        if audience == default_audience(webinar):
            audience = None
    fields = ["minutes", "audience", "audience_edited", "members_only", "joining_url"]
    with transaction.atomic():
        webinar = Webinar.objects.select_for_update().get(pk=webinar.pk)
        before = {name: getattr(webinar, name) for name in fields}
        webinar.minutes = minutes
        if audience is None:
            webinar.audience, webinar.audience_edited = {}, False
        else:
            webinar.audience = {
                zone: int(weight) if float(weight).is_integer() else float(weight)
                for zone, weight in sorted(audience.items(), key=lambda item: (-item[1], item[0]))
                if weight > 0
            }
            webinar.audience_edited = True
        webinar.members_only = members_only
        webinar.joining_url = joining_url
        webinar.save()
        audit.record(
            actor=actor,
            action="timetable.webinar_updated",
            subject=webinar,
            summary=_("Timetable facts of “%(title)s” saved") % {"title": webinar.title},
            changes=audit.diff(webinar, fields, before),
        )
    return webinar
