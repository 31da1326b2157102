"""``deepdive timetable``: place the selected webinars in time, maximising audience reach.

The contract is in DESIGN.md ("Contract … Optimisers", **timetable**). This module parses and
checks the JSON input into plain dataclasses (:func:`parse`), enumerates every candidate start,
solves on CP-SAT (:func:`solve`) and turns the answer back into JSON (:func:`solve_json`).

Time semantics (all decided here, once):

* Candidate starts are the wall-clock times ``window.start + k·step_minutes`` of each allowed
  date in the reference zone. A wall time inside the spring daylight-saving gap does not exist
  and is skipped; one that occurs twice (the autumn repeated hour) is taken once, at its first
  occurrence (``fold=0``, i.e. the summer-time offset).
* The end is ``minutes`` of real elapsed time after the start (computed on UTC instants), so a
  60-minute webinar from 01:30 on the autumn day ends at 02:30 summer time, and one from 02:30
  (first occurrence) ends at 02:30 winter time.
* Start and end must fall on the candidate's local date, with start wall time ≥ window.start
  and end wall time ≤ window.end. Excluded ``[a, b)`` ranges are sets of *wall times* of that
  date; ending exactly at ``a`` is allowed. On an ordinary day (one UTC offset all day) the
  webinar passes through the wall times [start, end), so the rules are the plain comparisons
  ``start ≥ window.start``, ``end ≤ window.end`` and, for each excluded range, not
  ``start < b and end > a``. On a day with an offset change the wall times the webinar passes
  through are not one interval, so they are walked minute by minute (offsets are whole
  minutes) and each must lie in [window.start, window.end) and outside every excluded range:
  a webinar crossing the autumn change is checked against both copies of the repeated hour
  (from 02:00 summer time, 60 minutes end at 02:00 winter time but pass through 02:59, so a
  02:00-02:30 window does not hold it), and the wall times skipped in spring are never passed
  through (01:30 to 03:30 does not meet an excluded [02:00, 03:00)).
* Reach follows the contract literally: a zone counts when the local start and local end in
  that zone are on the same local date, start ≥ audience_hours.start and end ≤
  audience_hours.end.

Formulation. With ``min_days_between`` ≥ 1 no two webinars share a date, and webinars on
different dates can never overlap (local dates advance monotonically in real time), so the
choice of a start *within* a date is independent of the others: each (webinar, date) pair keeps
only its best candidate (highest reach, earliest on ties) and the model has one Boolean per
pair, with one at-most-one constraint per window of ``min_days_between`` consecutive days
starting at an allowed date. With ``min_days_between`` = 0 the model has one Boolean per
candidate start, and for every distinct start instant an at-most-one over the candidates running
at that instant (intervals overlap exactly when one contains the other's start). Reaches are
scaled to integers (×10⁹) for the objective; the reported reaches and total are recomputed in
floating point from the chosen starts.
"""

from __future__ import annotations

import zoneinfo
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from ortools.sat.python import cp_model

from .validation import (
    InputError,
    array,
    clock,
    day,
    identifier,
    number,
    obj,
    unique_ids,
    whole,
    zone,
)

SCALE = 10**9  # reach → integer objective coefficient
DEFAULT_STEP_MINUTES = 30
DEFAULT_TIME_LIMIT = 60.0
MINUTE = timedelta(minutes=1)
# Both ends of a range: two dates or two times of day.
_Moment = TypeVar("_Moment", date, time)


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Webinar:
    id: str
    minutes: int
    audience: dict[str, float]  # zone name -> weight >= 0
    available: tuple[tuple[date, date], ...] | None = None  # None: no restriction

    def allows(self, on: date) -> bool:
        if self.available is None:
            return True
        return any(first <= on <= last for first, last in self.available)


@dataclass(frozen=True)
class Window:
    start: time
    end: time
    exclude: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class Dates:
    first: date  # "from"
    last: date  # "to"
    weekdays: frozenset[int] = frozenset(range(1, 8))  # ISO, 1 = Monday
    blackout: frozenset[date] = frozenset()

    def allowed(self) -> list[date]:
        days, current = [], self.first
        while current <= self.last:
            if current.isoweekday() in self.weekdays and current not in self.blackout:
                days.append(current)
            current += timedelta(days=1)
        return days


@dataclass(frozen=True)
class AudienceHours:
    start: time
    end: time


@dataclass(frozen=True)
class TimetableProblem:
    reference_timezone: str
    dates: Dates
    window: Window
    audience_hours: AudienceHours
    webinars: tuple[Webinar, ...]
    step_minutes: int = DEFAULT_STEP_MINUTES
    min_days_between: int = 0
    time_limit_seconds: float = DEFAULT_TIME_LIMIT


# --------------------------------------------------------------------------- output


@dataclass
class TimetableResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    timetable: dict[str, datetime] = field(default_factory=dict)  # aware, reference zone
    reach: dict[str, float] = field(default_factory=dict)
    total_reach: float = 0.0
    gap: float | None = None  # with "feasible": proven bound minus total_reach
    reason: str | None = None  # with "infeasible" (and "unknown")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.gap is not None:
            out["gap"] = self.gap
        if self.reason is not None:
            out["reason"] = self.reason
        out["timetable"] = {key: start.isoformat() for key, start in self.timetable.items()}
        out["reach"] = dict(self.reach)
        out["total_reach"] = self.total_reach
        return out


# --------------------------------------------------------------------------- parsing


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _clock_range(value: Any, where: str, *, allow_equal: bool) -> tuple[time, time]:
    pair = array(value, where)
    if len(pair) != 2:
        raise InputError(f"{where}: expected a pair [start, end] of times HH:MM")
    start, end = clock(pair[0], f"{where}[0]"), clock(pair[1], f"{where}[1]")
    _ordered(start, end, where, allow_equal=allow_equal)
    return start, end


def _day_range(value: Any, where: str) -> tuple[date, date]:
    pair = array(value, where)
    if len(pair) != 2:
        raise InputError(f"{where}: expected a pair [from, to] of dates YYYY-MM-DD")
    first, last = day(pair[0], f"{where}[0]"), day(pair[1], f"{where}[1]")
    _ordered(first, last, where, allow_equal=True)
    return first, last


def _ordered(start: _Moment, end: _Moment, where: str, *, allow_equal: bool) -> None:
    if end < start or (end == start and not allow_equal):
        expected = "on or after" if allow_equal else "after"
        raise InputError(
            f"{where}: a range whose end comes before its start (end {_show(end)} must be "
            f"{expected} start {_show(start)})"
        )


def _show(value: date | time) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat()


def parse(data: Any) -> TimetableProblem:
    """Check the JSON input against the contract; raise InputError naming the key at fault."""
    top = obj(
        data,
        "input",
        required=("reference_timezone", "dates", "window", "audience_hours", "webinars"),
        optional=("step_minutes", "min_days_between", "time_limit_seconds"),
    )
    reference = zone(top["reference_timezone"], "reference_timezone").key
    dates = _dates(top["dates"])
    window = _window(top["window"])
    audience_hours = _audience_hours(top["audience_hours"])
    step, spacing, limit = _options(top)
    webinars = _webinars(top["webinars"])
    return TimetableProblem(
        reference_timezone=reference,
        dates=dates,
        window=window,
        audience_hours=audience_hours,
        webinars=webinars,
        step_minutes=step,
        min_days_between=spacing,
        time_limit_seconds=limit,
    )


def _dates(value: Any) -> Dates:
    """``dates``: from and to (in order), the ISO weekdays allowed, the blackout days."""
    raw = obj(value, "dates", required=("from", "to"), optional=("weekdays", "blackout"))
    first, last = day(raw["from"], "dates.from"), day(raw["to"], "dates.to")
    if last < first:
        raise InputError(
            f"dates: a range whose end comes before its start "
            f"(dates.to {last.isoformat()} must be on or after dates.from {first.isoformat()})"
        )
    weekdays = frozenset(range(1, 8))
    if "weekdays" in raw:
        weekdays = _weekdays(raw["weekdays"])
    blackout: frozenset[date] = frozenset()
    if "blackout" in raw:
        items = array(raw["blackout"], "dates.blackout")
        blackout = frozenset(day(item, f"dates.blackout[{i}]") for i, item in enumerate(items))
    return Dates(first, last, weekdays, blackout)


def _weekdays(value: Any) -> frozenset[int]:
    """``dates.weekdays``: ISO weekdays from 1 to 7, each once."""
    seen: list[int] = []
    for i, item in enumerate(array(value, "dates.weekdays")):
        where = f"dates.weekdays[{i}]"
        weekday = whole(item, where, minimum=1)
        if weekday > 7:
            raise InputError(
                f"{where}: expected an ISO weekday from 1 (Monday) to 7 (Sunday), got {weekday}"
            )
        if weekday in seen:
            raise InputError(f"{where}: weekday {weekday} is listed twice")
        seen.append(weekday)
    return frozenset(seen)


def _window(value: Any) -> Window:
    """``window``: start before end, and the excluded ranges inside the day."""
    raw = obj(value, "window", required=("start", "end"), optional=("exclude",))
    start = clock(raw["start"], "window.start")
    end = clock(raw["end"], "window.end")
    if end <= start:
        raise InputError(
            f"window: a range whose end comes before its start (window.end "
            f"{end.strftime('%H:%M')} must be after window.start "
            f"{start.strftime('%H:%M')})"
        )
    exclude: tuple[tuple[time, time], ...] = ()
    if "exclude" in raw:
        items = array(raw["exclude"], "window.exclude")
        exclude = tuple(
            _clock_range(item, f"window.exclude[{i}]", allow_equal=False)
            for i, item in enumerate(items)
        )
    return Window(start, end, exclude)


def _audience_hours(value: Any) -> AudienceHours:
    """``audience_hours``: start, and an end not before it."""
    raw = obj(value, "audience_hours", required=("start", "end"))
    start = clock(raw["start"], "audience_hours.start")
    end = clock(raw["end"], "audience_hours.end")
    if end < start:
        raise InputError(
            f"audience_hours: a range whose end comes before its start (audience_hours.end "
            f"{end.strftime('%H:%M')} must not be before audience_hours.start "
            f"{start.strftime('%H:%M')})"
        )
    return AudienceHours(start, end)


def _options(top: dict[str, Any]) -> tuple[int, int, float]:
    """``step_minutes``, ``min_days_between`` and ``time_limit_seconds``, or their defaults."""
    step = DEFAULT_STEP_MINUTES
    if "step_minutes" in top:
        step = whole(top["step_minutes"], "step_minutes", minimum=1)
    spacing = 0
    if "min_days_between" in top:
        spacing = whole(top["min_days_between"], "min_days_between", minimum=0)
    limit = DEFAULT_TIME_LIMIT
    if "time_limit_seconds" in top:
        limit = number(top["time_limit_seconds"], "time_limit_seconds")
        if limit <= 0:
            raise InputError(f"time_limit_seconds: expected a number > 0, got {limit:g}")
    return step, spacing, limit


def _webinars(value: Any) -> tuple[Webinar, ...]:
    """``webinars``: each one checked, their ids unique."""
    webinars = tuple(
        _webinar(item, f"webinars[{i}]") for i, item in enumerate(array(value, "webinars"))
    )
    unique_ids((w.id for w in webinars), "webinars")
    return webinars


def _webinar(value: Any, where: str) -> Webinar:
    """One webinar: id, minutes, audience per known time zone, available date ranges."""
    raw = obj(value, where, required=("id", "minutes", "audience"), optional=("available",))
    webinar_id = identifier(raw["id"], f"{where}.id")
    minutes = whole(raw["minutes"], f"{where}.minutes", minimum=1)
    raw_audience = raw["audience"]
    if not isinstance(raw_audience, dict):
        obj(raw_audience, f"{where}.audience")  # raises: expected an object
    audience: dict[str, float] = {}
    for name, weight in raw_audience.items():
        zone(name, f"{where}.audience")  # unknown zone → InputError naming it
        audience[name] = number(weight, f"{where}.audience[{name!r}]", minimum=0)
    available = None
    if "available" in raw:
        ranges = array(raw["available"], f"{where}.available")
        available = tuple(
            _day_range(pair, f"{where}.available[{j}]") for j, pair in enumerate(ranges)
        )
    return Webinar(webinar_id, minutes, audience, available)


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """One possible start of one webinar."""

    webinar: int  # index in problem.webinars
    on: date  # the date in the reference zone
    start: datetime  # aware, reference zone
    end: datetime  # aware, reference zone
    reach: float

    @property
    def start_key(self) -> int:  # minutes since the epoch (real time)
        return int(self.start.timestamp()) // 60

    @property
    def end_key(self) -> int:
        return int(self.end.timestamp()) // 60


def _local_instant(on: date, minute: int, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """The first occurrence of wall time ``minute`` of ``on`` in ``tz``, None in a DST gap."""
    naive = datetime.combine(on, time(minute // 60, minute % 60))
    aware = naive.replace(tzinfo=tz)  # fold=0: the first occurrence of a repeated time
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        return None
    return back


def _ordinary_day(on: date, tz: zoneinfo.ZoneInfo) -> bool:
    """True when the zone keeps one UTC offset all through the date."""
    midnight = datetime.combine(on, time(0)).replace(tzinfo=tz).astimezone(UTC)
    offsets = {(midnight + timedelta(hours=h)).astimezone(tz).utcoffset() for h in range(25)}
    offsets.add(midnight.astimezone(tz).utcoffset())
    return len(offsets) == 1


def _passes_outside(
    start: datetime,
    end: datetime,
    on: date,
    window: tuple[int, int],
    exclude: tuple[tuple[int, int], ...],
    ordinary: bool,
) -> bool:
    """Whether the webinar [start, end), aware in the reference zone and already known to
    start and end on ``on`` inside the window, passes through a wall time outside the window
    or inside an excluded [a, b) (minutes of the day)."""
    if ordinary:
        first = start.hour * 60 + start.minute
        last = end.hour * 60 + end.minute
        return any(first < b and last > a for a, b in exclude)
    tz = start.tzinfo
    instant = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    while instant < stop:
        local = instant.astimezone(tz)
        minute = local.hour * 60 + local.minute
        if (
            local.date() != on
            or not window[0] <= minute < window[1]
            or any(a <= minute < b for a, b in exclude)
        ):
            return True
        instant += MINUTE
    return False


class _Reacher:
    """reach(w, t), with the per-zone test cached on (zone, start, end)."""

    def __init__(self, hours: AudienceHours) -> None:
        self.hours = hours
        self.zones: dict[str, zoneinfo.ZoneInfo] = {}
        # keyed on POSIX timestamps: aware datetimes sharing a tzinfo compare by wall time,
        # so 02:30 summer time and 02:30 winter time would be equal keys
        self.cache: dict[tuple[str, float, float], bool] = {}

    def fits(self, name: str, start: datetime, end: datetime) -> bool:
        key = (name, start.timestamp(), end.timestamp())
        hit = self.cache.get(key)
        if hit is None:
            tz = self.zones.get(name) or self.zones.setdefault(name, zoneinfo.ZoneInfo(name))
            local_start, local_end = start.astimezone(tz), end.astimezone(tz)
            hit = (
                local_start.date() == local_end.date()
                and local_start.time() >= self.hours.start
                and local_end.time() <= self.hours.end
            )
            self.cache[key] = hit
        return hit

    def reach(self, webinar: Webinar, start: datetime, end: datetime) -> float:
        total = sum(webinar.audience.values())
        if total <= 0:
            return 0.0
        reached = sum(
            weight
            for name, weight in webinar.audience.items()
            if weight > 0 and self.fits(name, start, end)
        )
        return reached / total


def candidates(problem: TimetableProblem) -> list[list[Candidate]]:
    """Every candidate start of each webinar, in date then time order."""
    tz = zoneinfo.ZoneInfo(problem.reference_timezone)
    window = problem.window
    window_start, window_end = _minutes(window.start), _minutes(window.end)
    bounds = (window_start, window_end)
    exclude = tuple((_minutes(a), _minutes(b)) for a, b in window.exclude)
    reacher = _Reacher(problem.audience_hours)
    allowed = problem.dates.allowed()
    ordinary = {on: _ordinary_day(on, tz) for on in allowed}
    starts = {
        on: [
            instant
            for minute in range(window_start, window_end + 1, problem.step_minutes)
            if (instant := _local_instant(on, minute, tz)) is not None
        ]
        for on in allowed
    }
    # (start timestamp, minutes) -> end, or None when that start does not fit
    fitting: dict[tuple[float, int], datetime | None] = {}

    def fit(on: date, start: datetime, minutes: int) -> datetime | None:
        key = (start.timestamp(), minutes)
        if key not in fitting:
            end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)
            ok = (
                end.date() == on
                and end.hour * 60 + end.minute <= window_end
                and not _passes_outside(start, end, on, bounds, exclude, ordinary[on])
            )
            fitting[key] = end if ok else None
        return fitting[key]

    result: list[list[Candidate]] = []
    for index, webinar in enumerate(problem.webinars):
        mine: list[Candidate] = []
        for on in allowed:
            if not webinar.allows(on):
                continue
            for start in starts[on]:
                end = fit(on, start, webinar.minutes)
                if end is not None:
                    mine.append(
                        Candidate(index, on, start, end, reacher.reach(webinar, start, end))
                    )
        result.append(mine)
    return result


# --------------------------------------------------------------------------- solving


def _why_no_start(problem: TimetableProblem, webinar: Webinar) -> str:
    allowed = [on for on in problem.dates.allowed() if webinar.allows(on)]
    if not allowed:
        if webinar.available is not None:
            return (
                f"{webinar.id!r} has no allowed date (its 'available' ranges leave none of "
                f"the dates, weekdays and blackout allow)"
            )
        return f"{webinar.id!r} has no allowed date (dates, weekdays and blackout leave none)"
    return (
        f"{webinar.id!r} has no start on its {len(allowed)} allowed date(s) where its "
        f"{webinar.minutes} minutes fit in the window outside the excluded times"
    )


def unplaceable(problem: TimetableProblem) -> dict[str, str]:
    """The webinars that have no candidate start, and why: "no_date" when the period,
    weekdays, blackout dates and the host's availability leave no date, "no_start" when no
    start on the dates left lets its minutes fit in the window outside the excluded times."""
    allowed = problem.dates.allowed()
    return {
        webinar.id: ("no_start" if any(webinar.allows(on) for on in allowed) else "no_date")
        for webinar, mine in zip(problem.webinars, candidates(problem), strict=True)
        if not mine
    }


# chosen[i]: the (Boolean, candidate) pairs of webinar i, exactly one of them true.
_Choices = list[list[tuple[cp_model.IntVar, Candidate]]]


def solve(problem: TimetableProblem) -> TimetableResult:
    """Maximise Σ reach under the contract's rules, on CP-SAT.

    Every webinar's candidate starts (none for one: infeasible at once); one Boolean per
    choice, on days ``min_days_between`` apart or else without overlaps; exactly one choice per
    webinar; the largest total reach, read back as the timetable."""
    per_webinar = candidates(problem)
    webinars = problem.webinars
    missing = [w for w, mine in zip(webinars, per_webinar, strict=True) if not mine]
    if missing:
        return _no_candidate(problem, missing)
    if not webinars:
        return TimetableResult(status="optimal")
    model = cp_model.CpModel()
    if problem.min_days_between >= 1:
        chosen = _spaced_days(model, per_webinar, problem.min_days_between)
    else:
        chosen = _no_overlap(model, per_webinar)
    for pairs in chosen:
        model.add_exactly_one(var for var, _ in pairs)
    model.maximize(sum(round(cand.reach * SCALE) * var for pairs in chosen for var, cand in pairs))
    return _timetable(problem, model, chosen)


def _no_candidate(problem: TimetableProblem, missing: list[Webinar]) -> TimetableResult:
    """Infeasible before solving: some webinars have no candidate start at all."""
    names = ", ".join(repr(w.id) for w in missing)
    details = "; ".join(_why_no_start(problem, w) for w in missing)
    return TimetableResult(
        status="infeasible",
        reason=f"no candidate start for webinar(s) {names}: {details}",
    )


def _spaced_days(
    model: cp_model.CpModel, per_webinar: list[list[Candidate]], spacing: int
) -> _Choices:
    """One Boolean per (webinar, date): the best candidate of that date; at most one webinar
    in any ``spacing`` consecutive days."""
    chosen: _Choices = []
    by_date: dict[date, list[cp_model.IntVar]] = {}
    for i, mine in enumerate(per_webinar):
        best: dict[date, Candidate] = {}
        for cand in mine:  # in time order: ties keep the earliest
            if cand.on not in best or cand.reach > best[cand.on].reach:
                best[cand.on] = cand
        pairs = []
        for on, cand in best.items():
            var = model.new_bool_var(f"w{i}_{on.isoformat()}")
            pairs.append((var, cand))
            by_date.setdefault(on, []).append(var)
        chosen.append(pairs)
    days = sorted(by_date)
    for k, first in enumerate(days):
        limit = first + timedelta(days=spacing - 1)
        group: list[cp_model.IntVar] = []
        for on in days[k:]:
            if on > limit:
                break
            group.extend(by_date[on])
        if len(group) > 1:
            model.add_at_most_one(group)
    return chosen


def _no_overlap(model: cp_model.CpModel, per_webinar: list[list[Candidate]]) -> _Choices:
    """One Boolean per candidate; at most one webinar running at each start instant of a date
    (webinars on different dates never overlap)."""
    chosen: _Choices = []
    runs: dict[date, list[tuple[cp_model.IntVar, int, Candidate]]] = {}
    for i, mine in enumerate(per_webinar):
        pairs = []
        for j, cand in enumerate(mine):
            var = model.new_bool_var(f"w{i}_c{j}")
            pairs.append((var, cand))
            runs.setdefault(cand.on, []).append((var, i, cand))
        chosen.append(pairs)
    for on_date in runs.values():
        points = sorted({cand.start_key for _, _, cand in on_date})
        groups: list[list[tuple[cp_model.IntVar, int]]] = [[] for _ in points]
        for var, i, cand in on_date:
            k = bisect_left(points, cand.start_key)
            while k < len(points) and points[k] < cand.end_key:
                groups[k].append((var, i))
                k += 1
        for group in groups:
            if len({i for _, i in group}) > 1:
                model.add_at_most_one(var for var, _ in group)
    return chosen


def _timetable(
    problem: TimetableProblem, model: cp_model.CpModel, chosen: _Choices
) -> TimetableResult:
    """Solve within the time limit and read the chosen starts, their reach and the gap."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = problem.time_limit_seconds
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return TimetableResult(status="infeasible", reason=_why_infeasible(problem))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return TimetableResult(
            status="unknown",
            reason=(
                f"the solver found no timetable within time_limit_seconds = "
                f"{problem.time_limit_seconds:g}; allow more time"
            ),
        )

    result = TimetableResult(status="optimal" if status == cp_model.OPTIMAL else "feasible")
    for webinar, pairs in zip(problem.webinars, chosen, strict=True):
        cand = next(cand for var, cand in pairs if solver.boolean_value(var))
        result.timetable[webinar.id] = cand.start
        result.reach[webinar.id] = cand.reach
    result.total_reach = sum(result.reach.values())
    if result.status == "feasible":
        bound = solver.best_objective_bound / SCALE
        result.gap = max(0.0, bound - result.total_reach)
    return result


def _why_infeasible(problem: TimetableProblem) -> str:
    count = len(problem.webinars)
    if problem.min_days_between >= 1:
        return (
            f"the {count} webinars cannot all be placed on their allowed dates at least "
            f"min_days_between = {problem.min_days_between} day(s) apart"
        )
    return (
        f"the {count} webinars cannot all be placed at their candidate starts without two "
        f"of them overlapping"
    )


# --------------------------------------------------------------------------- checking a plan


@dataclass(frozen=True)
class Conflict:
    """A rule a placed webinar breaks. ``kind`` is one of "date" (not an allowed date: outside
    the period, on a weekday not allowed or a blackout date), "window" (outside the daily window
    or inside an excluded time), "availability" (outside the host's available dates),
    "too_close" (fewer than ``min_days_between`` days from ``other``) and "overlap" (runs at
    the same time as ``other``)."""

    kind: str
    other: str | None = None


@dataclass(frozen=True)
class Placement:
    """One webinar at one start: its end, its reach and the rules it breaks."""

    start: datetime  # aware, reference zone
    end: datetime
    reach: float
    conflicts: tuple[Conflict, ...] = ()


def evaluate(problem: TimetableProblem, starts: dict[str, datetime]) -> dict[str, Placement]:
    """Reach and broken rules of webinars placed at any aware ``starts`` (a hand-made plan, or
    one move previewed), by the same rules the optimiser keeps. Webinars missing from
    ``starts`` are left out, and nothing is said about them."""
    tz = zoneinfo.ZoneInfo(problem.reference_timezone)
    window = problem.window
    bounds = (_minutes(window.start), _minutes(window.end))
    exclude = tuple((_minutes(a), _minutes(b)) for a, b in window.exclude)
    allowed = set(problem.dates.allowed())
    reacher = _Reacher(problem.audience_hours)
    placed: dict[str, tuple[Webinar, datetime, datetime, date]] = {}
    for webinar in problem.webinars:
        if webinar.id in starts:
            start = starts[webinar.id].astimezone(tz)
            end = (start.astimezone(UTC) + timedelta(minutes=webinar.minutes)).astimezone(tz)
            placed[webinar.id] = (webinar, start, end, start.date())

    result: dict[str, Placement] = {}
    for key, (webinar, start, end, on) in placed.items():
        conflicts: list[Conflict] = []
        if on not in allowed:
            conflicts.append(Conflict("date"))
        if not _inside_window(start, end, on, bounds, exclude, tz):
            conflicts.append(Conflict("window"))
        if not webinar.allows(on):
            conflicts.append(Conflict("availability"))
        for other, (_, other_start, other_end, other_on) in placed.items():
            if other == key:
                continue
            if start < other_end and other_start < end:
                conflicts.append(Conflict("overlap", other))
            elif abs((on - other_on).days) < problem.min_days_between:
                conflicts.append(Conflict("too_close", other))
        result[key] = Placement(start, end, reacher.reach(webinar, start, end), tuple(conflicts))
    return result


def _inside_window(
    start: datetime,
    end: datetime,
    on: date,
    bounds: tuple[int, int],
    exclude: tuple[tuple[int, int], ...],
    tz: zoneinfo.ZoneInfo,
) -> bool:
    """Whether [start, end) keeps the window and the excluded times on its start date, read as
    the candidates are (``candidates``): a start on the step grid is not required."""
    first = start.hour * 60 + start.minute
    if end.date() != on or first < bounds[0] or end.hour * 60 + end.minute > bounds[1]:
        return False
    return not _passes_outside(start, end, on, bounds, exclude, _ordinary_day(on, tz))


def naive_plan(problem: TimetableProblem) -> dict[str, datetime]:
    """What a planner who ignores the audience would do, for comparison: every webinar at the
    same time of day in the reference zone, in the order given, on dates spread evenly over
    the allowed dates. The time is the first start after the first excluded range (after
    lunch) when a webinar of the longest length fits there, else the window's start. Host
    availability is ignored; ``evaluate`` shows what such a plan breaks."""
    tz = zoneinfo.ZoneInfo(problem.reference_timezone)
    days = problem.dates.allowed()
    webinars = problem.webinars
    if not days or not webinars:
        return {}
    window = problem.window
    hour = window.start
    if window.exclude:
        after = min(window.exclude)[1]
        longest = max(w.minutes for w in webinars)
        if _minutes(after) + longest <= _minutes(window.end):
            hour = after
    count = len(webinars)
    plan: dict[str, datetime] = {}
    for k, webinar in enumerate(webinars):
        index = 0 if count == 1 else round(k * (len(days) - 1) / (count - 1))
        on = days[min(index, len(days) - 1)]
        instant = _local_instant(on, _minutes(hour), tz)
        if instant is None:  # the time falls in the spring gap: the next real minute
            instant = datetime.combine(on, hour).replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        plan[webinar.id] = instant
    return plan


def solve_json(data: Any) -> dict[str, Any]:
    """The ``deepdive timetable`` command: JSON object in, JSON object out."""
    return solve(parse(data)).to_json()
