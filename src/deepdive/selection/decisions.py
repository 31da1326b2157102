"""The decision of a call: confirming a run, the hosts' answers, reminders, and promotion from
the waitlist (DESIGN.md, **select**).

Each write takes keyword arguments only, checks the actor's right on the server, writes in one
transaction and records an audit entry. The optimiser always runs *before* the transaction.
Refusals raise ``DecisionRefused`` (a ``core.refusals.Refused``) with a message for the person.

- Confirming a run: its chosen proposals are *selected*; the optimiser is run again on the
  run's own input with the chosen excluded and ``min(WAITLIST_SEATS, proposals remaining)``
  seats: those it picks are *waitlisted*, numbered 1..k by their score (highest first, ties by
  order of submission) — the optimiser picks a set, the score orders it; every other proposal
  sent to the optimiser is *not selected*.
- Promotion: the optimiser runs on the confirmed input with the decliners excluded, the other
  selected locked in, and the seats of the decision; whoever it adds comes in. The decisions
  are read again, locked, inside the transaction: a promotion (or an answer) that came first
  is seen, so two promotions at once give one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

# PermissionDenied is raised for others than the right actor; callers catch it from here too.
from django.core.exceptions import PermissionDenied as PermissionDenied
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit, changes
from deepdive.core.permissions import require, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.outbox.operations import queue_templated_email
from deepdive.proposals import access
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call
from deepdive.webinars.operations import create_for_decision, normalise_availability

from .actions import SelectionAction
from .evaluation import evaluate, top_by_score
from .models import Decision, SelectionRun
from .operations import solve_input
from .optimiser_input import pk_of, proposal_id

# At most this many proposals are waitlisted.
WAITLIST_SEATS = 3
# Hosts are reminded once, this long before their deadline.
REMIND_BEFORE = timedelta(days=3)
# A promoted host whose predecessor's deadline has passed gets this long.
PROMOTED_DEADLINE = timedelta(days=7)


class DecisionRefused(Refused):
    """The decision step cannot be taken; the message says why."""


def end_of_day(day: date, call: Call) -> datetime:
    """The last second of ``day`` in the call's time zone."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(call.timezone))


def decision_batch(call: Call) -> str:
    return f"Decisions — {call}"


def _with_locks(
    data: dict[str, Any], *, seats: int, include: Iterable[str], exclude: Iterable[str]
) -> dict[str, Any]:
    new = copy.deepcopy(data)
    new["seats"] = seats
    rules = new.setdefault("rules", {})
    excluded = set(exclude) | (set(rules.get("exclude", [])) - set(include))
    rules["exclude"] = sorted(excluded)
    rules["include"] = sorted(set(include) | (set(rules.get("include", [])) - excluded))
    return new


def _scores(data: dict[str, Any]) -> dict[str, float]:
    return {p["id"]: p["score"] for p in data.get("proposals", [])}


def _host_url(proposal: Proposal) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "selection:host", kwargs={"proposal_id": proposal.pk}
    )


def _email(decision: Decision, *, prefix: str, hold: bool, batch: str = "") -> None:
    proposal = decision.proposal
    language = (
        language_of(proposal.created_by) if proposal.created_by_id else settings.LANGUAGE_CODE
    )
    queue_templated_email(
        to=proposal.contact_email,
        template_prefix=prefix,
        context={
            "proposal": proposal,
            "call": proposal.call,
            "decision": decision,
            "zone": proposal.call.timezone,
            "host_url": _host_url(proposal),
        },
        language=language,
        kind=prefix.rsplit("/", 1)[-1],
        related=proposal,
        hold=hold,
        batch=batch,
    )


def confirmed_decisions(call: Call) -> QuerySet[Decision]:
    """The decisions of ``call`` as the secretariat reads them: selected, then the waitlist in
    its order, then not selected."""
    rank = Case(
        When(outcome=Decision.Outcome.SELECTED, then=Value(0)),
        When(outcome=Decision.Outcome.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    return (
        Decision.objects.filter(proposal__call=call)
        .select_related("proposal__lead_organisation", "run", "host_answered_by")
        .order_by(rank, "waitlist_position", "proposal__title", "proposal_id")
    )


def confirm_run(*, actor: User, run: SelectionRun, host_deadline: datetime) -> str:
    """Confirm ``run`` as the decision of its call; returns the label of the e-mail batch.

    Refused: a call that already has a decision; a run that selected nothing; a deadline in
    the past. The waitlist is computed first, outside the transaction (see the module).

    Side effects: the run's status "confirmed"; one ``Decision`` per proposal sent to the
    optimiser (selected ones: host pending, ``host_deadline``); one decision e-mail per
    proposal to its contact, in the language of the person who created it, *held* for the
    secretariat's approval in the batch returned; one audit entry ("selection.confirmed").
    """
    require_secretariat(actor)
    call = run.call
    if Decision.objects.filter(proposal__call=call).exists():
        raise DecisionRefused(_("A run of this call is already confirmed as the decision."))
    chosen = list(run.result.get("selected") or [])
    if not chosen:
        raise DecisionRefused(_("This run selected nothing: it cannot be the decision."))
    if host_deadline <= timezone.now():
        raise DecisionRefused(_("Give a deadline for the hosts in the future."))

    scores = _scores(run.input)
    remaining = [pid for pid in scores if pid not in set(chosen)]
    waitlist: list[str] = []
    seats = min(WAITLIST_SEATS, len(remaining))
    if seats:
        data = _with_locks(run.input, seats=seats, include=[], exclude=chosen)
        _problem, result, _out = solve_input(data)
        waitlist = sorted(result.selected, key=lambda pid: (-scores[pid], pk_of(pid)))

    batch = decision_batch(call)
    with transaction.atomic():
        run = changes.locked(SelectionRun, pk=run.pk)
        if Decision.objects.filter(proposal__call=call).exists():
            raise DecisionRefused(_("A run of this call is already confirmed as the decision."))
        run.status = SelectionRun.Status.CONFIRMED
        run.result = {**run.result, "waitlist": waitlist, "decision_batch": batch}
        run.save(update_fields=["status", "result"])
        proposals = Proposal.objects.select_related("call", "created_by").in_bulk(
            [pk_of(pid) for pid in scores]
        )
        decisions = []
        for pid in scores:
            proposal = proposals.get(pk_of(pid))
            if proposal is None:
                continue
            if pid in chosen:
                decision = Decision(
                    proposal=proposal,
                    run=run,
                    outcome=Decision.Outcome.SELECTED,
                    host_status=Decision.HostStatus.PENDING,
                    host_deadline=host_deadline,
                )
            elif pid in waitlist:
                decision = Decision(
                    proposal=proposal,
                    run=run,
                    outcome=Decision.Outcome.WAITLISTED,
                    waitlist_position=waitlist.index(pid) + 1,
                )
            else:
                decision = Decision(
                    proposal=proposal, run=run, outcome=Decision.Outcome.NOT_SELECTED
                )
            decision.save()
            decisions.append(decision)
        for decision in decisions:
            _email(decision, prefix="selection/email/decision", hold=True, batch=batch)
        audit.record(
            actor=actor,
            action=SelectionAction.CONFIRMED,
            subject=run,
            summary=f"Run {run.pk} confirmed as the decision of {call}",
            changes={"selected": [None, chosen], "waitlist": [None, waitlist]},
        )
    return batch


def can_answer(decision: Decision, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        decision.outcome == Decision.Outcome.SELECTED
        and decision.host_status == Decision.HostStatus.PENDING
        and decision.host_deadline is not None
        and now <= decision.host_deadline
    )


def answer_hosting(
    *,
    actor: User,
    decision: Decision,
    confirm: bool,
    available: Iterable[tuple[Any, Any]] | None = None,
    unavailable: Iterable[Any] | None = None,
) -> Decision:
    """The host of a selected proposal confirms (or declines) that they will host it; when
    confirming, they give their availability: ``available`` inclusive (from, to) date ranges
    (none: any date of the series' period) and ``unavailable`` dates.

    Refused: someone not a verified contact of the lead organisation (PermissionDenied); a
    proposal not selected; an answer already given; after the deadline (``DecisionRefused``);
    availability that cannot hold (``webinars.operations.AvailabilityInvalid``, nothing saved).

    Side effects: the decision's host status, who answered and when; on confirming, the
    webinar of the proposal with the availability (``webinars.operations.create_for_decision``,
    its own audit entry); one audit entry ("selection.hosting_confirmed" or
    "selection.hosting_declined").
    """
    require(access.editable_proposals(actor).filter(pk=decision.proposal_id).exists())
    available, unavailable = list(available or []), list(unavailable or [])
    if confirm:
        normalise_availability(available, unavailable)  # refuse before anything is written
    with transaction.atomic():
        decision = changes.locked(Decision, pk=decision.pk)
        if decision.outcome != Decision.Outcome.SELECTED:
            raise DecisionRefused(_("This proposal is not selected."))
        if decision.host_status != Decision.HostStatus.PENDING:
            raise DecisionRefused(_("You have already answered."))
        if not can_answer(decision):
            raise DecisionRefused(_("The deadline to answer has passed."))
        decision.host_status = (
            Decision.HostStatus.CONFIRMED if confirm else Decision.HostStatus.DECLINED
        )
        decision.host_answered_at = timezone.now()
        decision.host_answered_by = actor
        decision.save(update_fields=["host_status", "host_answered_at", "host_answered_by"])
        if confirm:
            create_for_decision(
                actor=actor, decision=decision, available=available, unavailable=unavailable
            )
        audit.record(
            actor=actor,
            action=SelectionAction.HOSTING_CONFIRMED
            if confirm
            else SelectionAction.HOSTING_DECLINED,
            subject=decision.proposal,
            summary=f"Hosting of “{decision.proposal}” {'confirmed' if confirm else 'declined'}",
        )
    return decision


def send_hosting_reminders(*, now: datetime | None = None) -> int:
    """Remind, once, the contacts of selected proposals whose host has not answered and whose
    deadline is less than three days away (and not yet passed). Returns how many.

    Side effects: per reminder, ``reminded_at`` set and one e-mail queued (not held: routine);
    one audit entry ("selection.hosting_reminded"). Safe to run from cron.
    """
    now = now or timezone.now()
    due = Decision.objects.filter(
        outcome=Decision.Outcome.SELECTED,
        host_status=Decision.HostStatus.PENDING,
        reminded_at__isnull=True,
        host_deadline__gt=now,
        host_deadline__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            if not Decision.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            decision = Decision.objects.select_related(
                "proposal__call", "proposal__created_by"
            ).get(pk=pk)
            _email(decision, prefix="selection/email/hosting_reminder", hold=False)
            audit.record(
                actor=None,
                action=SelectionAction.HOSTING_REMINDED,
                subject=decision.proposal,
                summary=f"Host of “{decision.proposal}” reminded",
            )
        count += 1
    return count


def promote_from_waitlist(*, actor: User, call: Call) -> SelectionRun:
    """Replace the selected proposals whose hosts declined: the optimiser runs again on the
    confirmed input with the decliners excluded, the other selected locked in and the seats of
    the decision. Returns the new run, whose ``result["changes"]`` says who left, who came in
    and the objective before and after.

    Refused: no decision yet; no decliner to replace; no proposal that can come in; decisions
    that changed while the optimiser ran (another promotion or a host's answer came first:
    read again, a promotion already made leaves nobody to replace).

    Side effects: one ``SelectionRun`` (status confirmed, note "promotion"); the decliners not
    selected any more; each newcomer selected (host pending, deadline the decliners' or, when it
    has passed, in seven days, ``promoted_from_waitlist``), the waitlist renumbered; one decision
    e-mail per newcomer, held for approval in a new batch; one audit entry
    ("selection.promoted").
    """
    require_secretariat(actor)
    seen = _standing(call)
    promotion = _plan_promotion(call, seen)  # the optimiser, before the transaction
    with transaction.atomic():
        if _standing(call, lock=True) != seen:  # read again, locked: who came first is seen
            raise DecisionRefused(_("Reload the page and try again."))
        run = _record_promotion_run(actor=actor, call=call, standing=seen, promotion=promotion)
        _release_decliners(seen)
        newcomers = _bring_in(run, promotion)
        _renumber_waitlist(call)
        for decision in newcomers:
            _email(decision, prefix="selection/email/decision", hold=True, batch=promotion.batch)
        audit.record(
            actor=actor,
            action=SelectionAction.PROMOTED,
            subject=run,
            summary=f"Promotion from the waitlist of {call}",
            changes={"left": list(seen.left), "came_in": promotion.came_in},
        )
    return run


@dataclass(frozen=True)
class _Standing:
    """Where the decision of a call stands, as a promotion reads it: two readings are equal
    when nothing a promotion depends on changed between them."""

    base: SelectionRun = field(compare=False)  # the latest confirmed run
    base_pk: int
    leaving: tuple[int, ...]  # the decisions whose selected host declined
    left: tuple[str, ...]  # their proposals, as the optimiser names them
    staying: tuple[str, ...]  # the other selected
    declined: tuple[str, ...]  # every proposal whose host declined
    eligible: frozenset[str]  # who may come in: waitlisted or not selected
    old_deadline: datetime | None  # the latest deadline of those leaving


@dataclass(frozen=True)
class _Promotion:
    """What the optimiser proposes, computed before the transaction."""

    data: dict[str, Any]  # its input
    result: Any
    out: dict[str, Any]  # its result as the run stores it, with the changes and the batch
    top: dict[str, Any]  # the top N by score, measured the same way
    came_in: list[str]
    deadline: datetime  # for the newcomers' hosts
    batch: str


def _standing(call: Call, *, lock: bool = False) -> _Standing:
    """Read the decisions of ``call`` (with ``lock``, inside the transaction: locked until it
    ends). Refused: no decision yet; no decliner to replace."""
    decisions = confirmed_decisions(call)
    if lock:
        decisions = decisions.select_for_update(of=("self",))
    listed = list(decisions)
    base = (
        SelectionRun.objects.filter(call=call, status=SelectionRun.Status.CONFIRMED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if not listed or base is None:
        raise DecisionRefused(_("There is no decision for this call yet."))
    selected = [d for d in listed if d.outcome == Decision.Outcome.SELECTED]
    leaving = [d for d in selected if d.host_status == Decision.HostStatus.DECLINED]
    if not leaving:
        raise DecisionRefused(_("No selected host has declined: there is nobody to replace."))
    return _Standing(
        base=base,
        base_pk=base.pk,
        leaving=tuple(d.pk for d in leaving),
        left=tuple(proposal_id(d.proposal_id) for d in leaving),
        staying=tuple(
            proposal_id(d.proposal_id)
            for d in selected
            if d.host_status != Decision.HostStatus.DECLINED
        ),
        declined=tuple(
            proposal_id(d.proposal_id)
            for d in listed
            if d.host_status == Decision.HostStatus.DECLINED
        ),
        eligible=frozenset(
            proposal_id(d.proposal_id)
            for d in listed
            if d.outcome in (Decision.Outcome.WAITLISTED, Decision.Outcome.NOT_SELECTED)
        ),
        old_deadline=max((d.host_deadline for d in leaving if d.host_deadline), default=None),
    )


def _plan_promotion(call: Call, standing: _Standing) -> _Promotion:
    """Run the optimiser on the confirmed input with the decliners excluded and the other
    selected locked in. Refused: no proposal on the waitlist or left out can come in."""
    base = standing.base
    data = _with_locks(
        base.input, seats=base.input["seats"], include=standing.staying, exclude=standing.declined
    )
    problem, result, out = solve_input(data)
    came_in = [pid for pid in result.selected if pid not in set(standing.staying)]
    if not came_in or not set(came_in) <= standing.eligible:
        raise DecisionRefused(_("No proposal on the waitlist or left out can come in."))
    n = min(problem.seats, len(problem.proposals))
    top = evaluate(problem, top_by_score(problem, n))
    top["n"] = n
    now = timezone.now()
    old = standing.old_deadline
    batch = f"{decision_batch(call)} — {_('promotion')} {now:%Y-%m-%d %H:%M:%S}"
    out["changes"] = {
        "left": list(standing.left),
        "came_in": came_in,
        "objective_before": base.objective,
        "objective_after": result.objective,
    }
    out["decision_batch"] = batch
    return _Promotion(
        data=data,
        result=result,
        out=out,
        top=top,
        came_in=came_in,
        deadline=old if old and old > now else now + PROMOTED_DEADLINE,
        batch=batch,
    )


def _record_promotion_run(
    *, actor: User, call: Call, standing: _Standing, promotion: _Promotion
) -> SelectionRun:
    """The new run: confirmed at once, noted "promotion", the stayers locked in its rules."""
    base, result = standing.base, promotion.result
    return SelectionRun.objects.create(
        call=call,
        rules={**base.rules, "include": sorted(pk_of(p) for p in standing.staying)},
        input=promotion.data,
        result=promotion.out,
        top_n=promotion.top,
        proposals=base.proposals,
        unscored=base.unscored,
        status=SelectionRun.Status.CONFIRMED,
        solver_status=result.status,
        objective=None if result.objective is None else round(result.objective, 9),
        shortfall=result.shortfall,
        note="promotion",
        created_by=actor,
    )


def _release_decliners(standing: _Standing) -> None:
    """Those whose host declined are not selected any more."""
    Decision.objects.filter(pk__in=standing.leaving).update(outcome=Decision.Outcome.NOT_SELECTED)


def _bring_in(run: SelectionRun, promotion: _Promotion) -> list[Decision]:
    """Each newcomer selected by ``run``, its host to answer by the promotion's deadline."""
    newcomers = []
    for pid in promotion.came_in:
        decision = changes.locked(Decision, proposal_id=pk_of(pid))
        decision.run = run
        decision.outcome = Decision.Outcome.SELECTED
        decision.waitlist_position = None
        decision.host_status = Decision.HostStatus.PENDING
        decision.host_deadline = promotion.deadline
        decision.promoted_from_waitlist = True
        decision.save()
        newcomers.append(decision)
    return newcomers


def _renumber_waitlist(call: Call) -> None:
    """The waitlist numbered 1..k again, in its order, without the gaps the newcomers left."""
    waiting = Decision.objects.filter(
        proposal__call=call, outcome=Decision.Outcome.WAITLISTED
    ).order_by("waitlist_position", "proposal_id")
    for position, decision in enumerate(waiting, start=1):
        if decision.waitlist_position != position:
            decision.waitlist_position = position
            decision.save(update_fields=["waitlist_position"])
