"""The assign optimiser's shared model: its input and output, and the problem in index form.

``assign.py`` (parsing, solving, JSON) and ``assign_lp.py`` (the LP relaxation for "fair")
import this module, which imports neither: ``assign`` -> ``assign_lp`` -> ``assign_problem``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIME_LIMIT = 60.0
# Largest scaled |affinity| times the number of terms a sum can have stays under this, so every
# integer the solvers see (and the cost scaling inside min-cost flow) stays far from overflow.
_INTEGER_BUDGET = 2**50

# A (reviewer index, proposal index) pair.
Pair = tuple[int, int]


# --------------------------------------------------------------------------------------------
# Input and output


@dataclass(frozen=True)
class Reviewer:
    id: str
    organisations: tuple[str, ...] = ()
    min_load: int = 0
    max_load: int | None = None  # None: unlimited
    expertise: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    id: str
    organisations: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass
class AssignProblem:
    reviewers_per_proposal: int
    reviewers: list[Reviewer]
    proposals: list[Proposal]
    conflicts: set[tuple[str, str]] = field(default_factory=set)
    affinity: dict[str, dict[str, float]] = field(default_factory=dict)
    objective: str = "total"
    time_limit_seconds: float = DEFAULT_TIME_LIMIT
    fixed: set[tuple[str, str]] = field(default_factory=set)  # (reviewer, proposal): kept

    def affinity_of(self, reviewer: Reviewer, proposal: Proposal) -> float:
        given = self.affinity.get(reviewer.id, {})
        if proposal.id in given:
            return given[proposal.id]
        return float(sum(reviewer.expertise.get(topic, 0.0) for topic in proposal.topics))

    def in_conflict(self, reviewer: Reviewer, proposal: Proposal) -> bool:
        """In conflict and not fixed: a fixed pair may always be assigned."""
        if (reviewer.id, proposal.id) in self.fixed:
            return False
        if (reviewer.id, proposal.id) in self.conflicts:
            return True
        return not set(reviewer.organisations).isdisjoint(proposal.organisations)


@dataclass
class AssignResult:
    status: str  # "optimal" | "feasible" | "infeasible"
    assignment: dict[str, list[str]] = field(default_factory=dict)
    total_affinity: float = 0.0
    min_proposal_affinity: float = 0.0
    loads: dict[str, int] = field(default_factory=dict)
    gap: float | None = None  # with "feasible": proven bound minus the answer
    gap_objective: str | None = None  # which figure the gap is on
    uncovered: dict[str, str] | None = None  # with "infeasible"
    reason: str | None = None  # with "infeasible"

    def to_json(self) -> dict[str, Any]:
        if self.status == "infeasible":
            out: dict[str, Any] = {"status": self.status}
            if self.uncovered:
                out["uncovered"] = self.uncovered
            if self.reason:
                out["reason"] = self.reason
            return out
        out = {
            "status": self.status,
            "assignment": self.assignment,
            "total_affinity": self.total_affinity,
            "min_proposal_affinity": self.min_proposal_affinity,
            "loads": self.loads,
        }
        if self.gap is not None:
            out["gap"] = self.gap
            out["gap_objective"] = self.gap_objective
        return out


# --------------------------------------------------------------------------------------------
# Index form


class Instance:
    """Index form: reviewers 0..R-1, proposals 0..P-1, eligible pairs, scaled affinities."""

    def __init__(self, problem: AssignProblem):
        self.problem = problem
        self.k = problem.reviewers_per_proposal
        self.R = len(problem.reviewers)
        self.P = len(problem.proposals)
        self.needed = self.k * self.P
        self.lo = [r.min_load for r in problem.reviewers]
        self.hi = [
            self.P if r.max_load is None else min(r.max_load, self.P) for r in problem.reviewers
        ]
        self.aff: dict[tuple[int, int], float] = {}
        self.eligible: list[list[int]] = [[] for _ in range(self.P)]  # reviewers of proposal p
        self.open: list[list[int]] = [[] for _ in range(self.R)]  # proposals of reviewer r
        for p, proposal in enumerate(problem.proposals):
            for r, reviewer in enumerate(problem.reviewers):
                if not problem.in_conflict(reviewer, proposal):
                    self.aff[r, p] = problem.affinity_of(reviewer, proposal)
                    self.eligible[p].append(r)
                    self.open[r].append(p)
        self.scale = _scale(list(self.aff.values()), self.needed + self.R + self.P + 2)
        self.cost = {pair: round(a * self.scale) for pair, a in self.aff.items()}
        r_index = {r.id: i for i, r in enumerate(problem.reviewers)}
        p_index = {p.id: j for j, p in enumerate(problem.proposals)}
        # Fixed pairs (always eligible: in_conflict is False for them), and their counts.
        self.fixed: set[tuple[int, int]] = {
            (r_index[r], p_index[p]) for r, p in problem.fixed if r in r_index and p in p_index
        }
        self.fixed_of_p = [0] * self.P
        self.fixed_of_r = [0] * self.R
        for r, p in self.fixed:
            self.fixed_of_p[p] += 1
            self.fixed_of_r[r] += 1


def _scale(values: list[float], terms: int) -> float:
    """A factor that turns the affinities into integers: exact for up to 6 decimals."""
    biggest = max((abs(v) for v in values), default=0.0)
    if biggest == 0.0:
        return 1.0
    budget = _INTEGER_BUDGET / max(terms, 1)
    for digits in range(7):
        factor = 10.0**digits
        if biggest * factor > budget:
            break
        if all(
            abs(v * factor - round(v * factor)) <= 1e-7 * max(1.0, abs(v * factor)) for v in values
        ):
            return factor
    return 2.0 ** math.floor(math.log2(budget / biggest))
