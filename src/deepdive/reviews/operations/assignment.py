"""Run, edit and save the reviewer assignment of a call; remind late reviewers.

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
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit
from deepdive.optimize.assign import solve
from deepdive.outbox.operations import queue_templated_email
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from .. import access
from ..assignment_input import (
    TIME_LIMIT_SECONDS,
    WEIGHTS,
    build_problem,
    kept_reviews,
    max_load_of,
    review_round,
)
from ..models import Assignment, AssignmentRun, Review, Reviewer, ReviewRound

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=3)
INFEASIBLE = "infeasible"


class AssignmentError(Exception):
    """A change the rules refuse; ``messages`` are for the person."""

    def __init__(self, *messages: str):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


# --- Propose --------------------------------------------------------------------------------


def propose_assignment(*, actor: User, call: Call, objective: str) -> AssignmentRun:
    """Run the optimiser on the call's submitted proposals and active reviewers (30 s limit)
    and store its answer as a proposed run (``current`` starts as the proposal). The reviews
    already submitted or started stay with their reviewer (fixed in the optimiser's input).

    An infeasible answer is stored too, with its reasons; it cannot be edited or saved.
    Raises AssignmentError when the objective is unknown or there is nothing to assign.
    Side effects: one AssignmentRun; audit entry "reviews.assignment.propose". The solver runs
    before the transaction (it only reads), so the database is not held during the search.
    """
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
            action="reviews.assignment.propose",
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


def _names(ids, reviewers: dict[int, Reviewer]) -> list[str]:
    return [str(reviewers[i]) if i in reviewers else f"#{i}" for i in ids]


def change_reviewers(
    *, actor: User, run: AssignmentRun, proposal_id: int | str, reviewer_ids: list[int | str]
) -> list[str]:
    """Give one proposal of a proposed run these reviewers, by hand.

    Refused (AssignmentError, one message per problem): a saved, discarded or infeasible run;
    a proposal not in the run; a reviewer not active in the call's pool, chosen twice, or in
    conflict with the proposal; a number of reviewers other than the round's
    ``reviewers_per_proposal``; leaving out a reviewer whose review of the proposal is
    submitted or started (it is kept). A reviewer in conflict who has such a review may stay.
    Returns warnings, not refusals: each chosen reviewer whose load in the run is now over
    their maximum.
    Side effects: the run's ``current``; audit entry "reviews.assignment.change".
    """
    with transaction.atomic():
        locked = (
            AssignmentRun.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=run.pk)
        )
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
            action="reviews.assignment.change",
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

    Refused (AssignmentError): a run already saved or discarded, an infeasible one, one whose
    ``current`` holds a pair now in conflict (unless its review is submitted or started: it is
    kept) or a reviewer no longer active, or one that leaves out a submitted review or a draft
    with something in it of an active reviewer (started after the run was proposed). Proposals
    withdrawn since the run are left out.
    Side effects: Assignment rows of the call: each pair of the run ACTIVE with its affinity and
    this run; an earlier assignment not in the run is deleted when it has no review or an empty
    draft (deleted too), and otherwise kept (as NEEDS_REASSIGNMENT when it was ACTIVE: only a
    reviewer who left or a withdrawn proposal); the run saved; the call's other
    proposed runs discarded; audit entry "reviews.assignment.save"; one e-mail per reviewer with
    assignments (their proposals, the link to their reviews, the deadline); the reminder task
    enqueued for three days before the window closes, when the task backend can defer.
    """
    with transaction.atomic():
        locked = (
            AssignmentRun.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=run.pk)
        )
        _editable(locked)
        call = locked.call
        round_ = review_round(call)
        conflicts = access.conflict_pairs(call)
        submitted = set(
            Proposal.objects.filter(
                pk__in=[int(p) for p in locked.current], status=Proposal.Status.SUBMITTED
            ).values_list("pk", flat=True)
        )
        pairs = [
            (int(r), int(p))
            for p, reviewers in locked.current.items()
            if int(p) in submitted
            for r in reviewers
        ]
        reviewers = Reviewer.objects.select_related("user").in_bulk({r for r, _p in pairs})
        proposals = Proposal.objects.in_bulk(submitted)
        kept = kept_reviews(call)
        chosen_pairs = set(pairs)
        problems = []
        for (reviewer_id, proposal_id), review in sorted(kept.items()):
            if (
                reviewer_id,
                proposal_id,
            ) not in chosen_pairs and review.reviewer.status == Reviewer.Status.ACTIVE:
                problems.append(_kept_message(review))
        for reviewer_id, proposal_id in pairs:
            reviewer = reviewers.get(reviewer_id)
            if reviewer is None or reviewer.status != Reviewer.Status.ACTIVE:
                problems.append(
                    _("%(reviewer)s is no longer an active reviewer (“%(proposal)s”).")
                    % {
                        "reviewer": reviewer or f"#{reviewer_id}",
                        "proposal": proposals[proposal_id],
                    }
                )
            elif (reviewer_id, proposal_id) in conflicts and (reviewer_id, proposal_id) not in kept:
                problems.append(
                    _("%(reviewer)s is in conflict with “%(proposal)s”.")
                    % {"reviewer": reviewer, "proposal": proposals[proposal_id]}
                )
        if problems:
            raise AssignmentError(
                _("This assignment cannot be saved; change these reviewers first."), *problems
            )

        affinity = locked.result.get("affinity", {})
        wanted = set(pairs)
        existing = {
            (a.reviewer_id, a.proposal_id): a
            for a in Assignment.objects.select_for_update(of=("self",)).filter(proposal__call=call)
        }
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
                    run=locked,
                )
                created += 1
            else:
                if row.status != Assignment.Status.ACTIVE:
                    reactivated += 1
                row.status, row.affinity, row.run = Assignment.Status.ACTIVE, value, locked
                row.save(update_fields=["status", "affinity", "run"])
        reviews = {
            (review.reviewer_id, review.proposal_id): review
            for review in Review.objects.filter(proposal__call=call)
        }
        removed, flagged, empty_drafts = [], [], []
        for pair, row in existing.items():
            if pair in wanted:
                continue
            review = reviews.get(pair)
            if review is None or not review.has_content:
                if review is not None:  # an untouched empty draft moves with its assignment
                    review.delete()
                    empty_drafts.append(pair)
                row.delete()
                removed.append(pair)
            elif row.status == Assignment.Status.ACTIVE:
                row.status = Assignment.Status.NEEDS_REASSIGNMENT
                row.save(update_fields=["status"])
                flagged.append(pair)

        now = timezone.now()
        locked.status = AssignmentRun.Status.SAVED
        locked.saved_at = now
        locked.save(update_fields=["status", "saved_at"])
        discarded = list(
            AssignmentRun.objects.filter(call=call, status=AssignmentRun.Status.PROPOSED)
            .exclude(pk=locked.pk)
            .values_list("pk", flat=True)
        )
        AssignmentRun.objects.filter(pk__in=discarded).update(status=AssignmentRun.Status.DISCARDED)
        audit.record(
            actor=actor,
            action="reviews.assignment.save",
            subject=locked,
            summary=(
                f"Assignment saved for {call}: {len(pairs)} assignments, {created} new, "
                f"{len(removed)} removed, {len(flagged)} to be reassigned"
            ),
            changes={
                "status": [AssignmentRun.Status.PROPOSED, AssignmentRun.Status.SAVED],
                "created": [str(created)],
                "reactivated": [str(reactivated)],
                "removed": [f"r{r}/p{p}" for r, p in sorted(removed)],
                "to_be_reassigned": [f"r{r}/p{p}" for r, p in sorted(flagged)],
                "empty_drafts_deleted": [f"r{r}/p{p}" for r, p in sorted(empty_drafts)],
                "kept_reviews": [f"r{r}/p{p}" for r, p in sorted(set(kept) & wanted)],
                "discarded_runs": [str(pk) for pk in discarded],
            },
        )

        by_reviewer: dict[int, list[Proposal]] = defaultdict(list)
        for reviewer_id, proposal_id in pairs:
            by_reviewer[reviewer_id].append(proposals[proposal_id])
        for reviewer_id, items in by_reviewer.items():
            _email_reviewer(
                reviewer=reviewers[reviewer_id],
                prefix="reviews/email/assignment",
                kind="reviews.assignment",
                round_=round_,
                proposals=sorted(items, key=lambda p: (p.title.casefold(), p.pk)),
            )
        if round_.closes_at is not None and round_.closes_at - REMIND_BEFORE > now:
            at = round_.closes_at - REMIND_BEFORE
            transaction.on_commit(lambda: enqueue_reminders(at=at))
    run.status, run.saved_at = locked.status, locked.saved_at
    return locked


# --- Reminders ------------------------------------------------------------------------------


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Remind reviewers whose window closes within three days of what they have left, once.

    Due: an ACTIVE assignment of an active reviewer, on a proposal still submitted, with no
    submitted review, not in conflict, in a round open at ``now`` that closes within three days,
    and not reminded yet. Returns how many reviewers were written to; safe to run any number of
    times. Side effects: one e-mail per reviewer listing the due proposals; the assignments'
    ``reminded_at``; audit entry "reviews.reminders" when any were sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        submitted_review = Review.objects.filter(
            reviewer=OuterRef("reviewer"),
            proposal=OuterRef("proposal"),
            status=Review.Status.SUBMITTED,
        )
        due = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(
                status=Assignment.Status.ACTIVE,
                reminded_at__isnull=True,
                reviewer__status=Reviewer.Status.ACTIVE,
                proposal__status=Proposal.Status.SUBMITTED,
                proposal__call__review_round__opens_at__lte=now,
                proposal__call__review_round__closes_at__gt=now,
                proposal__call__review_round__closes_at__lte=now + REMIND_BEFORE,
            )
            .exclude(Exists(submitted_review))
            .select_related("reviewer", "reviewer__user", "proposal", "proposal__call")
            .order_by("reviewer_id", "proposal__title", "proposal_id")
        )
        conflicts_by_call: dict[int, set[tuple[int, int]]] = {}
        by_reviewer: dict[int, list[Assignment]] = defaultdict(list)
        for row in due:
            call = row.proposal.call
            if call.pk not in conflicts_by_call:
                conflicts_by_call[call.pk] = access.conflict_pairs(call)
            if (row.reviewer_id, row.proposal_id) in conflicts_by_call[call.pk]:
                continue
            by_reviewer[row.reviewer_id].append(row)
        for rows in by_reviewer.values():
            reviewer = rows[0].reviewer
            _email_reviewer(
                reviewer=reviewer,
                prefix="reviews/email/reminder",
                kind="reviews.reminder",
                round_=review_round(reviewer.call),
                proposals=[row.proposal for row in rows],
            )
        reminded = [row.pk for rows in by_reviewer.values() for row in rows]
        Assignment.objects.filter(pk__in=reminded).update(reminded_at=now)
        if reminded:
            audit.record(
                actor=None,
                action="reviews.reminders",
                summary=(
                    f"Review reminders sent to {len(by_reviewer)} reviewer(s) "
                    f"for {len(reminded)} assignment(s)"
                ),
                changes={"assignments": [str(pk) for pk in reminded]},
            )
    return len(by_reviewer)


def enqueue_reminders(*, at: datetime) -> bool:
    """Run ``send_review_reminders`` at ``at`` through the task backend; False when the backend
    cannot defer (then the ``send_review_reminders`` command, run from cron, does it)."""
    from ..tasks import send_review_reminders as task

    if not task.get_backend().supports_defer:
        log.info("Task backend cannot defer; run `deepdive send_review_reminders`.")
        return False
    task.using(run_after=at).enqueue()
    return True


# --- E-mails --------------------------------------------------------------------------------


def _mine_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reviews:mine")


def _recipient(reviewer: Reviewer) -> tuple[str, str]:
    """The address and language to write to a reviewer in."""
    if reviewer.user_id:
        return reviewer.user.email, language_of(reviewer.user)
    languages = dict(settings.LANGUAGES)
    spoken = [code for code in reviewer.languages or [] if code in languages]
    return reviewer.email, spoken[0] if spoken else settings.LANGUAGE_CODE


def _email_reviewer(
    *,
    reviewer: Reviewer,
    prefix: str,
    kind: str,
    round_: ReviewRound,
    proposals: list[Proposal],
) -> None:
    address, language = _recipient(reviewer)
    queue_templated_email(
        to=address,
        template_prefix=prefix,
        context={
            "reviewer": reviewer,
            "name": reviewer.user.get_full_name() if reviewer.user_id else "",
            "call": round_.call,
            "round": round_,
            "proposals": proposals,
            "mine_url": _mine_url(),
        },
        language=language,
        kind=kind,
        related=reviewer,
    )
