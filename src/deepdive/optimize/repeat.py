"""A repeat session: a second start of one webinar for the audience its first start leaves
outside their hours.

Inside 09:00–18:00 Paris time no start reaches an audience in Fiji or Samoa within its day, and
the Americas and the Pacific never share working hours: one start cannot serve them all. When
a webinar's start leaves :data:`REPEAT_WHEN_OUTSIDE` or more of its audience outside their hours
(:func:`left_out`), :func:`best_repeat` finds the start that reaches the most of that left-out
audience.

The time semantics are those of :mod:`.timetable` (candidate starts on the step grid of each
allowed date in the reference zone, daylight-saving gaps skipped, ends in real elapsed time,
reach on local dates and hours of each zone): the repeat's candidates *are* the timetable's
candidates of the same webinar with only the left-out zones as its audience, in ``window``
(the secretariat may widen the daily window for a repeat). Pure Python: nothing from Django.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .timetable import Candidate, TimetableProblem, Webinar, Window, _Reacher, candidates

# A start that leaves this share of the audience (or more) outside their hours calls for a
# repeat session.
REPEAT_WHEN_OUTSIDE = 1 / 3
# Reaches closer than this are equal (they are sums of float weights divided by a total).
_EPSILON = 1e-9


@dataclass(frozen=True)
class RepeatOffer:
    """The best repeat: its start and end (aware, reference zone), the share of the left-out
    audience it reaches (0..1), the share of the whole audience inside their hours at one
    session or the other, and the left-out zones it reaches (heaviest first)."""

    start: datetime
    end: datetime
    reach_of_left_out: float
    combined_reach: float
    zones_reached: tuple[str, ...]


def _webinar(problem: TimetableProblem, webinar_id: str) -> Webinar:
    for webinar in problem.webinars:
        if webinar.id == webinar_id:
            return webinar
    raise KeyError(webinar_id)


def _end(start: datetime, minutes: int) -> datetime:
    """``minutes`` of real time after ``start``, in the start's zone."""
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


def left_out(problem: TimetableProblem, webinar_id: str, start: datetime) -> dict[str, float]:
    """The audience zones (with their weights) that a start at ``start`` (aware) leaves outside
    their hours (``audience_hours``, read as reach reads them), heaviest first."""
    webinar = _webinar(problem, webinar_id)
    tz = zoneinfo.ZoneInfo(problem.reference_timezone)
    start = start.astimezone(tz)
    end = _end(start, webinar.minutes)
    reacher = _Reacher(problem.audience_hours)
    outside = {
        name: weight
        for name, weight in webinar.audience.items()
        if weight > 0 and not reacher.fits(name, start, end)
    }
    return dict(sorted(outside.items(), key=lambda item: (-item[1], item[0])))


def share_left_out(problem: TimetableProblem, webinar_id: str, start: datetime) -> float:
    """The share (0..1) of the webinar's audience that ``start`` leaves outside their hours."""
    total = sum(w for w in _webinar(problem, webinar_id).audience.values() if w > 0)
    if total <= 0:
        return 0.0
    return sum(left_out(problem, webinar_id, start).values()) / total


def needs_repeat(problem: TimetableProblem, webinar_id: str, start: datetime) -> bool:
    """Whether ``start`` leaves a third or more of the audience outside their hours."""
    return share_left_out(problem, webinar_id, start) >= REPEAT_WHEN_OUTSIDE - _EPSILON


def _overlaps(cand: Candidate, intervals: Sequence[tuple[datetime, datetime]]) -> bool:
    start, end = cand.start.timestamp(), cand.end.timestamp()
    return any(start < b.timestamp() and a.timestamp() < end for a, b in intervals)


def best_repeat(
    problem: TimetableProblem,
    webinar_id: str,
    first_start: datetime,
    *,
    window: Window | None = None,
    taken: Sequence[tuple[datetime, datetime]] = (),
) -> RepeatOffer | None:
    """The repeat start that reaches the most of the audience ``first_start`` leaves out.

    Among the timetable's candidate starts of the webinar (its allowed dates and the host's
    availability) in ``window`` (default: the problem's), never overlapping the first session
    or a ``taken`` interval ([start, end), aware). Ties: the date nearest the first session
    (in the reference zone), then the earliest. None when no start reaches any of them (or
    nobody is left out)."""
    webinar = _webinar(problem, webinar_id)
    tz = zoneinfo.ZoneInfo(problem.reference_timezone)
    first_start = first_start.astimezone(tz)
    outside = left_out(problem, webinar_id, first_start)
    if not outside:
        return None
    only_them = dataclasses.replace(webinar, audience=outside)
    narrowed = dataclasses.replace(problem, window=window or problem.window, webinars=(only_them,))
    busy = [(first_start, _end(first_start, webinar.minutes)), *taken]
    first_day = first_start.date()
    best: Candidate | None = None
    for cand in candidates(narrowed)[0]:  # in date then time order: earliest first
        if cand.reach <= _EPSILON or _overlaps(cand, busy):
            continue
        if best is None or cand.reach > best.reach + _EPSILON:
            best = cand
        elif abs(cand.reach - best.reach) <= _EPSILON and abs((cand.on - first_day).days) < abs(
            (best.on - first_day).days
        ):
            best = cand
    if best is None:
        return None
    reacher = _Reacher(problem.audience_hours)
    reached = tuple(name for name in outside if reacher.fits(name, best.start, best.end))
    total = sum(w for w in webinar.audience.values() if w > 0)
    inside_first = total - sum(outside.values())
    inside_repeat = sum(outside[name] for name in reached)
    return RepeatOffer(
        start=best.start,
        end=best.end,
        reach_of_left_out=best.reach,
        combined_reach=(inside_first + inside_repeat) / total,
        zones_reached=reached,
    )
