"""Reads for the assignment pages: the call's runs, one run as a table, the progress board."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from . import access
from .assignment_input import kept_reviews, max_load_of, review_round
from .models import Assignment, AssignmentRun, Review, Reviewer, ReviewRound

LATE_WITHIN = timedelta(days=3)
REVIEW_STATES = {
    "not_started": _("not started"),
    Review.Status.DRAFT: _("draft"),
    Review.Status.SUBMITTED: _("submitted"),
}


def find_call(call_id: int) -> Call:
    return get_object_or_404(Call.objects.select_related("series"), pk=call_id)


def find_run(pk: int) -> AssignmentRun:
    return get_object_or_404(
        AssignmentRun.objects.select_related("call", "call__series", "created_by"), pk=pk
    )


def active_pool(call: Call) -> list[Reviewer]:
    return list(
        Reviewer.objects.filter(call=call, status=Reviewer.Status.ACTIVE).select_related("user")
    )


# --- The assignment page ----------------------------------------------------------------------


def assign_page(call: Call) -> dict:
    """The call's round, what there is to assign, and the earlier runs, newest first."""
    round_ = review_round(call)
    runs = list(AssignmentRun.objects.filter(call=call).select_related("created_by"))
    return {
        "call": call,
        "round": round_,
        "active_reviewers": Reviewer.objects.filter(
            call=call, status=Reviewer.Status.ACTIVE
        ).count(),
        "invited_reviewers": Reviewer.objects.filter(
            call=call, status=Reviewer.Status.INVITED
        ).count(),
        "submitted_proposals": Proposal.objects.filter(
            call=call, status=Proposal.Status.SUBMITTED
        ).count(),
        "runs": runs,
        "saved_run": next((r for r in runs if r.status == AssignmentRun.Status.SAVED), None),
    }


# --- One run ----------------------------------------------------------------------------------


@dataclass
class ReviewerCell:
    reviewer: Reviewer | None
    reviewer_id: int
    affinity: float
    conflict: bool = False
    inactive: bool = False
    kept: str = ""  # "submitted" or "draft": their review is kept, so they stay


@dataclass
class ProposalRow:
    proposal: Proposal
    reviewers: list[ReviewerCell] = field(default_factory=list)
    total: float = 0.0
    changed: bool = False  # differs from the optimiser's proposal
    uncovered: str = ""  # the optimiser's reason when it could not cover it
    withdrawn: bool = False
    form: object = None  # set by the view: the form to change its reviewers


@dataclass
class LoadRow:
    reviewer: Reviewer
    load: int
    max_load: int
    min_load: int

    @property
    def over(self) -> bool:
        return self.load > self.max_load

    @property
    def under(self) -> bool:
        return self.load < self.min_load


@dataclass
class Leaving:
    """An existing assignment the run would end, and what would go with it."""

    reviewer: Reviewer
    lost: str
    refused: bool = False  # a review that must be kept: saving is refused


@dataclass
class ChangeRow:
    """One proposal whose saved reviewers the run would change."""

    proposal: Proposal
    leaving: list[Leaving] = field(default_factory=list)
    joining: list[Reviewer] = field(default_factory=list)


def _lost(review: Review | None) -> tuple[str, bool]:
    if review is None:
        return str(_("nothing: the review was not started")), False
    if review.status == Review.Status.SUBMITTED:
        return str(_("a submitted review: it must be kept, so saving is refused")), True
    if review.has_content:
        return str(_("a draft review with content: it must be kept, so saving is refused")), True
    return str(_("nothing: an empty draft, deleted")), False


def changes_of(run: AssignmentRun, pool: dict[int, Reviewer]) -> dict:
    """What saving a proposed run would change in the call's saved assignment: per proposal,
    the reviewers leaving (with what would be lost) and joining; the reviews kept."""
    call = run.call
    existing: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, proposal_id in Assignment.objects.filter(
        proposal__call=call,
        status=Assignment.Status.ACTIVE,
        proposal__status=Proposal.Status.SUBMITTED,
    ).values_list("reviewer_id", "proposal_id"):
        existing[proposal_id].add(reviewer_id)
    reviews = {
        (r.reviewer_id, r.proposal_id): r for r in Review.objects.filter(proposal__call=call)
    }
    wanted = {int(p): {int(r) for r in rs} for p, rs in run.current.items()}
    proposals = Proposal.objects.in_bulk(set(existing) | set(wanted))
    rows = []
    for pid in set(existing) | set(wanted):
        proposal = proposals.get(pid)
        if proposal is None or proposal.status != Proposal.Status.SUBMITTED:
            continue
        before, after = existing.get(pid, set()), wanted.get(pid, set())
        if not before or before == after:
            continue
        row = ChangeRow(proposal=proposal)
        for rid in sorted(before - after, key=lambda i: str(pool.get(i, i)).casefold()):
            lost, refused = _lost(reviews.get((rid, pid)))
            row.leaving.append(Leaving(reviewer=pool.get(rid), lost=lost, refused=refused))
        row.joining = sorted(
            (pool[rid] for rid in after - before if rid in pool), key=lambda r: str(r).casefold()
        )
        rows.append(row)
    rows.sort(key=lambda row: (str(row.proposal).casefold(), row.proposal.pk))
    kept = kept_reviews(call)
    kept_here = {
        pair: review for pair, review in kept.items() if pair[0] in wanted.get(pair[1], ())
    }
    return {
        "changes": rows,
        "has_saved": bool(existing),
        "kept_count": sum(1 for r in kept_here.values() if r.status == Review.Status.SUBMITTED),
        "kept_drafts": sum(1 for r in kept_here.values() if r.status != Review.Status.SUBMITTED),
        "kept": kept,
    }


_ID = re.compile(r"\b([pr])(\d+)\b")


def humanise(text: str, proposals: dict[int, Proposal], reviewers: dict[int, Reviewer]) -> str:
    """The optimiser's sentence with its ids "p12"/"r3" replaced by titles and names."""

    def name(match: re.Match) -> str:
        kind, pk = match.group(1), int(match.group(2))
        if kind == "p" and pk in proposals:
            return f"“{proposals[pk]}”"
        if kind == "r" and pk in reviewers:
            return str(reviewers[pk])
        return match.group(0)

    return _ID.sub(name, text or "")


def run_page(run: AssignmentRun) -> dict:
    """Everything the run page shows: the solver's answer, the table per proposal (worst-served
    first: lowest sum of affinities, then title) and the table per reviewer (loads)."""
    call = run.call
    round_ = review_round(call)
    result = run.result or {}
    affinity = result.get("affinity", {})
    proposal_ids = {int(p) for p in affinity} | {int(p) for p in run.current}
    proposal_ids |= {int(p) for p in result.get("uncovered", {})}
    proposals = Proposal.objects.in_bulk(proposal_ids)
    pool = {r.pk: r for r in Reviewer.objects.filter(call=call).select_related("user")}
    conflicts = (
        access.conflict_pairs(call) if run.status == AssignmentRun.Status.PROPOSED else set()
    )
    uncovered = result.get("uncovered", {})
    preview = (
        changes_of(run, pool)
        if run.status == AssignmentRun.Status.PROPOSED
        else {"changes": [], "has_saved": False, "kept_count": 0, "kept_drafts": 0, "kept": {}}
    )
    kept = preview["kept"]

    rows = []
    for pid in proposal_ids:
        proposal = proposals.get(pid)
        if proposal is None:
            continue
        key = str(pid)
        chosen = run.current.get(key, [])
        cells = []
        for rid in chosen:
            reviewer = pool.get(int(rid))
            review = kept.get((int(rid), pid))
            cells.append(
                ReviewerCell(
                    reviewer=reviewer,
                    reviewer_id=int(rid),
                    affinity=float(affinity.get(key, {}).get(str(rid), 0.0)),
                    conflict=(int(rid), pid) in conflicts,
                    kept=review.status if review is not None else "",
                    inactive=run.status == AssignmentRun.Status.PROPOSED
                    and (reviewer is None or reviewer.status != Reviewer.Status.ACTIVE),
                )
            )
        cells.sort(key=lambda c: (-c.affinity, str(c.reviewer)))
        rows.append(
            ProposalRow(
                proposal=proposal,
                reviewers=cells,
                total=sum(c.affinity for c in cells),
                changed=sorted(chosen) != sorted(run.proposed.get(key, [])),
                uncovered=humanise(uncovered.get(key, ""), proposals, pool),
                withdrawn=proposal.status != Proposal.Status.SUBMITTED,
            )
        )
    rows.sort(key=lambda row: (row.total, str(row.proposal).casefold(), row.proposal.pk))

    loads: dict[int, int] = defaultdict(int)
    for chosen in run.current.values():
        for rid in chosen:
            loads[int(rid)] += 1
    stored_max = result.get("max_loads", {})
    load_rows = [
        LoadRow(
            reviewer=reviewer,
            load=loads.get(reviewer.pk, 0),
            max_load=(
                max_load_of(reviewer, round_)
                if run.status == AssignmentRun.Status.PROPOSED
                else int(stored_max.get(str(reviewer.pk), max_load_of(reviewer, round_)))
            ),
            min_load=reviewer.min_load,
        )
        for reviewer in pool.values()
        if reviewer.pk in loads
        or (reviewer.status == Reviewer.Status.ACTIVE and str(reviewer.pk) in stored_max)
    ]
    load_rows.sort(key=lambda row: (-row.load, str(row.reviewer).casefold()))

    infeasible = run.solver_status == "infeasible"
    editable = run.status == AssignmentRun.Status.PROPOSED and not infeasible
    blocked = [
        (row.proposal, cell)
        for row in rows
        for cell in row.reviewers
        if (cell.conflict and not cell.kept) or cell.inactive
    ]
    kept_in_conflict = [
        (row.proposal, cell)
        for row in rows
        for cell in row.reviewers
        if cell.conflict and cell.kept
    ]
    totals = [row.total for row in rows if not row.withdrawn]
    return {
        "run": run,
        "call": call,
        "round": round_,
        "result": result,
        "infeasible": infeasible,
        "reason": humanise(result.get("reason", ""), proposals, pool),
        "uncovered": [row for row in rows if row.uncovered],
        "rows": rows,
        "load_rows": load_rows,
        "overloaded": [row for row in load_rows if row.over],
        "total_affinity": sum(totals),
        "worst_affinity": min(totals, default=0.0),
        "edited": run.current != run.proposed,
        "editable": editable,
        "blocked": blocked,
        "pool": sorted(
            (r for r in pool.values() if r.status == Reviewer.Status.ACTIVE),
            key=lambda r: str(r).casefold(),
        ),
        "conflicts": conflicts,
        "changes": preview["changes"],
        "has_saved": preview["has_saved"],
        "kept_count": preview["kept_count"],
        "kept_drafts": preview["kept_drafts"],
        "kept_in_conflict": kept_in_conflict,
        "refused": [leave for row in preview["changes"] for leave in row.leaving if leave.refused],
        "reviewers_per_proposal": int(
            result.get("reviewers_per_proposal", round_.reviewers_per_proposal)
        ),
    }


# --- Progress ---------------------------------------------------------------------------------


def outstanding_reviews(call: Call) -> int:
    """Reviews still expected in the call: active assignments of active reviewers on submitted
    proposals without a submitted review (what the progress board counts as not done)."""
    submitted = Review.objects.filter(
        reviewer=OuterRef("reviewer"),
        proposal=OuterRef("proposal"),
        status=Review.Status.SUBMITTED,
    )
    return (
        Assignment.objects.filter(
            proposal__call=call,
            status=Assignment.Status.ACTIVE,
            reviewer__status=Reviewer.Status.ACTIVE,
            proposal__status=Proposal.Status.SUBMITTED,
        )
        .exclude(Exists(submitted))
        .count()
    )


@dataclass
class ProgressCell:
    assignment: Assignment
    state: str  # "not_started" | "draft" | "submitted"
    late: bool

    @property
    def state_label(self) -> str:
        return str(REVIEW_STATES[self.state])

    @property
    def needs_reassignment(self) -> bool:
        return (
            self.assignment.status == Assignment.Status.NEEDS_REASSIGNMENT
            or self.assignment.reviewer.status != Reviewer.Status.ACTIVE
        )


@dataclass
class ProposalProgress:
    proposal: Proposal
    cells: list[ProgressCell]
    wanted: int

    @property
    def active(self) -> list[ProgressCell]:
        return [
            c
            for c in self.cells
            if c.assignment.status == Assignment.Status.ACTIVE
            and c.assignment.reviewer.status == Reviewer.Status.ACTIVE
        ]

    @property
    def submitted(self) -> int:
        return sum(1 for c in self.active if c.state == Review.Status.SUBMITTED)

    @property
    def assigned(self) -> int:
        return len(self.active)

    @property
    def missing(self) -> int:
        """Reviewers still to be found for this proposal."""
        if self.proposal.status != Proposal.Status.SUBMITTED:
            return 0
        return max(0, self.wanted - self.assigned)

    @property
    def needs_reassignment(self) -> bool:
        """Fewer active reviewers than the round wants (one left, was removed, or declared a
        conflict, and nobody replaced them yet)."""
        return self.missing > 0

    @property
    def late(self) -> int:
        return sum(1 for c in self.cells if c.late)


@dataclass
class ReviewerProgress:
    reviewer: Reviewer
    done: int = 0
    assigned: int = 0
    late: int = 0
    drafts: int = 0


def is_late(round_: ReviewRound, now: datetime) -> bool:
    """The window closes within three days, or has closed."""
    return round_.closes_at is not None and round_.closes_at - now <= LATE_WITHIN


def progress_page(call: Call, now: datetime | None = None) -> dict:
    """Reviews done per proposal and per reviewer; late ones (window closing within three days
    or closed, review not submitted) and reassignments needed flagged."""
    now = now or timezone.now()
    round_ = review_round(call)
    late_window = is_late(round_, now)
    assignments = list(
        Assignment.objects.filter(proposal__call=call).select_related(
            "reviewer", "reviewer__user", "proposal"
        )
    )
    states = {
        (reviewer_id, proposal_id): state
        for reviewer_id, proposal_id, state in Review.objects.filter(
            proposal__call=call
        ).values_list("reviewer_id", "proposal_id", "status")
    }
    proposals = {
        p.pk: p for p in Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
    }
    cells: dict[int, list[ProgressCell]] = defaultdict(list)
    per_reviewer: dict[int, ReviewerProgress] = {}
    for assignment in assignments:
        proposals.setdefault(assignment.proposal_id, assignment.proposal)
        state = states.get((assignment.reviewer_id, assignment.proposal_id), "not_started")
        counts = (
            assignment.status == Assignment.Status.ACTIVE
            and assignment.reviewer.status == Reviewer.Status.ACTIVE
            and assignment.proposal.status == Proposal.Status.SUBMITTED
        )
        late = counts and late_window and state != Review.Status.SUBMITTED
        cells[assignment.proposal_id].append(ProgressCell(assignment, state, late))
        row = per_reviewer.setdefault(
            assignment.reviewer_id, ReviewerProgress(reviewer=assignment.reviewer)
        )
        if counts:
            row.assigned += 1
            row.done += state == Review.Status.SUBMITTED
            row.drafts += state == Review.Status.DRAFT
            row.late += late
    for items in cells.values():
        items.sort(key=lambda c: str(c.assignment.reviewer).casefold())
    rows = [
        ProposalProgress(p, cells.get(pk, []), round_.reviewers_per_proposal)
        for pk, p in proposals.items()
    ]
    rows.sort(
        key=lambda r: (
            not r.needs_reassignment,
            -r.late,
            r.submitted - r.assigned,
            str(r.proposal).casefold(),
        )
    )
    reviewer_rows = sorted(
        per_reviewer.values(),
        key=lambda r: (-r.late, r.done - r.assigned, str(r.reviewer).casefold()),
    )
    return {
        "call": call,
        "round": round_,
        "now": now,
        "late_window": late_window,
        "window_closed": round_.closes_at is not None and round_.closes_at <= now,
        "rows": rows,
        "reviewer_rows": reviewer_rows,
        "submitted": sum(r.submitted for r in rows),
        "assigned": sum(r.assigned for r in rows),
        "to_reassign": sum(1 for r in rows if r.needs_reassignment),
        "late": sum(r.late for r in reviewer_rows),
    }
