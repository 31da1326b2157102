"""``deepdive select``: pick the series' webinars from scored proposals (DESIGN.md, **select**).

Plain dataclasses in and out, OR-Tools CP-SAT underneath, no Django import.

- :func:`parse` checks the JSON input against the contract and builds a :class:`SelectProblem`.
- :func:`solve` answers it with a :class:`SelectResult`; :func:`solve_json` is the JSON layer
  used by ``deepdive select``.

How it is solved (the model lives in ``select_model.py``, the explanations in
``select_explain.py``):

- One boolean per proposal. Hard rules are linear constraints, grouped by rule name (``seats``,
  ``include``, ``exclude``, ``max_per_organisation``, ``max_per_lead_org_type``,
  ``max_per_region``) so that any group can be left out when looking for conflicts.
- Lexicographic order by two solves: first minimise the quota shortfall; then fix
  shortfall <= that minimum and maximise the objective, hinted with the first answer.
- CP-SAT works on integers: every value(p) and both coverage weights are multiplied by
  ``scale`` (10^6, or a smaller power of ten if the numbers are huge) and rounded. Each term is
  then off by at most 0.5/scale, so for any selection the integer objective / scale is within
  ``E = (seats + covered org types + covered regions) * 0.5 / scale`` of the real objective, and
  the selection returned is optimal for the real objective up to ``2E`` (about 2e-5 for 12 seats
  and a few dozen types and regions; exact when scores and weights have at most six decimals).
  The reported objective is always recomputed in floating point from the chosen set.
- Infeasible: the rule groups at fault are the union of all minimal subsets of the active rule
  groups that are infeasible on their own (each found by feasibility solves with the other
  groups left out), with a sentence built from what each minimal conflict is.
- Explanations: every proposal gets a sentence and a reason code. For a proposal left out, the
  answer is re-solved (lexicographically) with it forced in, for up to ``EXACT_EXPLAIN_LIMIT``
  proposals; beyond that, or when the time limit runs short, a cheaper bound is given instead:
  the best single swap with a selected proposal (an upper bound on the loss), said as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .validation import (
    InputError,
    array,
    boolean,
    identifier,
    known_id,
    number,
    obj,
    unique_ids,
    whole,
)

RULE_NAMES = (
    "seats",
    "include",
    "exclude",
    "max_per_organisation",
    "max_per_lead_org_type",
    "max_per_region",
)

DEFAULT_TIME_LIMIT = 60.0


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

    def short(self, ids: list[str] | tuple[str, ...] | set[str]) -> list[dict[str, Any]]:
        chosen = set(ids)
        out = []
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
    short: list[dict[str, Any]]
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


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

_PROPOSAL_KEYS = (
    "organisations",
    "org_types",
    "lead_org_type",
    "regions",
    "themes",
    "outcomes",
    "pathfinder",
)
_RULE_KEYS = (
    "min_per_theme",
    "min_per_outcome",
    "max_per_organisation",
    "max_per_lead_org_type",
    "max_per_region",
    "include",
    "exclude",
)


def _ids(value: Any, where: str) -> tuple[str, ...]:
    return tuple(identifier(item, f"{where}[{i}]") for i, item in enumerate(array(value, where)))


def _proposal(value: Any, where: str) -> Proposal:
    obj(value, where, required=("id", "score"), optional=_PROPOSAL_KEYS)
    lead = value.get("lead_org_type")
    outcomes = array(value.get("outcomes", []), f"{where}.outcomes")
    return Proposal(
        id=identifier(value["id"], f"{where}.id"),
        score=number(value["score"], f"{where}.score"),
        organisations=_ids(value.get("organisations", []), f"{where}.organisations"),
        org_types=_ids(value.get("org_types", []), f"{where}.org_types"),
        lead_org_type=None if lead is None else identifier(lead, f"{where}.lead_org_type"),
        regions=_ids(value.get("regions", []), f"{where}.regions"),
        themes=_ids(value.get("themes", []), f"{where}.themes"),
        outcomes=tuple(
            whole(item, f"{where}.outcomes[{i}]", minimum=1) for i, item in enumerate(outcomes)
        ),
        pathfinder=boolean(value.get("pathfinder", False), f"{where}.pathfinder"),
    )


def _weights(value: Any) -> Weights:
    keys = ("joint", "pathfinder", "org_type_coverage", "region_coverage")
    obj(value, "weights", optional=keys)
    defaults = Weights()
    return Weights(
        **{
            key: number(value[key], f"weights.{key}", minimum=0)
            if key in value
            else getattr(defaults, key)
            for key in keys
        }
    )


def _minimums(value: Any, where: str) -> dict[str, int]:
    obj(value, where, optional=value.keys() if isinstance(value, dict) else ())
    out = {}
    for key, minimum in value.items():
        if not key:
            raise InputError(f"{where}: expected non-empty keys, got the empty string")
        out[key] = whole(minimum, f"{where}.{key}", minimum=0)
    return out


def _rules(value: Any, ids: set[str]) -> Rules:
    obj(value, "rules", optional=_RULE_KEYS)
    themes = _minimums(value.get("min_per_theme", {}), "rules.min_per_theme")
    outcomes: dict[int, int] = {}
    for key, minimum in _minimums(
        value.get("min_per_outcome", {}), "rules.min_per_outcome"
    ).items():
        if not (key.isascii() and key.isdigit()):
            raise InputError(
                f"rules.min_per_outcome: key {key!r} is not an Outcome number "
                '(expected digits, such as "1" for Outcome 1)'
            )
        number_ = int(key)
        if number_ < 1:
            raise InputError(
                f"rules.min_per_outcome: key {key!r} is not an Outcome number (they start at 1)"
            )
        if number_ in outcomes:
            raise InputError(f"rules.min_per_outcome: Outcome {number_} is given twice ({key!r})")
        outcomes[number_] = minimum
    caps = {}
    for key in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        caps[key] = None if key not in value else whole(value[key], f"rules.{key}", minimum=1)
    lists = {}
    for key in ("include", "exclude"):
        items = _ids(value.get(key, []), f"rules.{key}")
        unique_ids(items, f"rules.{key}")
        for i, item in enumerate(items):
            known_id(item, ids, f"rules.{key}[{i}]", "proposal")
        lists[key] = items
    return Rules(min_per_theme=themes, min_per_outcome=outcomes, **caps, **lists)


def parse(data: Any) -> SelectProblem:
    """Check ``data`` (parsed JSON) against the contract; raise InputError naming the fault."""
    obj(
        data,
        "input",
        required=("seats", "proposals"),
        optional=("weights", "rules", "time_limit_seconds"),
    )
    seats = whole(data["seats"], "seats", minimum=1)
    raw = array(data["proposals"], "proposals")
    proposals = tuple(_proposal(item, f"proposals[{i}]") for i, item in enumerate(raw))
    unique_ids((p.id for p in proposals), "proposals")
    weights = _weights(data.get("weights", {}))
    rules = _rules(data.get("rules", {}), {p.id for p in proposals})
    limit = DEFAULT_TIME_LIMIT
    if "time_limit_seconds" in data:
        limit = number(data["time_limit_seconds"], "time_limit_seconds", minimum=0)
        if limit <= 0:
            raise InputError(f"time_limit_seconds: expected a number > 0, got {limit:g}")
    return SelectProblem(
        seats=seats, proposals=proposals, weights=weights, rules=rules, time_limit_seconds=limit
    )


# ---------------------------------------------------------------------------------------------
# Solving and JSON
# ---------------------------------------------------------------------------------------------


def solve(problem: SelectProblem) -> SelectResult:
    from .select_model import solve_problem

    return solve_problem(problem)


def to_json(result: SelectResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": result.status,
        "selected": list(result.selected),
        "objective": None if result.objective is None else round(result.objective, 9),
        "shortfall": result.shortfall,
        "short": [dict(item) for item in result.short],
        "explanations": {pid: e.sentence for pid, e in result.explanations.items()},
    }
    if result.conflicts is not None:
        out["conflicts"] = list(result.conflicts)
        out["reason"] = result.reason
    elif result.reason is not None:
        out["reason"] = result.reason
    if result.gap is not None:
        out["gap"] = round(result.gap, 9)
    if result.status == "feasible" and result.shortfall_bound is not None:
        out["shortfall_bound"] = result.shortfall_bound
    return out


def solve_json(data: Any) -> dict[str, Any]:
    return to_json(solve(parse(data)))
