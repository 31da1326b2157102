"""The reviewer-assignment optimiser's input, built from the database (``optimize.assign``).

- Proposals: the call's *submitted* proposals, as ``"p<pk>"``.
- Reviewers: the call's *active* pool members, as ``"r<pk>"``, with their ``min_load`` and their
  ``max_load`` (the round's ``default_max_load`` when theirs is empty).
- Fixed: the pairs whose review is submitted or a draft with something in it
  (``kept_reviews``): a new run never discards them, even when a conflict was declared since
  (the review stays and counts). A reviewer's ``max_load`` is raised to their kept reviews
  when lower, so what is done never makes the run infeasible.
- Conflicts: ``access.conflict_pairs(call)`` (affiliation to the lead or a co-submitting
  organisation, or a declared conflict not lifted). Organisations are not passed: the pairs
  already say everything.
- Affinity: given for every (reviewer, proposal) pair as the ``affinity`` matrix, so the
  optimiser uses these figures exactly (topics and expertise are left empty). It counts the
  matches between the reviewer's expertise and the proposal, weighted:

  ========================================================================  ======
  match                                                                     weight
  ========================================================================  ======
  each theme of the proposal among the reviewer's themes                    2
  each sector of the proposal among the reviewer's sectors                  1.5
  each ILO region of the proposal's countries of action among the           1
  reviewer's regions
  the proposal's language among the reviewer's languages                    1
  ========================================================================  ======

  Themes weigh most because the series is organised around them; sectors next; regions and
  language count once each. A proposal in child labour and forced labour, in mining, acting in
  Ghana (Africa), in English, and a reviewer of child labour, mining, Africa, English and French
  have affinity 2 + 1.5 + 1 + 1 = 5.5.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deepdive.optimize.assign import AssignProblem
from deepdive.optimize.assign import Proposal as ProposalItem
from deepdive.optimize.assign import Reviewer as ReviewerItem
from deepdive.proposals.models import Proposal
from deepdive.series.models import Call

from . import access
from .models import Review, Reviewer, ReviewRound

THEME_WEIGHT = 2.0
SECTOR_WEIGHT = 1.5
REGION_WEIGHT = 1.0
LANGUAGE_WEIGHT = 1.0
WEIGHTS = {
    "themes": THEME_WEIGHT,
    "sectors": SECTOR_WEIGHT,
    "regions": REGION_WEIGHT,
    "language": LANGUAGE_WEIGHT,
}
TIME_LIMIT_SECONDS = 30.0


def proposal_key(pk: int) -> str:
    return f"p{pk}"


def reviewer_key(pk: int) -> str:
    return f"r{pk}"


@dataclass
class ProblemMaps:
    """The optimiser's ids back to rows, and what the input was built from."""

    proposals: dict[str, Proposal] = field(default_factory=dict)  # "p12" -> Proposal
    reviewers: dict[str, Reviewer] = field(default_factory=dict)  # "r3" -> Reviewer
    round: ReviewRound | None = None
    max_loads: dict[int, int] = field(default_factory=dict)  # reviewer pk -> max load
    kept: dict[tuple[int, int], Review] = field(default_factory=dict)  # (reviewer, proposal)

    def proposal_pk(self, key: str) -> int:
        return self.proposals[key].pk

    def reviewer_pk(self, key: str) -> int:
        return self.reviewers[key].pk


def review_round(call: Call) -> ReviewRound:
    """The call's review round, or an unsaved one with the defaults when none was set up."""
    found = ReviewRound.objects.filter(call=call).first()
    return found if found is not None else ReviewRound(call=call)


def max_load_of(reviewer: Reviewer, round_: ReviewRound) -> int:
    return reviewer.max_load if reviewer.max_load is not None else round_.default_max_load


def submitted_proposals(call: Call):
    return (
        Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED)
        .prefetch_related("themes", "sectors", "countries")
        .order_by("pk")
    )


def active_reviewers(call: Call):
    return (
        Reviewer.objects.filter(call=call, status=Reviewer.Status.ACTIVE)
        .select_related("user")
        .prefetch_related("themes", "sectors")
        .order_by("pk")
    )


def kept_reviews(call: Call) -> dict[tuple[int, int], Review]:
    """{(reviewer pk, proposal pk): review} of the reviews no new run may discard: submitted,
    or drafts with something in them, on the call's submitted proposals."""
    reviews = Review.objects.filter(
        proposal__call=call, proposal__status=Proposal.Status.SUBMITTED
    ).select_related("reviewer", "reviewer__user", "proposal")
    return {(r.reviewer_id, r.proposal_id): r for r in reviews if r.has_content}


@dataclass(frozen=True)
class _Expertise:
    themes: frozenset[int]
    sectors: frozenset[int]
    regions: frozenset[str]
    languages: frozenset[str]


def _proposal_profile(proposal: Proposal) -> _Expertise:
    return _Expertise(
        themes=frozenset(t.pk for t in proposal.themes.all()),
        sectors=frozenset(s.pk for s in proposal.sectors.all()),
        regions=frozenset(c.ilo_region for c in proposal.countries.all() if c.ilo_region),
        languages=frozenset([proposal.language] if proposal.language else []),
    )


def _reviewer_profile(reviewer: Reviewer) -> _Expertise:
    return _Expertise(
        themes=frozenset(t.pk for t in reviewer.themes.all()),
        sectors=frozenset(s.pk for s in reviewer.sectors.all()),
        regions=frozenset(reviewer.regions or []),
        languages=frozenset(reviewer.languages or []),
    )


def affinity(reviewer: _Expertise, proposal: _Expertise) -> float:
    """The weighted number of matches (see the module's table)."""
    return (
        THEME_WEIGHT * len(reviewer.themes & proposal.themes)
        + SECTOR_WEIGHT * len(reviewer.sectors & proposal.sectors)
        + REGION_WEIGHT * len(reviewer.regions & proposal.regions)
        + LANGUAGE_WEIGHT * len(reviewer.languages & proposal.languages)
    )


def affinity_of(reviewer: Reviewer, proposal: Proposal) -> float:
    """The affinity of one pair, read from the database (for a single pair; use
    ``build_problem`` for many)."""
    return affinity(_reviewer_profile(reviewer), _proposal_profile(proposal))


def build_problem(
    *, call: Call, objective: str, time_limit_seconds: float = TIME_LIMIT_SECONDS
) -> tuple[AssignProblem, ProblemMaps]:
    """The optimiser's problem for ``call`` and the maps from its ids back to rows.

    Reads only. ``objective`` is "total" or "fair".
    """
    round_ = review_round(call)
    proposals = list(submitted_proposals(call))
    reviewers = list(active_reviewers(call))
    proposal_pks = {p.pk for p in proposals}
    reviewer_pks = {r.pk for r in reviewers}
    kept = {
        pair: review
        for pair, review in kept_reviews(call).items()
        if pair[0] in reviewer_pks and pair[1] in proposal_pks
    }
    kept_load: dict[int, int] = {}
    for reviewer_pk, _proposal_pk in kept:
        kept_load[reviewer_pk] = kept_load.get(reviewer_pk, 0) + 1
    maps = ProblemMaps(round=round_, kept=kept)

    proposal_profiles: dict[str, _Expertise] = {}
    proposal_items: list[ProposalItem] = []
    for proposal in proposals:
        key = proposal_key(proposal.pk)
        maps.proposals[key] = proposal
        proposal_profiles[key] = _proposal_profile(proposal)
        proposal_items.append(ProposalItem(id=key))

    reviewer_items: list[ReviewerItem] = []
    matrix: dict[str, dict[str, float]] = {}
    for reviewer in reviewers:
        key = reviewer_key(reviewer.pk)
        maps.reviewers[key] = reviewer
        highest = max(max_load_of(reviewer, round_), kept_load.get(reviewer.pk, 0))
        maps.max_loads[reviewer.pk] = highest
        reviewer_items.append(
            ReviewerItem(id=key, min_load=min(reviewer.min_load, highest), max_load=highest)
        )
        profile = _reviewer_profile(reviewer)
        matrix[key] = {pkey: affinity(profile, pp) for pkey, pp in proposal_profiles.items()}

    conflicts = {
        (reviewer_key(r), proposal_key(p))
        for r, p in access.conflict_pairs(call)
        if r in reviewer_pks and p in proposal_pks
    }
    problem = AssignProblem(
        reviewers_per_proposal=round_.reviewers_per_proposal,
        reviewers=reviewer_items,
        proposals=proposal_items,
        conflicts=conflicts,
        affinity=matrix,
        objective=objective,
        time_limit_seconds=time_limit_seconds,
        fixed={(reviewer_key(r), proposal_key(p)) for r, p in kept},
    )
    return problem, maps
