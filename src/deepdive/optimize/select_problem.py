"""The select optimiser's shared model: its input and output as plain dataclasses.

Every other ``select*`` module imports this one, and it imports none of them: ``select.py``
(parsing, solving, JSON) -> ``select_explain.py`` (why each proposal is in or out) ->
``select_model.py`` (the CP-SAT model) -> ``select_problem.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, TypedDict

RULE_NAMES = (
    "seats",
    "include",
    "exclude",
    "max_per_organisation",
    "max_per_lead_org_type",
    "max_per_region",
)

DEFAULT_TIME_LIMIT = 60.0


class Short(TypedDict):
    """A quota the selection falls short of: ``{"quota": "min_per_theme.x", "missing": 1}``."""

    quota: str
    missing: int


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    id: str
    score: float
    organisations: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    lead_org_type: str | None = None
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    outcomes: tuple[int, ...] = ()
    pathfinder: bool = False

    @property
    def joint(self) -> bool:
        """Two or more *distinct* organisations."""
        return len(set(self.organisations)) >= 2


@dataclass(frozen=True)
class Weights:
    joint: float = 0.5
    pathfinder: float = 0.5
    org_type_coverage: float = 0.25
    region_coverage: float = 0.25


@dataclass(frozen=True)
class Rules:
    min_per_theme: dict[str, int] = field(default_factory=dict)
    min_per_outcome: dict[int, int] = field(default_factory=dict)
    max_per_organisation: int | None = None
    max_per_lead_org_type: int | None = None
    max_per_region: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def active(self) -> tuple[str, ...]:
        """The hard-rule groups that constrain anything, in ``RULE_NAMES`` order."""
        on = {
            "seats": True,
            "include": bool(self.include),
            "exclude": bool(self.exclude),
            "max_per_organisation": self.max_per_organisation is not None,
            "max_per_lead_org_type": self.max_per_lead_org_type is not None,
            "max_per_region": self.max_per_region is not None,
        }
        return tuple(name for name in RULE_NAMES if on[name])


@dataclass(frozen=True)
class SelectProblem:
    seats: int
    proposals: tuple[Proposal, ...]
    weights: Weights = field(default_factory=Weights)
    rules: Rules = field(default_factory=Rules)
    time_limit_seconds: float = DEFAULT_TIME_LIMIT

    # Plain-Python evaluations of a selection, used for the reported figures and by tests.

    def value(self, proposal: Proposal) -> float:
        w = self.weights
        return (
            proposal.score
            + (w.joint if proposal.joint else 0.0)
            + (w.pathfinder if proposal.pathfinder else 0.0)
        )

    def objective(self, ids: list[str] | tuple[str, ...] | set[str]) -> float:
        chosen = [p for p in self.proposals if p.id in set(ids)]
        types = {t for p in chosen for t in p.org_types}
        regions = {r for p in chosen for r in p.regions}
        return (
            math.fsum(self.value(p) for p in chosen)
            + self.weights.org_type_coverage * len(types)
            + self.weights.region_coverage * len(regions)
        )

    def quotas(self) -> list[tuple[str, int, set[str]]]:
        """(quota name, minimum, ids of the proposals that meet it) for every quota."""
        out = []
        for theme, minimum in self.rules.min_per_theme.items():
            meets = {p.id for p in self.proposals if theme in p.themes}
            out.append((f"min_per_theme.{theme}", minimum, meets))
        for outcome, minimum in self.rules.min_per_outcome.items():
            meets = {p.id for p in self.proposals if outcome in p.outcomes}
            out.append((f"min_per_outcome.{outcome}", minimum, meets))
        return out

    def short(self, ids: list[str] | tuple[str, ...] | set[str]) -> list[Short]:
        chosen = set(ids)
        out: list[Short] = []
        for name, minimum, meets in self.quotas():
            missing = minimum - len(chosen & meets)
            if missing > 0:
                out.append({"quota": name, "missing": missing})
        return out

    def shortfall(self, ids: list[str] | tuple[str, ...] | set[str]) -> int:
        return sum(item["missing"] for item in self.short(ids))

    def target_size(self) -> int:
        excluded = set(self.rules.exclude)
        return min(self.seats, sum(1 for p in self.proposals if p.id not in excluded))


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Why one proposal is in or out.

    ``code`` is one of: ``selected``, ``included`` (selected, forced by ``include``),
    ``excluded``, ``cannot_fit`` (no selection with it keeps the hard rules), ``quota_cost``
    (with it the quotas fall further short), ``lower_objective``, ``tie`` (an equally good
    selection has it), ``no_swap`` (cheap mode: no single swap keeps the hard rules),
    ``time_limit`` (the solver stopped before a better selection with it) and ``no_solution``
    (the hard rules cannot hold at all, or no selection was found in time).

    ``forced_in_loss`` is the objective lost by the best selection that contains it (0 for a
    selected proposal, None when no selection with it keeps the hard rules or nothing is
    known); ``forced_in_exact`` says whether it comes from a proven re-solve (True) or is an
    upper bound from the best single swap (False). ``forced_in_extra_shortfall`` is how much
    further short the quotas would fall with it forced in.

    ``reason`` says the same as ``sentence`` as data, for callers that word it themselves (in
    another language, with names for the codes): always ``code``, then per code the figures
    and ids the sentence uses (see ``select_explain.py``). The command line's JSON leaves it
    out (its contract is the sentence); the selection pages use it.
    """

    id: str
    selected: bool
    code: str
    sentence: str
    forced_in_loss: float | None = None
    forced_in_exact: bool = True
    forced_in_extra_shortfall: int | None = None
    reason: dict[str, Any] = field(default_factory=dict)


@dataclass
class SelectResult:
    status: str  # optimal | quotas_short | feasible | infeasible | unknown
    selected: list[str]
    objective: float | None
    shortfall: int | None
    short: list[Short]
    explanations: dict[str, Explanation]
    conflicts: list[str] | None = None
    reason: str | None = None
    gap: float | None = None
    shortfall_bound: int | None = None
    scale: float = 1e6
    rounding_bound: float = 0.0

    @property
    def forced_in_loss(self) -> dict[str, float | None]:
        return {pid: e.forced_in_loss for pid, e in self.explanations.items()}

    @property
    def reason_codes(self) -> dict[str, str]:
        return {pid: e.code for pid, e in self.explanations.items()}
