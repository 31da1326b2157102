"""Run, edit and save the reviewer assignment of a call; schedule the reminders (``reminders``).

Every function takes keyword arguments only, writes in one transaction and records an audit
entry with what changed. E-mails go through the outbox, in the recipient's language, once the
transaction commits.

A run stores, as JSON keyed by primary keys in strings:
- ``proposed``/``current``: {proposal pk: [reviewer pk, ...]}, as the optimiser answered and as
  edited by hand;
- ``result``: the optimiser's answer (``status``, ``total_affinity``, ``min_proposal_affinity``,
  ``loads``, ``gap``, ``uncovered``/``reason`` when infeasible, with the optimiser's own ids
  "p<pk>"/"r<pk>" left in its sentences), plus ``affinity`` {proposal pk: {reviewer pk: x}}
  (non-zero pairs), ``max_loads`` {reviewer pk: n}, ``reviewers_per_proposal``, ``weights``
  and ``time_limit_seconds``: what the run was computed with, and ``kept`` [[proposal pk,
  reviewer pk], ...]: the reviews submitted or started that the run kept fixed.

A run never discards a submitted review nor a draft with something in it: they are fixed in the
optimiser's input, a change by hand cannot remove them, and saving refuses a run that would
(a review started after the run was proposed).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused
from deepdive.optimize.assign import solve
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from .. import access, tasks
from ..actions import ReviewsAction
from ..assignment_input import (
    TIME_LIMIT_SECONDS,
    WEIGHTS,
    build_problem,
    kept_reviews,
    max_load_of,
    review_round,
)
from ..models import Assignment, AssignmentRun, Review, Reviewer, ReviewRound
from .emails import email_reviewer
from .reminders import REMIND_BEFORE
from .reminders import send_review_reminders as send_review_reminders

log = logging.getLogger(__name__)

INFEASIBLE = "infeasible"
Pair = tuple[int, int]  # (reviewer pk, proposal pk)


class Messages(list[str]):
    """A refusal's messages: a list, as ``AssignmentError.messages`` has always been, that can
    also be called like ``Refused.messages()``."""

    def __call__(self) -> list[str]:
        return list(self)


class AssignmentError(Refused):
    """A change the rules refuse; ``messages`` are for the person, each shown above the form
    (the first one general when there are several)."""

    def __init__(self, *messages: str):
        super().__init__(errors={None: [str(m) for m in messages]})

    @property
    def messages(self) -> Messages:
        return Messages(Refused.messages(self))


# --- Propose --------------------------------------------------------------------------------


def propose_assignment(*, actor: User, call: Call, objective: str) -> AssignmentRun:
    """Run the optimiser on the call's submitted proposals and active reviewers (30 s limit)
    and store its answer as a proposed run (``current`` starts as the proposal). The reviews
    already submitted or started stay with their reviewer (fixed in the optimiser's input).

    An infeasible answer is stored too, with its reasons; it cannot be edited or saved.
    Raises PermissionDenied for anyone but the secretariat; AssignmentError when the objective
    is unknown or there is nothing to assign.
    Side effects: one AssignmentRun; audit entry "reviews.assignment.propose". The solver runs
    before the transaction (it only reads), so the database is not held during the search.
    """
    require_secretariat(actor)
    if objective not in ReviewRound.Objective.values:
        raise AssignmentError(_("Choose the objective: best total or fairest."))
    problem, maps = build_problem(
        call=call, objective=objective, time_limit_seconds=TIME_LIMIT_SECONDS
    )
    if not problem.proposals:
        raise AssignmentError(_("There are no submitted proposals to assign."))
    if not problem.reviewers:
        raise AssignmentError(_("There are no active reviewers in the pool."))
    result = solve(problem)

    def pk(key: str) -> str:
        return key[1:]  # "p12" -> "12", "r3" -> "3"

    assignment = {
        pk(p): sorted(int(pk(r)) for r in reviewers) for p, reviewers in result.assignment.items()
    }
    stored = {
        "status": result.status,
        "total_affinity": result.total_affinity,
        "min_proposal_affinity": result.min_proposal_affinity,
        "loads": {pk(r): n for r, n in result.loads.items()},
        "gap": result.gap,
        "gap_objective": result.gap_objective,
        "uncovered": {pk(p): why for p, why in (result.uncovered or {}).items()},
        "reason": result.reason or "",
        "affinity": {
            pk(p.id): {
                pk(r): value
                for r, row in problem.affinity.items()
                if (value := row.get(p.id, 0.0)) != 0
            }
            for p in problem.proposals
        },
        "max_loads": {str(k): v for k, v in maps.max_loads.items()},
        "reviewers_per_proposal": problem.reviewers_per_proposal,
        "weights": WEIGHTS,
        "time_limit_seconds": problem.time_limit_seconds,
        "kept": sorted([p, r] for r, p in maps.kept),
    }
    with transaction.atomic():
        run = AssignmentRun.objects.create(
            call=call,
            objective=objective,
            solver_status=result.status,
            proposed=assignment,
            current=assignment,
            result=stored,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=ReviewsAction.ASSIGNMENT_PROPOSED,
            subject=run,
            summary=(
                f"Assignment proposed for {call} ({objective}): {result.status}, "
                f"{len(problem.proposals)} proposals, {len(problem.reviewers)} reviewers"
            ),
            changes={
                "solver_status": ["", result.status],
                "total_affinity": ["", str(result.total_affinity)],
                "min_proposal_affinity": ["", str(result.min_proposal_affinity)],
            },
        )
    return run


# --- Edit by hand ---------------------------------------------------------------------------


def _editable(run: AssignmentRun) -> None:
    if run.status != AssignmentRun.Status.PROPOSED:
        raise AssignmentError(
            _("This assignment was already saved or set aside; propose a new one to change it.")
        )
    if run.solver_status == INFEASIBLE:
        raise AssignmentError(
            _("The optimiser found no possible assignment; fix its reasons and propose again.")
        )


def _loads(current: dict[str, list[int]]) -> dict[int, int]:
    loads: dict[int, int] = defaultdict(int)
    for reviewers in current.values():
        for reviewer_id in reviewers:
            loads[int(reviewer_id)] += 1
    return loads


def _names(ids: Iterable[int], reviewers: dict[int, Reviewer]) -> list[str]:
    return [str(reviewers[i]) if i in reviewers else f"#{i}" for i in ids]


def change_reviewers(
    *, actor: User, run: AssignmentRun, proposal_id: int | str, reviewer_ids: list[int | str]
) -> list[str]:
    """Give one proposal of a proposed run these reviewers, by hand.

    Refused: anyone but the secretariat (PermissionDenied); and (AssignmentError, one message
    per problem) a saved, discarded or infeasible run; a proposal not in the run; a reviewer
    not active in the call's pool, chosen twice, or in conflict with the proposal; a number of
    reviewers other than the round's ``reviewers_per_proposal``; leaving out a reviewer whose
    review of the proposal is submitted or started (it is kept). A reviewer in conflict who has
    such a review may stay.
    Returns warnings, not refusals: each chosen reviewer whose load in the run is now over
    their maximum.
    Side effects: the run's ``current``; audit entry "reviews.assignment.change".
    """
    require_secretariat(actor)
    with transaction.atomic():
        locked = _lock_run(run)
        _editable(locked)
        key = str(proposal_id)
        if key not in locked.current:
            raise AssignmentError(_("This proposal is not part of this assignment."))
        proposal = Proposal.objects.get(pk=int(key))
        round_ = review_round(locked.call)
        try:
            chosen = [int(r) for r in reviewer_ids]
        except (TypeError, ValueError) as exc:
            raise AssignmentError(_("Choose reviewers from the list.")) from exc
        pool = {
            r.pk: r
            for r in Reviewer.objects.filter(call=locked.call, pk__in=chosen).select_related("user")
        }
        conflicts = access.conflict_pairs(locked.call)
        kept = {
            reviewer_id: review
            for (reviewer_id, proposal_id), review in kept_reviews(locked.call).items()
            if proposal_id == proposal.pk and review.reviewer.status == Reviewer.Status.ACTIVE
        }
        problems: list[str] = []
        for reviewer_id, review in sorted(kept.items(), key=lambda item: str(item[1].reviewer)):
            if reviewer_id not in chosen:
                problems.append(_kept_message(review))
        if len(set(chosen)) != len(chosen):
            problems.append(_("A reviewer is chosen more than once."))
        for reviewer_id in dict.fromkeys(chosen):
            reviewer = pool.get(reviewer_id)
            if reviewer is None or reviewer.status != Reviewer.Status.ACTIVE:
                name = str(reviewer) if reviewer else f"#{reviewer_id}"
                problems.append(
                    _("%(reviewer)s is not an active reviewer of this call.") % {"reviewer": name}
                )
            elif (reviewer_id, proposal.pk) in conflicts and reviewer_id not in kept:
                problems.append(
                    _("%(reviewer)s is in conflict with this proposal and cannot review it.")
                    % {"reviewer": reviewer}
                )
        k = round_.reviewers_per_proposal
        if len(set(chosen)) != k:
            problems.append(
                ngettext(
                    "Choose exactly %(k)s reviewer (%(n)s chosen).",
                    "Choose exactly %(k)s reviewers (%(n)s chosen).",
                    k,
                )
                % {"k": k, "n": len(set(chosen))}
            )
        if problems:
            raise AssignmentError(*problems)

        before = list(locked.current[key])
        current = dict(locked.current)
        current[key] = sorted(chosen)
        locked.current = current
        locked.save(update_fields=["current"])
        everyone = {**pool, **Reviewer.objects.select_related("user").in_bulk(before)}
        audit.record(
            actor=actor,
            action=ReviewsAction.ASSIGNMENT_CHANGED,
            subject=locked,
            summary=f"Reviewers of “{proposal}” changed by hand",
            changes={
                f"proposal:{proposal.pk}": [
                    ", ".join(_names(before, everyone)),
                    ", ".join(_names(current[key], everyone)),
                ]
            },
        )
        loads = _loads(current)
        warnings = []
        for reviewer_id in sorted(set(chosen), key=lambda i: str(pool[i])):
            reviewer = pool[reviewer_id]
            highest = max_load_of(reviewer, round_)
            if loads[reviewer_id] > highest:
                warnings.append(
                    _(
                        "%(reviewer)s now has %(load)s proposals to review, over their maximum "
                        "of %(max)s."
                    )
                    % {"reviewer": reviewer, "load": loads[reviewer_id], "max": highest}
                )
    run.current = locked.current
    return warnings


def _kept_message(review: Review) -> str:
    if review.status == Review.Status.SUBMITTED:
        return _(
            "%(reviewer)s has submitted a review of “%(proposal)s”: it is kept, so they stay "
            "among its reviewers."
        ) % {"reviewer": review.reviewer, "proposal": review.proposal}
    return _(
        "%(reviewer)s has started a review of “%(proposal)s”: it is kept, so they stay among "
        "its reviewers."
    ) % {"reviewer": review.reviewer, "proposal": review.proposal}


# --- Save -----------------------------------------------------------------------------------


def save_run(*, actor: User, run: AssignmentRun) -> AssignmentRun:
    """Make a proposed run the call's assignment and tell each reviewer.

    Refused: anyone but the secretariat (PermissionDenied); and (AssignmentError) a run already
    saved or discarded, an infeasible one, one whose ``current`` holds a pair now in conflict
    (unless its review is submitted or started: it is kept) or a reviewer no longer active, or
    one that leaves out a submitted review or a draft with something in it of an active
    reviewer (started after the run was proposed). Proposals
    withdrawn since the run are left out.
    Side effects: Assignment rows of the call: each pair of the run ACTIVE with its affinity and
    this run; an earlier assignment not in the run is deleted when it has no review or an empty
    draft (deleted too), and otherwise kept (as NEEDS_REASSIGNMENT when it was ACTIVE: only a
    reviewer who left or a withdrawn proposal); the run saved; the call's other
    proposed runs discarded; audit entry "reviews.assignment.save"; one e-mail per reviewer with
    assignments (their proposals, the link to their reviews, the deadline); the reminder task
    enqueued for three days before the window closes, when the task backend can defer.
    """
    require_secretariat(actor)
    with transaction.atomic():
        locked = _lock_run(run)
        _editable(locked)
        round_ = review_round(locked.call)
        plan = _pairs_to_save(locked)
        kept = kept_reviews(locked.call)
        _refuse_what_cannot_be_saved(plan, kept, access.conflict_pairs(locked.call))

        existing = _lock_assignments(locked.call)
        activated = _activate_pairs(locked, plan.pairs, existing)
        released = _release_the_others(locked.call, existing, wanted=set(plan.pairs))
        now = timezone.now()
        discarded = _mark_saved(locked, now=now)
        _record_saved(
            actor=actor,
            run=locked,
            plan=plan,
            kept=set(kept),
            activated=activated,
            released=released,
            discarded=discarded,
        )

        _tell_reviewers(plan, round_)
        _schedule_reminders(round_, now=now)
    run.status, run.saved_at = locked.status, locked.saved_at
    return locked


@dataclass(frozen=True)
class _Plan:
    """What a run asks for, on the proposals still submitted: its pairs in the run's order,
    with their reviewers and proposals by primary key."""

    pairs: list[Pair]
    reviewers: dict[int, Reviewer]
    proposals: dict[int, Proposal]


@dataclass(frozen=True)
class _Activated:
    created: int
    reactivated: int


@dataclass(frozen=True)
class _Released:
    """The earlier assignments the run leaves out."""

    removed: list[Pair]  # deleted: no review, or an empty draft
    flagged: list[Pair]  # kept, now NEEDS_REASSIGNMENT
    empty_drafts: list[Pair]  # the empty drafts deleted with their assignment


def _lock_run(run: AssignmentRun) -> AssignmentRun:
    """The run, read again and locked (its call read with it)."""
    return (
        AssignmentRun.objects.select_for_update(of=("self",)).select_related("call").get(pk=run.pk)
    )


def _pairs_to_save(run: AssignmentRun) -> _Plan:
    """The run's pairs on the proposals still submitted (withdrawn ones are left out)."""
    submitted = set(
        Proposal.objects.filter(
            pk__in=[int(p) for p in run.current], status=Proposal.Status.SUBMITTED
        ).values_list("pk", flat=True)
    )
    pairs = [
        (int(r), int(p))
        for p, reviewers in run.current.items()
        if int(p) in submitted
        for r in reviewers
    ]
    return _Plan(
        pairs=pairs,
        reviewers=Reviewer.objects.select_related("user").in_bulk({r for r, _p in pairs}),
        proposals=Proposal.objects.in_bulk(submitted),
    )


def _refuse_what_cannot_be_saved(
    plan: _Plan, kept: dict[Pair, Review], conflicts: set[Pair]
) -> None:
    """Refuse a run that leaves out a kept review of an active reviewer, or holds a reviewer
    no longer active or a pair now in conflict (unless its review is kept)."""
    chosen = set(plan.pairs)
    problems = []
    for pair, review in sorted(kept.items()):
        if pair not in chosen and review.reviewer.status == Reviewer.Status.ACTIVE:
            problems.append(_kept_message(review))
    for reviewer_id, proposal_id in plan.pairs:
        reviewer = plan.reviewers.get(reviewer_id)
        proposal = plan.proposals[proposal_id]
        if reviewer is None or reviewer.status != Reviewer.Status.ACTIVE:
            problems.append(
                _("%(reviewer)s is no longer an active reviewer (“%(proposal)s”).")
                % {"reviewer": reviewer or f"#{reviewer_id}", "proposal": proposal}
            )
        elif (reviewer_id, proposal_id) in conflicts and (reviewer_id, proposal_id) not in kept:
            problems.append(
                _("%(reviewer)s is in conflict with “%(proposal)s”.")
                % {"reviewer": reviewer, "proposal": proposal}
            )
    if problems:
        raise AssignmentError(
            _("This assignment cannot be saved; change these reviewers first."), *problems
        )


def _lock_assignments(call: Call) -> dict[Pair, Assignment]:
    """The call's assignments so far, locked."""
    return {
        (a.reviewer_id, a.proposal_id): a
        for a in Assignment.objects.select_for_update(of=("self",)).filter(proposal__call=call)
    }


def _activate_pairs(
    run: AssignmentRun, pairs: list[Pair], existing: dict[Pair, Assignment]
) -> _Activated:
    """Each pair of the run an ACTIVE assignment, with its affinity and this run."""
    affinity = run.result.get("affinity", {})
    created, reactivated = 0, 0
    for reviewer_id, proposal_id in pairs:
        value = float(affinity.get(str(proposal_id), {}).get(str(reviewer_id), 0.0))
        row = existing.get((reviewer_id, proposal_id))
        if row is None:
            Assignment.objects.create(
                reviewer_id=reviewer_id,
                proposal_id=proposal_id,
                status=Assignment.Status.ACTIVE,
                affinity=value,
                run=run,
            )
            created += 1
        else:
            if row.status != Assignment.Status.ACTIVE:
                reactivated += 1
            row.status, row.affinity, row.run = Assignment.Status.ACTIVE, value, run
            row.save(update_fields=["status", "affinity", "run"])
    return _Activated(created=created, reactivated=reactivated)


def _release_the_others(
    call: Call, existing: dict[Pair, Assignment], *, wanted: set[Pair]
) -> _Released:
    """The earlier assignments not in the run: deleted when they have no review or an empty
    draft (deleted with them), else kept, an ACTIVE one as NEEDS_REASSIGNMENT."""
    reviews = {
        (review.reviewer_id, review.proposal_id): review
        for review in Review.objects.filter(proposal__call=call)
    }
    released = _Released(removed=[], flagged=[], empty_drafts=[])
    for pair, row in existing.items():
        if pair in wanted:
            continue
        review = reviews.get(pair)
        if review is None or not review.has_content:
            if review is not None:  # an untouched empty draft moves with its assignment
                review.delete()
                released.empty_drafts.append(pair)
            row.delete()
            released.removed.append(pair)
        elif row.status == Assignment.Status.ACTIVE:
            row.status = Assignment.Status.NEEDS_REASSIGNMENT
            row.save(update_fields=["status"])
            released.flagged.append(pair)
    return released


def _mark_saved(run: AssignmentRun, *, now: datetime) -> list[int]:
    """The run saved at ``now``; the call's other proposed runs discarded (their pks returned)."""
    run.status = AssignmentRun.Status.SAVED
    run.saved_at = now
    run.save(update_fields=["status", "saved_at"])
    discarded = list(
        AssignmentRun.objects.filter(call=run.call, status=AssignmentRun.Status.PROPOSED)
        .exclude(pk=run.pk)
        .values_list("pk", flat=True)
    )
    AssignmentRun.objects.filter(pk__in=discarded).update(status=AssignmentRun.Status.DISCARDED)
    return discarded


def _record_saved(
    *,
    actor: User,
    run: AssignmentRun,
    plan: _Plan,
    kept: set[Pair],
    activated: _Activated,
    released: _Released,
    discarded: list[int],
) -> None:
    """The audit entry "reviews.assignment.save": counts, and the pairs as "r<pk>/p<pk>"."""

    def listed(pairs: Iterable[Pair]) -> list[str]:
        return [f"r{r}/p{p}" for r, p in sorted(pairs)]

    audit.record(
        actor=actor,
        action=ReviewsAction.ASSIGNMENT_SAVED,
        subject=run,
        summary=(
            f"Assignment saved for {run.call}: {len(plan.pairs)} assignments, "
            f"{activated.created} new, {len(released.removed)} removed, "
            f"{len(released.flagged)} to be reassigned"
        ),
        changes={
            "status": [AssignmentRun.Status.PROPOSED, AssignmentRun.Status.SAVED],
            "created": [str(activated.created)],
            "reactivated": [str(activated.reactivated)],
            "removed": listed(released.removed),
            "to_be_reassigned": listed(released.flagged),
            "empty_drafts_deleted": listed(released.empty_drafts),
            "kept_reviews": listed(kept & set(plan.pairs)),
            "discarded_runs": [str(pk) for pk in discarded],
        },
    )


def _tell_reviewers(plan: _Plan, round_: ReviewRound) -> None:
    """One e-mail per reviewer: their proposals by title, the link, the deadline."""
    by_reviewer: dict[int, list[Proposal]] = defaultdict(list)
    for reviewer_id, proposal_id in plan.pairs:
        by_reviewer[reviewer_id].append(plan.proposals[proposal_id])
    for reviewer_id, items in by_reviewer.items():
        email_reviewer(
            reviewer=plan.reviewers[reviewer_id],
            prefix="reviews/email/assignment",
            kind="reviews.assignment",
            round_=round_,
            proposals=sorted(items, key=lambda p: (p.title.casefold(), p.pk)),
        )


def _schedule_reminders(round_: ReviewRound, *, now: datetime) -> None:
    """The reminder task, three days before the window closes, once the transaction commits
    (nothing when that moment is already past)."""
    if round_.closes_at is None or round_.closes_at - REMIND_BEFORE <= now:
        return
    at = round_.closes_at - REMIND_BEFORE
    transaction.on_commit(lambda: enqueue_reminders(at=at))


def enqueue_reminders(*, at: datetime) -> bool:
    """Run ``send_review_reminders`` at ``at`` through the task backend; False when the backend
    cannot defer (then the ``send_review_reminders`` command, run from cron, does it)."""
    task = tasks.send_review_reminders
    if not task.get_backend().supports_defer:
        log.info("Task backend cannot defer; run `deepdive send_review_reminders`.")
        return False
    task.using(run_after=at).enqueue()
    return True
