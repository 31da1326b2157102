"""Writes of the webinars: a webinar created when its host confirms hosting, and the host's
availability (DESIGN.md, **timetable**: "hosts give their availability when they confirm").

Each function takes keyword arguments only, checks the actor's right on the server, writes in
one transaction and records an audit entry. Refusals raise ``WebinarRefused`` with a message for
the person; availability that cannot hold (a range ending before it starts, an impossible date)
raises ``AvailabilityInvalid`` whose ``errors`` say which range or date is at fault.

Availability is stored on the webinar as ISO strings: ``available`` a list of inclusive
``[from, to]`` ranges (empty: any date of the series' period), ``unavailable`` a list of dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from deepdive.core import audit
from deepdive.proposals import access

from .models import Webinar

DateLike = date | str


class WebinarRefused(Exception):
    """The step cannot be taken; the message says why."""


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
    decision: Any,
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
    from deepdive.selection.models import Decision

    _check_host(actor, decision.proposal_id)
    stored_available, stored_unavailable = normalise_availability(available, unavailable)
    with transaction.atomic():
        existing = Webinar.objects.filter(proposal_id=decision.proposal_id).first()
        if existing is not None:
            return existing
        decision = Decision.objects.select_related("proposal").get(pk=decision.pk)
        if (
            decision.outcome != Decision.Outcome.SELECTED
            or decision.host_status != Decision.HostStatus.CONFIRMED
        ):
            raise WebinarRefused(
                _("A webinar is made only for a selected proposal whose host confirmed.")
            )
        proposal = decision.proposal
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
