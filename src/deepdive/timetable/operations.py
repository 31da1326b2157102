"""Writes of the timetable: a call's rules, runs of the
``timetable`` optimiser, moves by hand and publication (DESIGN.md, **timetable**).

The timetable plans; the webinars' times are written by ``webinars.operations`` (``plan``,
``move``, ``publish``, ``publish_new_time``), called here inside this app's transaction.

Each function takes keyword arguments only, checks the actor's right on the server, writes in
one transaction and records an audit entry. The optimiser always runs *before* the
transaction. Refusals raise ``TimetableRefused`` (a message for the person) or
``RulesInvalid`` whose ``errors`` are {form field: [messages]}, shown
beside the fields ("" for the whole form); both are ``core.refusals.Refused``.
"""

from __future__ import annotations

import time as clock
from datetime import datetime
from datetime import time as time_of_day
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.core.timezones import is_valid_zone
from deepdive.optimize.timetable import (
    Placement,
    TimetableProblem,
    evaluate,
    naive_plan,
    solve,
    unplaceable,
)
from deepdive.optimize.validation import InputError
from deepdive.outbox.operations import queue_templated_email
from deepdive.series.models import Call
from deepdive.webinars import invitations, repeats, sessions
from deepdive.webinars import operations as webinar_operations
from deepdive.webinars.interfaces import calendar
from deepdive.webinars.models import RepeatSession, Webinar

from .actions import TimetableAction
from .models import TimetableRules, TimetableRun
from .optimiser_input import blocked_by, build_problem, rules_of, webinar_id, webinars_of
from .queries import hosts_of, preview_move

RULE_FIELDS = (
    "reference_timezone",
    "first_date",
    "last_date",
    "weekdays",
    "window_start",
    "window_end",
    "excluded",
    "step_minutes",
    "min_days_between",
    "blackout",
    "audience_start",
    "audience_end",
)


class TimetableRefused(Refused):
    """The step cannot be taken; the message says why."""


class RulesInvalid(Refused):
    """The rules given cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


def _clock(value: Any) -> time_of_day:
    return value if isinstance(value, time_of_day) else time_of_day.fromisoformat(str(value))


# --------------------------------------------------------------------------- rules


def check_rules(data: dict[str, Any]) -> dict[str | None, list[str]]:
    """What is wrong with the rules in ``data`` (the fields of ``TimetableRules``)."""
    errors: dict[str | None, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not is_valid_zone(data.get("reference_timezone")):
        refuse("reference_timezone", _("Choose a time zone from the list."))
    first, last = data.get("first_date"), data.get("last_date")
    if first and last and last < first:
        refuse("last_date", _("The last date comes before the first date."))
    weekdays = data.get("weekdays") or []
    if not weekdays:
        refuse("weekdays", _("Choose at least one weekday."))
    elif any(int(d) not in range(1, 8) for d in weekdays):
        refuse("weekdays", _("Weekdays are numbered from 1 (Monday) to 7 (Sunday)."))
    start, end = data.get("window_start"), data.get("window_end")
    if start and end and end <= start:
        refuse("window_end", _("The latest end must come after the earliest start."))
    for a, b in data.get("excluded") or []:
        a, b = _clock(a), _clock(b)
        if b <= a:
            refuse(
                "excluded",
                _("%(a)s–%(b)s: the end of an excluded time must come after its start.")
                % {"a": a.strftime("%H:%M"), "b": b.strftime("%H:%M")},
            )
    step = data.get("step_minutes")
    if step is None or not 5 <= step <= 240:
        refuse("step_minutes", _("Give a number of minutes from 5 to 240."))
    spacing = data.get("min_days_between")
    if spacing is None or not 0 <= spacing <= 60:
        refuse("min_days_between", _("Give a number of days from 0 to 60."))
    hours_start, hours_end = data.get("audience_start"), data.get("audience_end")
    if hours_start and hours_end and hours_end <= hours_start:
        refuse("audience_end", _("The end of the attendees' hours must come after their start."))
    return errors


def save_rules(*, actor: User, call: Call, data: dict[str, Any]) -> TimetableRules:
    """Save the timetable rules of ``call`` (created on first save) from ``data``: the fields
    of ``TimetableRules`` (``excluded`` as [["12:30", "14:00"]], ``blackout`` as
    [{"date": "2027-04-05", "label": "Easter Monday"}]).

    Refused (``RulesInvalid``): an unknown zone; a period ending before it starts; no weekday;
    a window, excluded time or attendees' hours ending before they start; a step outside 5–240
    minutes; a minimum outside 0–60 days.

    Side effects: the ``TimetableRules`` row of the call; one audit entry
    ("timetable.rules_saved") with what changed.
    """
    require_secretariat(actor)
    errors = check_rules(data)
    if errors:
        raise RulesInvalid(errors)
    values = {
        **{name: data[name] for name in RULE_FIELDS},
        "weekdays": sorted({int(d) for d in data["weekdays"]}),
        "excluded": [
            [_clock(a).strftime("%H:%M"), _clock(b).strftime("%H:%M")]
            for a, b in data.get("excluded") or []
        ],
        "blackout": sorted(
            (
                {"date": str(item["date"]), "label": str(item.get("label", ""))}
                for item in data.get("blackout") or []
            ),
            key=lambda item: item["date"],
        ),
    }
    with transaction.atomic():
        rules = TimetableRules.objects.select_for_update().filter(call=call).first()
        before = {name: getattr(rules, name) for name in RULE_FIELDS} if rules else {}
        if rules is None:
            rules = TimetableRules(call=call)
        for name, value in values.items():
            setattr(rules, name, value)
        rules.updated_by = actor
        rules.full_clean(exclude=["call", "updated_by"])
        rules.save()
        audit.record(
            actor=actor,
            action=TimetableAction.RULES_SAVED,
            subject=call,
            summary=f"Timetable rules of {call} saved",
            changes=audit.diff(rules, list(RULE_FIELDS), before),
        )
    return rules


# --------------------------------------------------------------------------- runs


def _naive(problem: TimetableProblem) -> dict[str, Any]:
    plan = naive_plan(problem)
    placed = evaluate(problem, plan)
    return {
        "timetable": {key: p.start.isoformat() for key, p in placed.items()},
        "reach": {key: p.reach for key, p in placed.items()},
        "total_reach": sum(p.reach for p in placed.values()),
        "conflicts": {
            key: [{"kind": c.kind, "other": c.other} for c in p.conflicts]
            for key, p in placed.items()
        },
    }


def run(*, actor: User, call: Call) -> TimetableRun:
    """Run the ``timetable`` optimiser over the call's webinars (selected, host confirmed)
    under its rules (saved, or the defaults), beside the naive plan (every webinar at the same
    hour, in order) measured by the same reach. Published webinars keep their dates
    (publishing fixes them): only the others are placed, away from them
    (``optimiser_input.blocked_by``).

    Refused: no webinar to place; every webinar published. The optimiser runs (up to 20
    seconds) outside any transaction; the run is then written in one.

    Side effects: one ``TimetableRun`` with the input, the result, the naive plan, the
    solving time and, when no timetable keeps every rule, which webinars have no possible
    start and why; when the solver found a timetable (optimal or feasible), the
    ``planned_start`` of each webinar it placed set from it (``webinars.operations.plan``,
    with its own audit entry "webinars.planned"); one audit entry ("timetable.run").
    """
    require_secretariat(actor)
    webinars = list(webinars_of(call))
    if not webinars:
        raise TimetableRefused(
            _("There is no webinar to place: no selected proposal has a confirmed host yet.")
        )
    fixed = [w for w in webinars if w.is_published]
    free = [w for w in webinars if not w.is_published]
    if not free:
        raise TimetableRefused(
            _(
                "Every webinar is published: their dates are fixed. To change one, move it "
                "by hand and publish again."
            )
        )
    rules = rules_of(call)
    try:
        data, problem = build_problem(call, rules, free, blocked=blocked_by(fixed, rules))
    except InputError as error:
        raise TimetableRefused(
            _("The timetable cannot run on these rules: %(error)s") % {"error": error}
        ) from error
    began = clock.perf_counter()
    result = solve(problem)
    seconds = clock.perf_counter() - began
    naive = _naive(problem)
    placed = result.status in ("optimal", "feasible")
    obstacles = unplaceable(problem) if result.status == "infeasible" else {}

    with transaction.atomic():
        timetable_run = TimetableRun.objects.create(
            call=call,
            input=data,
            result=result.to_json(),
            naive=naive,
            webinars={
                webinar_id(w.pk): {
                    "pk": w.pk,
                    "title": w.title,
                    "minutes": w.minutes,
                    "fixed": w.is_published,
                }
                for w in webinars
            },
            solver_status=result.status,
            obstacles=obstacles,
            total_reach=round(result.total_reach, 9) if placed else None,
            seconds=round(seconds, 3),
            created_by=actor,
        )
        if placed:
            starts = {w.pk: result.timetable.get(webinar_id(w.pk)) for w in free}
            webinar_operations.plan(
                actor=actor,
                call=call,
                starts={pk: start for pk, start in starts.items() if start is not None},
            )
        audit.record(
            actor=actor,
            action=TimetableAction.RUN,
            subject=call,
            summary=f"Timetable run {timetable_run.pk} of {call}: {result.status}",
            changes={
                "total_reach": [None, timetable_run.total_reach],
                "naive_total_reach": [None, naive["total_reach"]],
            },
        )
    return timetable_run


def move(*, actor: User, webinar: Webinar, start: datetime) -> Placement:
    """Move ``webinar`` by hand to ``start`` (aware) in the working plan; returns its reach
    and conflicts there. Allowed with conflicts (too close, overlapping, outside the window,
    outside the host's availability, not an allowed date): they are shown, not refused.

    Refused: a naive ``start``; a webinar that is not (any more) selected with a confirmed
    host.

    Side effects (``webinars.operations.move``): the webinar's ``planned_start`` (its
    published time changes only on publication); one audit entry ("timetable.moved") with the
    old and new start.
    """
    require_secretariat(actor)
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if not webinars_of(webinar.call).filter(pk=webinar.pk).exists():
        raise TimetableRefused(
            _("This webinar is not in the timetable: its host has not confirmed.")
        )
    placement = preview_move(webinar, start)[webinar.pk]
    webinar_operations.move(actor=actor, webinar=webinar, start=start)
    return placement


# --------------------------------------------------------------------------- publication


def _zone_of(user: User, fallback: str) -> str:
    return user.timezone if is_valid_zone(user.timezone) else fallback


def _notify(
    webinar: Webinar,
    user: User,
    *,
    prefix: str,
    zone: str,
    role: str,
    old_start: datetime | None = None,
) -> None:
    repeat = sessions.repeat_of(webinar)
    shown = repeat if repeat is not None and repeat.is_published else None
    queue_templated_email(
        to=user.email,
        template_prefix=prefix,
        context={
            "webinar": webinar,
            "title": webinar.title,
            "name": user.get_full_name(),
            "zone": _zone_of(user, zone),
            "start": webinar.starts_at,
            "end": webinar.ends_at,
            "old_start": old_start,
            "repeat_start": shown.starts_at if shown else None,
            "repeat_end": shown.ends_at if shown else None,
            "role": role,
            "url": calendar.absolute_url(webinar),
            "joining_url": webinar.joining_url,
        },
        language=language_of(user),
        kind=prefix.rsplit("/", 1)[-1],
        related=webinar,
        attachments=[
            calendar.invitation_attachment(
                webinar, attendee_email=user.email, attendee_name=user.get_full_name()
            )
        ],
    )


def publish(*, actor: User, call: Call) -> int:
    """Publish the working plan of ``call``; returns how many webinars were published or
    changed time (0 when there was nothing new: a second submit sends nothing).

    Refused: no webinar; a webinar without a planned start.

    For each webinar, with the webinars locked (``select_for_update``):
    - not yet published: ``starts_at`` and ``published_at`` set; its hosts notified, each in
      their language, with a calendar invitation (SEQUENCE 0) and the time in their zone;
    - published, planned start different from the published one: ``starts_at`` updated,
      ``sequence`` raised by one; its hosts and its registrants get an "updated time" e-mail
      with the old and new times in their zone and the updated invitation;
    - published and unchanged: nothing.
    Its repeat session (not cancelled) is published with it (``webinars.repeats.
    publish_repeat``): first time ``starts_at`` set; a changed time ``starts_at`` set,
    ``sequence`` raised and, after the commit, that session's registrants get the updated
    invitation. The hosts' e-mail names the repeat's time too; when only the repeat is new
    or changed, the hosts get the "published" e-mail with both times.

    Side effects: the webinars' and repeats' fields above (``webinars.operations.publish``
    and ``publish_new_time``, ``webinars.repeats.publish_repeat``); the e-mails (queued, not
    held: the secretariat publishes knowingly); one audit entry per webinar published
    ("timetable.published") or changed ("timetable.time_changed"), per repeat published
    ("webinars.repeat_published") or changed ("webinars.repeat_time_changed").
    """
    require_secretariat(actor)
    webinars = _planned_webinars(call)
    zone = rules_of(call).reference_timezone
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for webinar in _locked_for_publication(webinars):
            repeat_news = _publish_repeat(actor, webinar)
            if not webinar.is_published:
                _publish_first_time(actor, webinar, zone=zone, at=now)
            elif webinar.has_unpublished_change:
                _publish_new_time(actor, webinar, zone=zone)
            elif repeat_news:
                _tell_hosts_of_repeat(webinar, zone=zone)
            else:
                continue
            count += 1
    return count


def _publish_repeat(actor: User, webinar: Webinar) -> str:
    """Publish the webinar's repeat session, if it has one; what happened ("" for nothing)."""
    repeat = RepeatSession.objects.filter(webinar=webinar, cancelled_at__isnull=True).first()
    if repeat is None:
        return ""
    return repeats.publish_repeat(actor=actor, repeat=repeat)


def _tell_hosts_of_repeat(webinar: Webinar, *, zone: str) -> None:
    """Only the repeat is new or changed: the hosts get both times (a registered host is told
    as a registrant, by ``publish_repeat``, when the repeat is theirs)."""
    for host in hosts_of(webinar):
        _notify(webinar, host, prefix="timetable/email/published", zone=zone, role="host")


def _planned_webinars(call: Call) -> list[Webinar]:
    """The call's webinars in the timetable. Refused: none; some without a planned start."""
    webinars = list(webinars_of(call))
    if not webinars:
        raise TimetableRefused(_("There is no webinar to publish."))
    unplanned = [w.title for w in webinars if w.planned_start is None]
    if unplanned:
        raise TimetableRefused(
            _("Some webinars have no planned time yet: %(titles)s. Run the optimiser or move them.")
            % {"titles": ", ".join(f"“{t}”" for t in unplanned)}
        )
    return webinars


def _locked_for_publication(webinars: list[Webinar]) -> list[Webinar]:
    """The webinars read again and locked, in order, with what their e-mails show. Refused:
    one that lost its planned start meanwhile."""
    locked = list(
        Webinar.objects.select_for_update()
        .select_related("proposal__lead_organisation", "proposal__created_by", "proposal__call")
        .filter(pk__in=[w.pk for w in webinars])
        .order_by("pk")
    )
    for webinar in locked:
        if webinar.planned_start is None:
            raise TimetableRefused(
                _("“%(title)s” has no planned time yet.") % {"title": webinar.title}
            )
    return locked


def _publish_first_time(actor: User, webinar: Webinar, *, zone: str, at: datetime) -> None:
    """Publish ``webinar`` at its planned start and send its hosts the invitation."""
    hosts = hosts_of(webinar)
    webinar_operations.publish(
        actor=actor, webinar=webinar, notified=[h.email for h in hosts], at=at
    )
    for host in hosts:
        _notify(webinar, host, prefix="timetable/email/published", zone=zone, role="host")


def _publish_new_time(actor: User, webinar: Webinar, *, zone: str) -> None:
    """Publish the new start of ``webinar`` and send its hosts the updated invitation with the
    old and new times; its registrants get theirs from ``webinars.invitations.send_updates``
    (each their own invitation, the raised SEQUENCE). A host who registered is told once,
    as a registrant."""
    old_start = webinar.starts_at
    registered = invitations.update_recipients(webinar)
    registered_users = {r.user_id for r in registered if r.user_id is not None}
    hosts = [h for h in hosts_of(webinar) if h.pk not in registered_users]
    webinar_operations.publish_new_time(
        actor=actor, webinar=webinar, notified=len(hosts) + len(registered)
    )
    for host in hosts:
        _notify(
            webinar,
            host,
            prefix="timetable/email/time_changed",
            zone=zone,
            role="host",
            old_start=old_start,
        )
    invitations.send_updates(webinar=webinar, old_start=old_start)
