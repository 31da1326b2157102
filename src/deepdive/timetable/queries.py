"""Reads of the timetable pages: the webinars' hosts and registrants, a plan's reach and
conflicts (``optimize.timetable.evaluate``), the plan page's report beside the naive plan, the
rules in one sentence and what publishing would do."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation
from deepdive.optimize.repeat import RepeatOffer, best_repeat, left_out, needs_repeat
from deepdive.optimize.timetable import (
    Placement,
    TimetableProblem,
    Window,
    evaluate,
    naive_plan,
)
from deepdive.optimize.validation import InputError
from deepdive.series.models import Call
from deepdive.webinars.audience import audience_of, audiences_of, main_zones
from deepdive.webinars.models import RepeatSession, Webinar

from .models import TimetableRules, TimetableRun
from .optimiser_input import build_problem, rules_of, webinar_id, webinars_of

# --------------------------------------------------------------------------- people


def hosts_of(webinar: Webinar) -> list[Any]:
    """The people who host ``webinar``: whoever created the proposal and the verified contacts
    of its lead organisation (those who may edit it, ``proposals.access``), active accounts
    only, by e-mail address."""
    proposal = webinar.proposal
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(pk=proposal.created_by_id)
            | Q(
                affiliations__organisation_id=proposal.lead_organisation_id,
                affiliations__status=Affiliation.Status.VERIFIED,
            )
        )
        .distinct()
        .order_by("email")
    )


def registrants_of(webinar: Webinar) -> list[Any]:
    """The people registered for ``webinar`` (not cancelled), active accounts, by e-mail."""
    return [
        registration.user
        for registration in webinar.registrations.filter(status="registered", user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


# --------------------------------------------------------------------------- reach and conflicts


def problem_of(call: Call, webinars: list[Webinar] | None = None) -> TimetableProblem:
    webinars = list(webinars_of(call)) if webinars is None else webinars
    return build_problem(call, rules_of(call), webinars)[1]


def placements(
    call: Call, starts: dict[int, datetime], *, webinars: list[Webinar] | None = None
) -> dict[int, Placement]:
    """Reach and conflicts of the call's webinars at ``starts`` ({webinar pk: aware start});
    webinars without a start are left out."""
    webinars = list(webinars_of(call)) if webinars is None else webinars
    placed = evaluate(
        problem_of(call, webinars), {webinar_id(pk): start for pk, start in starts.items()}
    )
    return {w.pk: placed[webinar_id(w.pk)] for w in webinars if webinar_id(w.pk) in placed}


def preview_move(webinar: Webinar, start: datetime) -> dict[int, Placement]:
    """The working plan with ``webinar`` moved to ``start``: each placed webinar's reach and
    conflicts (a move can bring another webinar into conflict). Writes nothing."""
    webinars = list(webinars_of(webinar.call))
    starts = {w.pk: w.planned_start for w in webinars if w.planned_start is not None}
    starts[webinar.pk] = start
    return placements(webinar.call, starts, webinars=webinars)


# --------------------------------------------------------------------------- words


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)[:5]


def weekday_names(weekdays: list[int]) -> str:
    """ "Monday to Friday", "Monday, Wednesday, Friday"."""
    days = sorted({int(d) for d in weekdays})
    names = [str(WEEKDAYS[d - 1]) for d in days]
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    return ", ".join(names)


def rules_sentence(rules: TimetableRules) -> str:
    """The rules in one sentence."""
    parts = [
        _("From %(first)s to %(last)s, %(weekdays)s, between %(start)s and %(end)s %(zone)s")
        % {
            "first": _day(rules.first_date),
            "last": _day(rules.last_date),
            "weekdays": weekday_names(rules.weekdays) or _("no weekday"),
            "start": _clock(rules.window_start),
            "end": _clock(rules.window_end),
            "zone": rules.reference_timezone.replace("_", " "),
        }
    ]
    if rules.excluded:
        parts.append(
            _("except %(times)s")
            % {"times": ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in rules.excluded)}
        )
    sentence = " ".join(parts)
    sentence += "; " + _("a possible start every %(step)s minutes") % {"step": rules.step_minutes}
    sentence += "; " + _("at least %(days)s days between two webinars") % {
        "days": rules.min_days_between
    }
    if rules.blackout:
        sentence += "; " + _("not on %(dates)s") % {
            "dates": ", ".join(
                f"{_day(date.fromisoformat(b['date']))}"
                + (f" ({b['label']})" if b.get("label") else "")
                for b in rules.blackout
            )
        }
    sentence += "; " + _("attendees available from %(start)s to %(end)s their time.") % {
        "start": _clock(rules.audience_start),
        "end": _clock(rules.audience_end),
    }
    return sentence


def availability_words(webinar: Webinar) -> str:
    """The host's availability in plain words."""
    ranges = [
        _("from %(first)s to %(last)s")
        % {"first": _day(date.fromisoformat(a)), "last": _day(date.fromisoformat(b))}
        for a, b in webinar.available or []
    ]
    text = "; ".join(ranges) if ranges else _("any date")
    if webinar.unavailable:
        text += "; " + _("not on %(dates)s") % {
            "dates": ", ".join(_day(date.fromisoformat(d)) for d in sorted(webinar.unavailable))
        }
    return text[:1].upper() + text[1:]


def conflict_words(
    placement: Placement, rules: TimetableRules, titles: dict[str, str]
) -> list[str]:
    """Each conflict of ``placement`` as a sentence."""
    words = []
    on = placement.start.date()
    for conflict in placement.conflicts:
        if conflict.kind == "date":
            blackout = {b["date"]: b.get("label", "") for b in rules.blackout or []}
            if not rules.first_date <= on <= rules.last_date:
                words.append(
                    _("Not an allowed date: outside the period from %(first)s to %(last)s.")
                    % {"first": _day(rules.first_date), "last": _day(rules.last_date)}
                )
            elif on.isoweekday() not in {int(d) for d in rules.weekdays}:
                words.append(
                    _("Not an allowed date: %(weekday)s is not one of the chosen weekdays.")
                    % {"weekday": WEEKDAYS[on.weekday()]}
                )
            elif on.isoformat() in blackout:
                words.append(
                    _("Not an allowed date: %(date)s is a blackout date%(label)s.")
                    % {
                        "date": _day(on),
                        "label": f" ({blackout[on.isoformat()]})"
                        if blackout[on.isoformat()]
                        else "",
                    }
                )
            else:
                words.append(_("Not an allowed date."))
        elif conflict.kind == "window":
            excluded = ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in rules.excluded or [])
            words.append(
                (
                    _(
                        "Outside the window: it must run between %(start)s and %(end)s "
                        "(%(zone)s) and not during %(excluded)s."
                    )
                    if excluded
                    else _(
                        "Outside the window: it must run between %(start)s and %(end)s (%(zone)s)."
                    )
                )
                % {
                    "start": _clock(rules.window_start),
                    "end": _clock(rules.window_end),
                    "zone": rules.reference_timezone.replace("_", " "),
                    "excluded": excluded,
                }
            )
        elif conflict.kind == "availability":
            words.append(_("Outside the host's availability."))
        elif conflict.kind == "too_close":
            words.append(
                _("Too close to “%(other)s”: fewer than %(days)s days apart.")
                % {
                    "other": titles.get(conflict.other or "", conflict.other),
                    "days": rules.min_days_between,
                }
            )
        elif conflict.kind == "overlap":
            words.append(
                _("Overlaps “%(other)s”: they run at the same time.")
                % {"other": titles.get(conflict.other or "", conflict.other)}
            )
        else:  # pragma: no cover - a kind added to the optimiser later
            words.append(conflict.kind)
    return words


# --------------------------------------------------------------------------- the plan page


@dataclass
class ZoneTime:
    zone: str
    weight: float
    start: datetime  # aware, in the zone
    end: datetime
    within: bool  # inside the attendees' hours

    @property
    def label(self) -> str:
        return self.zone.replace("_", " ")


@dataclass
class LeftOut:
    """A zone the start leaves outside the attendees' hours, with its share of the audience."""

    zone: str
    percent: float
    start: datetime  # aware, in the zone

    @property
    def label(self) -> str:
        return self.zone.replace("_", " ")


@dataclass
class RepeatSuggestion:
    """The best repeat session for the left-out audience: its start in the reference zone and
    in each left-out zone (``within``: reached), how much of them it reaches."""

    offer: RepeatOffer
    zone_times: list[ZoneTime]

    @property
    def start(self) -> datetime:
        return self.offer.start

    @property
    def local_date(self) -> str:
        """The date and time in the reference zone, for the form that adds it."""
        return self.offer.start.strftime("%Y-%m-%d")

    @property
    def local_time(self) -> str:
        return self.offer.start.strftime("%H:%M")

    @property
    def reach_percent(self) -> float:
        return self.offer.reach_of_left_out * 100

    @property
    def combined_percent(self) -> float:
        return self.offer.combined_reach * 100


@dataclass
class Row:
    webinar: Webinar
    audience: dict[str, float]
    main: list[tuple[str, float]]
    availability: str
    placement: Placement | None = None
    zone_times: list[ZoneTime] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    repeat: RepeatSession | None = None  # planned, not cancelled
    left_out: list[LeftOut] = field(default_factory=list)  # when a third or more is left out
    offer: RepeatSuggestion | None = None  # the best repeat, when there is none yet

    @property
    def reach_percent(self) -> float | None:
        return None if self.placement is None else self.placement.reach * 100

    @property
    def left_out_percent(self) -> float:
        return sum(item.percent for item in self.left_out)


@dataclass
class NaiveRow:
    title: str
    start: datetime
    reach_percent: float
    conflicts: list[str]


@dataclass
class PlanReport:
    call: Call
    rules: TimetableRules
    sentence: str
    rows: list[Row]
    naive: list[NaiveRow]
    total_reach: float | None  # of the working plan, all webinars placed
    naive_total: float | None
    last_run: TimetableRun | None
    error: str = ""
    repeat_window: Window | None = None  # the window the repeats were looked for in

    @property
    def obstacles(self) -> list[str]:
        """Why the last run found no timetable, in the reader's language."""
        run = self.last_run
        if run is None or run.solver_status != "infeasible":
            return []
        titles = {key: value.get("title", key) for key, value in (run.webinars or {}).items()}
        sentences = []
        for key, kind in (run.obstacles or {}).items():
            title = titles.get(key, key)
            if kind == "no_date":
                sentences.append(
                    _(
                        "“%(title)s” has no possible date: the period, the weekdays, the "
                        "blackout dates and its host's availability leave none."
                    )
                    % {"title": title}
                )
            else:
                sentences.append(
                    _(
                        "“%(title)s” has no possible start: its length does not fit in the "
                        "daily window outside the excluded times."
                    )
                    % {"title": title}
                )
        if not sentences:
            days = (run.input or {}).get("min_days_between", 0)
            if days:
                sentences.append(
                    _(
                        "The webinars cannot all be placed at least %(days)s days apart on "
                        "their hosts' dates: lower the minimum, lengthen the period or ask "
                        "hosts for more dates."
                    )
                    % {"days": days}
                )
            else:
                sentences.append(
                    _(
                        "The webinars cannot all be placed without two of them overlapping: "
                        "lengthen the period or ask hosts for more dates."
                    )
                )
        return sentences

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def plan_rows(self) -> list[Row]:
        """The rows by planned start, those not placed last."""
        return sorted(
            self.rows,
            key=lambda row: (row.placement is None, row.placement.start if row.placement else 0),
        )

    @property
    def placed(self) -> int:
        return sum(1 for row in self.rows if row.placement is not None)

    @staticmethod
    def _percent(total: float | None, count: int) -> float | None:
        return None if total is None or not count else total / count * 100

    @property
    def average_percent(self) -> float | None:
        return self._percent(self.total_reach, self.placed)

    @property
    def naive_average_percent(self) -> float | None:
        return self._percent(self.naive_total, len(self.naive))

    @property
    def gain(self) -> float | None:
        if self.total_reach is None or self.naive_total is None:
            return None
        return self.total_reach - self.naive_total

    @property
    def any_published(self) -> bool:
        return any(row.webinar.is_published for row in self.rows)


def zone_times(placement: Placement, zones: list[tuple[str, float]], rules: TimetableRules):
    out = []
    for name, weight in zones:
        tz = zoneinfo.ZoneInfo(name)
        start, end = placement.start.astimezone(tz), placement.end.astimezone(tz)
        within = (
            start.date() == end.date()
            and start.time() >= rules.audience_start
            and end.time() <= rules.audience_end
        )
        out.append(ZoneTime(name, weight, start, end, within))
    return out


def plan_report(call: Call, *, repeat_window: Window | None = None) -> PlanReport:
    """The plan page: each webinar with its audience, availability, planned start (in the
    reference zone, UTC and its main audience zones), reach and conflicts; the total reach
    beside the naive plan's (every webinar at the same hour, in order) and the last run.

    A webinar whose planned start leaves a third or more of its audience outside their hours
    says who (``Row.left_out``) and, unless it has a repeat already (``Row.repeat``), offers
    the best repeat session for them (``Row.offer``), looked for in ``repeat_window`` (times
    in the reference zone; default the rules' window) away from every other planned
    session."""
    rules = rules_of(call)
    webinars = list(webinars_of(call))
    last_run = TimetableRun.objects.filter(call=call).select_related("created_by").first()
    titles = {webinar_id(w.pk): w.title for w in webinars}
    audiences = audiences_of(webinars)
    rows = []
    for webinar in webinars:
        audience = audiences[webinar.pk]
        rows.append(
            Row(
                webinar=webinar,
                audience=audience,
                main=main_zones(audience),
                availability=availability_words(webinar),
            )
        )
    report = PlanReport(
        call=call,
        rules=rules,
        sentence=rules_sentence(rules),
        rows=rows,
        naive=[],
        total_reach=None,
        naive_total=None,
        last_run=last_run,
    )
    if not webinars:
        return report
    try:
        problem = problem_of(call, webinars)
    except InputError as error:
        report.error = str(error)
        return report
    planned = {webinar_id(w.pk): w.planned_start for w in webinars if w.planned_start is not None}
    placed = evaluate(problem, planned)
    repeats = planned_repeats(webinars)
    report.repeat_window = repeat_window or problem.window
    for row in rows:
        placement = placed.get(webinar_id(row.webinar.pk))
        row.repeat = repeats.get(row.webinar.pk)
        if placement is not None:
            row.placement = placement
            row.zone_times = zone_times(placement, row.main, rules)
            row.conflicts = conflict_words(placement, rules, titles)
            _repeat_advice(row, problem, placement, rules, report.repeat_window, placed, repeats)
    if placed:
        report.total_reach = sum(p.reach for p in placed.values())
    naive = evaluate(problem, naive_plan(problem))
    report.naive = [
        NaiveRow(
            title=titles[key],
            start=p.start,
            reach_percent=p.reach * 100,
            conflicts=conflict_words(p, rules, titles),
        )
        for key, p in naive.items()
    ]
    if naive:
        report.naive_total = sum(p.reach for p in naive.values())
    return report


def planned_repeats(webinars: list[Webinar]) -> dict[int, RepeatSession]:
    """Webinar pk → its repeat session (not cancelled)."""
    return {
        repeat.webinar_id: repeat
        for repeat in RepeatSession.objects.filter(webinar__in=webinars, cancelled_at__isnull=True)
    }


def _repeat_advice(
    row: Row,
    problem: TimetableProblem,
    placement: Placement,
    rules: TimetableRules,
    window: Window,
    placed: dict[str, Placement],
    repeats: dict[int, RepeatSession],
) -> None:
    """Who the row's start leaves out (a third or more of the audience) and, without a repeat
    yet, the best repeat for them away from the other webinars' and repeats' planned times."""
    me = webinar_id(row.webinar.pk)
    if not needs_repeat(problem, me, placement.start):
        return
    outside = left_out(problem, me, placement.start)
    total = sum(w for w in row.audience.values() if w > 0) or 1
    row.left_out = [
        LeftOut(zone, weight / total * 100, placement.start.astimezone(zoneinfo.ZoneInfo(zone)))
        for zone, weight in outside.items()
    ]
    if row.repeat is not None:
        return
    taken = [(p.start, p.end) for key, p in placed.items() if key != me]
    taken += [
        (r.planned_start, r.planned_start + timedelta(minutes=r.minutes))
        for pk, r in repeats.items()
        if pk != row.webinar.pk
    ]
    offer = best_repeat(problem, me, placement.start, window=window, taken=taken)
    if offer is not None:
        row.offer = RepeatSuggestion(
            offer=offer,
            zone_times=zone_times(
                Placement(offer.start, offer.end, offer.reach_of_left_out),
                list(outside.items()),
                rules,
            ),
        )


def repeat_zone_times(repeat: RepeatSession, audience: dict[str, float], rules) -> list[ZoneTime]:
    """The repeat's planned start in the audience's main zones."""
    start = repeat.planned_start
    end = start + timedelta(minutes=repeat.minutes)
    return zone_times(Placement(start, end, 0.0), main_zones(audience), rules)


@dataclass
class PublishSummary:
    new: list[Webinar]
    changed: list[Webinar]
    unplanned: list[Webinar]
    registrants: int
    new_repeats: list[RepeatSession] = field(default_factory=list)
    changed_repeats: list[RepeatSession] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.new or self.changed or self.new_repeats or self.changed_repeats)

    @property
    def blocked(self) -> bool:
        return bool(self.unplanned)


def publish_summary(call: Call) -> PublishSummary:
    """What ``operations.publish`` would do now."""
    webinars = list(
        webinars_of(call).annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status="registered", registrations__repeat__isnull=True),
            )
        )
    )
    changed = [w for w in webinars if w.has_unpublished_change and w.planned_start is not None]
    repeats = list(
        RepeatSession.objects.filter(webinar__in=webinars, cancelled_at__isnull=True)
        .select_related("webinar__proposal")
        .annotate(registered=Count("registrations", filter=Q(registrations__status="registered")))
    )
    changed_repeats = [r for r in repeats if r.starts_at and r.starts_at != r.planned_start]
    return PublishSummary(
        new=[w for w in webinars if not w.is_published and w.planned_start is not None],
        changed=changed,
        unplanned=[w for w in webinars if w.planned_start is None],
        registrants=sum(w.registered for w in changed) + sum(r.registered for r in changed_repeats),
        new_repeats=[r for r in repeats if r.starts_at is None],
        changed_repeats=changed_repeats,
    )


# --------------------------------------------------------------------------- a webinar


def webinar_in_plan(pk: int) -> Webinar:
    """The webinar ``pk`` if it is in a timetable (selected, host confirmed), else
    ``Webinar.DoesNotExist``."""
    webinar = Webinar.objects.select_related("proposal__call__series").get(pk=pk)
    return webinars_of(webinar.call).get(pk=pk)


def _titles(call: Call) -> dict[str, str]:
    return {webinar_id(w.pk): w.title for w in webinars_of(call)}


def where_it_is(webinar: Webinar, rules: TimetableRules) -> dict[str, Any] | None:
    """The webinar at its planned start (None when not placed): placement, reach in per cent
    and conflicts in words."""
    if webinar.planned_start is None:
        return None
    webinars = list(webinars_of(webinar.call))
    starts = {w.pk: w.planned_start for w in webinars if w.planned_start is not None}
    placement = placements(webinar.call, starts, webinars=webinars).get(webinar.pk)
    if placement is None:
        return None
    return {
        "placement": placement,
        "reach_percent": placement.reach * 100,
        "conflicts": conflict_words(placement, rules, _titles(webinar.call)),
    }


def move_preview(webinar: Webinar, start: datetime, rules: TimetableRules) -> dict[str, Any]:
    """What moving ``webinar`` to ``start`` would give: its placement, reach, conflicts, the
    local times in its main audience zones, and the other webinars it comes into conflict
    with (with their conflicts)."""
    placed = preview_move(webinar, start)
    titles = _titles(webinar.call)
    mine = placed[webinar.pk]
    me = webinar_id(webinar.pk)
    return {
        "placement": mine,
        "reach_percent": mine.reach * 100,
        "conflicts": conflict_words(mine, rules, titles),
        "zone_times": zone_times(mine, main_zones(audience_of(webinar)), rules),
        "others": [
            {"title": titles[webinar_id(pk)], "conflicts": conflict_words(p, rules, titles)}
            for pk, p in placed.items()
            if pk != webinar.pk and any(c.other == me for c in p.conflicts)
        ],
    }
