"""From the database to the ``timetable`` optimiser's input (DESIGN.md, **timetable**).

- Webinars: the ``Webinar`` rows of the call whose proposal is still selected and whose host
  confirmed (``webinars_of``), in the order they were created; ids ``w<pk>``.
- ``audience``: the webinar's audience (set by hand, else the default of ``audience.py``).
- ``available``: the host's ``available`` ranges minus the dates in ``unavailable`` (a range
  holding such a date is split around it). With no range but some unavailable dates, the rules'
  whole period minus those dates. With neither, no restriction (the key is left out). Ranges
  can come out empty (``[]``): the host then allows no date and the run says so.
- A run keeps published webinars where they are (publishing fixes the dates): only the
  others are sent, with the dates beside a published one (``blocked_by``) taken out.
- Dates: the rules' period, weekdays and blackout dates; the window with its excluded times;
  the attendees' local hours; step and minimum days between; 20 seconds for the solver.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from deepdive.optimize.timetable import TimetableProblem, parse
from deepdive.series.models import Call
from deepdive.webinars.audience import audiences_of
from deepdive.webinars.models import Webinar

from .models import TimetableRules

TIME_LIMIT_SECONDS = 20
# The default period: from the first Monday at least this far ahead, for this long.
DEFAULT_LEAD = timedelta(weeks=3)
DEFAULT_LENGTH = timedelta(weeks=12)


def webinar_id(pk: int) -> str:
    return f"w{pk}"


def pk_of(optimiser_id: str) -> int | None:
    rest = optimiser_id[1:]
    return int(rest) if optimiser_id.startswith("w") and rest.isdigit() else None


def webinars_of(call: Call) -> QuerySet[Webinar]:
    """The webinars of ``call`` to place: selected proposals whose host confirmed."""
    return (
        Webinar.objects.filter(
            proposal__call=call,
            proposal__decision__outcome="selected",
            proposal__decision__host_status="confirmed",
        )
        .select_related(
            "proposal__lead_organisation", "proposal__created_by", "proposal__call__series"
        )
        .prefetch_related("proposal__countries")
        .order_by("pk")
    )


def default_period(today: date | None = None) -> tuple[date, date]:
    """The first Monday at least three weeks from ``today``, and twelve weeks later."""
    today = today or timezone.localdate()
    first = today + DEFAULT_LEAD
    first += timedelta(days=(7 - first.weekday()) % 7)
    return first, first + DEFAULT_LENGTH


def rules_of(call: Call) -> TimetableRules:
    """The call's saved rules, or (unsaved, ``pk`` None) the defaults with the default period."""
    try:
        return TimetableRules.objects.get(call=call)
    except TimetableRules.DoesNotExist:
        first, last = default_period()
        return TimetableRules(call=call, first_date=first, last_date=last)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def available_ranges(
    webinar: Webinar, rules: TimetableRules, blocked: Iterable[date] = ()
) -> list[list[str]] | None:
    """The host's available dates as inclusive ISO ranges, or None for no restriction;
    ``blocked`` dates are taken out as if the host could not do them."""
    unavailable = sorted({_day(d) for d in webinar.unavailable or []} | set(blocked))
    ranges = [(_day(a), _day(b)) for a, b in webinar.available or []]
    if not ranges:
        if not unavailable:
            return None
        ranges = [(rules.first_date, rules.last_date)]
    out: list[list[str]] = []
    for first, last in sorted(ranges):
        start = first
        for gap in unavailable:
            if gap < start or gap > last:
                continue
            if gap > start:
                out.append([start.isoformat(), (gap - timedelta(days=1)).isoformat()])
            start = gap + timedelta(days=1)
        if start <= last:
            out.append([start.isoformat(), last.isoformat()])
    return out


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)[:5]


def blocked_by(fixed: Iterable[Webinar], rules: TimetableRules) -> set[date]:
    """The dates another webinar cannot take beside webinars whose date is fixed (published):
    their reference-zone dates and those fewer than ``min_days_between`` days away (with a
    minimum of 0, the date itself, so nothing can overlap them)."""
    zone = zoneinfo.ZoneInfo(rules.reference_timezone)
    reach = max(int(rules.min_days_between), 1)
    blocked: set[date] = set()
    for webinar in fixed:
        if webinar.starts_at is None:
            continue
        on = webinar.starts_at.astimezone(zone).date()
        blocked.update(on + timedelta(days=k) for k in range(-reach + 1, reach))
    return blocked


def build_input(
    call: Call,
    rules: TimetableRules,
    webinars: Iterable[Webinar],
    *,
    blocked: Iterable[date] = (),
) -> dict[str, Any]:
    """The optimiser's JSON input for ``webinars`` under ``rules`` (see the module); the
    ``blocked`` dates (``blocked_by``) are left out of every webinar's availability."""
    blocked = set(blocked)
    webinars = list(webinars)
    audiences = audiences_of(webinars)
    items = []
    for webinar in webinars:
        item: dict[str, Any] = {
            "id": webinar_id(webinar.pk),
            "minutes": int(webinar.minutes),
            "audience": dict(audiences[webinar.pk]),
        }
        available = available_ranges(webinar, rules, blocked)
        if available is not None:
            item["available"] = available
        items.append(item)
    return {
        "reference_timezone": rules.reference_timezone,
        "dates": {
            "from": _day(rules.first_date).isoformat(),
            "to": _day(rules.last_date).isoformat(),
            "weekdays": sorted(int(d) for d in rules.weekdays),
            "blackout": sorted({str(b["date"]) for b in rules.blackout or []}),
        },
        "window": {
            "start": _clock(rules.window_start),
            "end": _clock(rules.window_end),
            "exclude": [[_clock(a), _clock(b)] for a, b in rules.excluded or []],
        },
        "step_minutes": int(rules.step_minutes),
        "min_days_between": int(rules.min_days_between),
        "audience_hours": {
            "start": _clock(rules.audience_start),
            "end": _clock(rules.audience_end),
        },
        "webinars": items,
        "time_limit_seconds": TIME_LIMIT_SECONDS,
    }


def build_problem(
    call: Call, rules: TimetableRules, webinars: Iterable[Webinar], *, blocked: Iterable[date] = ()
) -> tuple[dict[str, Any], TimetableProblem]:
    """The input and the problem ``optimize.timetable.parse`` makes of it."""
    data = build_input(call, rules, webinars, blocked=blocked)
    return data, parse(data)
