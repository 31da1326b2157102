"""Reviewer assignment: give each proposal exactly ``reviewers_per_proposal`` distinct reviewers.

The contract is the **assign** section of DESIGN.md. In brief:

- affinity(r, p) is the ``affinity`` entry when given, else the sum over p's topics of r's
  expertise; a reviewer is in conflict with a proposal when the pair is listed in ``conflicts``
  or when they share an organisation;
- each proposal gets exactly k distinct reviewers, none in conflict, and each reviewer's load
  stays within [min_load, max_load];
- ``"total"`` maximises the sum of affinities; ``"fair"`` maximises the smallest per-proposal sum
  first, then the total;
- ``fixed`` (optional, an extension of the contract) lists [reviewer, proposal] pairs that must
  be in the assignment: reviews already done. A fixed pair is kept even when it is in conflict
  (the review exists; discarding it would lose it), and it counts in the loads and affinities.

How it is solved:

- ``"total"`` is a transportation problem: source -> reviewer (load range) -> proposal (one seat
  per pair) -> sink (exactly k). Lower bounds (min_load) become node supplies, so OR-Tools'
  min-cost flow answers it exactly, with a proof of optimality, in well under a second at
  500 x 100. Flows are integral, so the flow optimum is the integer optimum.
- ``"fair"`` is solved lexicographically on CP-SAT, in two phases. Phase 1 maximises z with
  z <= S_p for every proposal p (S_p its sum of affinities). z's domain is capped by the bound
  U = min over p of the best k eligible affinities of p (loads ignored), which is usually the
  answer: the solver then only has to find one assignment reaching U, and stops at once. When
  U cannot be reached, the solver proves the best z under U with its own LP bound. Phase 2
  fixes S_p >= z* and maximises the total; when the min-cost-flow optimum for ``"total"``
  already has every S_p >= z*, it is optimal for phase 2 as well (phase 2 only adds
  constraints to that problem), so no search is needed. Otherwise CP-SAT searches, hinted with
  the phase-1 assignment and bounded above by the flow optimum.
- Affinities are real numbers. They are multiplied by the smallest power of ten (up to 10^6)
  that makes every one a whole number, so decimal inputs are solved exactly; other inputs are
  scaled by a large power of two and rounded. The reported figures are always recomputed in
  floating point from the chosen assignment.
- Infeasibility is explained before any search: proposals with fewer than k reviewers free of
  conflicts (``uncovered``), and otherwise the load ranges (``reason``): total capacity, total
  minimum loads, a reviewer whose minimum cannot be met, or a Hall-type shortage found as a
  minimum cut in a max-flow network.

The input, the output and the index form live in ``assign_problem.py``, the LP relaxation and
the LP-guided repair in ``assign_lp.py``; this module parses, solves and writes the JSON.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model

from .assign_lp import Relaxation, mip_total, repair
from .assign_problem import (
    DEFAULT_TIME_LIMIT,
    AssignProblem,
    AssignResult,
    Instance,
    Pair,
    Proposal,
    Reviewer,
)
from .validation import (
    InputError,
    array,
    identifier,
    known_id,
    number,
    obj,
    string,
    strings,
    unique_ids,
    whole,
)

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "OBJECTIVES",
    "AssignProblem",
    "AssignResult",
    "Proposal",
    "Reviewer",
    "parse",
    "solve",
    "solve_json",
]

OBJECTIVES = ("total", "fair")


def parse(data: Any) -> AssignProblem:
    """Check ``data`` against the contract and build the problem; InputError names the fault."""
    obj(
        data,
        "input",
        required=("reviewers_per_proposal", "reviewers", "proposals"),
        optional=("objective", "conflicts", "affinity", "fixed", "time_limit_seconds"),
    )
    k = whole(data["reviewers_per_proposal"], "reviewers_per_proposal", minimum=1)

    reviewers = [
        _reviewer(item, f"reviewers[{i}]")
        for i, item in enumerate(array(data["reviewers"], "reviewers"))
    ]
    unique_ids((r.id for r in reviewers), "reviewers")
    proposals = [
        _proposal(item, f"proposals[{i}]")
        for i, item in enumerate(array(data["proposals"], "proposals"))
    ]
    unique_ids((p.id for p in proposals), "proposals")
    reviewer_ids = {r.id for r in reviewers}
    proposal_ids = {p.id for p in proposals}

    conflicts: set[tuple[str, str]] = set()
    for i, pair in enumerate(array(data.get("conflicts", []), "conflicts")):
        where = f"conflicts[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{where}: expected a pair [reviewer id, proposal id]")
        rid = known_id(identifier(pair[0], f"{where}[0]"), reviewer_ids, f"{where}[0]", "reviewer")
        pid = known_id(identifier(pair[1], f"{where}[1]"), proposal_ids, f"{where}[1]", "proposal")
        conflicts.add((rid, pid))

    fixed: set[tuple[str, str]] = set()
    for i, pair in enumerate(array(data.get("fixed", []), "fixed")):
        where = f"fixed[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{where}: expected a pair [reviewer id, proposal id]")
        rid = known_id(identifier(pair[0], f"{where}[0]"), reviewer_ids, f"{where}[0]", "reviewer")
        pid = known_id(identifier(pair[1], f"{where}[1]"), proposal_ids, f"{where}[1]", "proposal")
        if (rid, pid) in fixed:
            raise InputError(f"{where}: duplicate pair [{rid!r}, {pid!r}]")
        fixed.add((rid, pid))

    affinity: dict[str, dict[str, float]] = {}
    for rid, row in _mapping(data.get("affinity", {}), "affinity").items():
        known_id(rid, reviewer_ids, "affinity", "reviewer")
        row = _mapping(row, f"affinity.{rid}")
        for pid in row:
            known_id(pid, proposal_ids, f"affinity.{rid}", "proposal")
        affinity[rid] = {pid: number(v, f"affinity.{rid}.{pid}") for pid, v in row.items()}

    objective = string(data.get("objective", "total"), "objective")
    if objective not in OBJECTIVES:
        raise InputError(f'objective: expected "total" or "fair", got {objective!r}')

    limit = DEFAULT_TIME_LIMIT
    if "time_limit_seconds" in data:
        limit = number(data["time_limit_seconds"], "time_limit_seconds")
        if limit <= 0:
            raise InputError(f"time_limit_seconds: expected a number > 0, got {limit:g}")

    return AssignProblem(k, reviewers, proposals, conflicts, affinity, objective, limit, fixed)


def _reviewer(item: Any, where: str) -> Reviewer:
    obj(
        item,
        where,
        required=("id",),
        optional=("organisations", "min_load", "max_load", "expertise"),
    )
    rid = identifier(item["id"], f"{where}.id")
    organisations = tuple(strings(item.get("organisations", []), f"{where}.organisations"))
    min_load = whole(item.get("min_load", 0), f"{where}.min_load", minimum=0)
    max_load = None
    if "max_load" in item:
        max_load = whole(item["max_load"], f"{where}.max_load", minimum=1)
        if max_load < min_load:
            raise InputError(
                f"{where}.max_load: expected a whole number >= min_load ({min_load}), "
                f"got {max_load}"
            )
    expertise = _mapping(item.get("expertise", {}), f"{where}.expertise")
    topics = {topic: number(v, f"{where}.expertise.{topic}") for topic, v in expertise.items()}
    return Reviewer(rid, organisations, min_load, max_load, topics)


def _proposal(item: Any, where: str) -> Proposal:
    obj(item, where, required=("id",), optional=("organisations", "topics"))
    pid = identifier(item["id"], f"{where}.id")
    organisations = tuple(strings(item.get("organisations", []), f"{where}.organisations"))
    # A topic listed twice counts once: the topics are a set.
    topics = tuple(dict.fromkeys(strings(item.get("topics", []), f"{where}.topics")))
    return Proposal(pid, organisations, topics)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    """A JSON object with any keys (checked by the caller)."""
    if not isinstance(value, dict):
        return obj(value, where)  # raises "expected an object"
    return value


def solve_json(data: Any) -> dict[str, Any]:
    return solve(parse(data)).to_json()


# --------------------------------------------------------------------------------------------
# Solving


def solve(problem: AssignProblem) -> AssignResult:
    started = time.monotonic()
    inst = Instance(problem)
    if inst.P == 0:
        return _result(inst, "optimal", [])

    why = _diagnose(inst)
    if why is not None:
        return why

    flow = _min_cost_flow(inst)
    if flow is None:
        return _load_shortage(inst)
    if problem.objective == "total":
        return _result(inst, "optimal", flow)
    deadline = started + problem.time_limit_seconds
    return _solve_fair(inst, flow, deadline)


def _result(
    inst: Instance, status: str, pairs: list[tuple[int, int]], **extra: Any
) -> AssignResult:
    problem = inst.problem
    chosen: list[list[str]] = [[] for _ in range(inst.P)]
    sums = [0.0] * inst.P
    loads = [0] * inst.R
    for r, p in pairs:
        chosen[p].append(problem.reviewers[r].id)
        sums[p] += inst.aff[r, p]
        loads[r] += 1
    return AssignResult(
        status=status,
        assignment={prop.id: sorted(chosen[p]) for p, prop in enumerate(problem.proposals)},
        total_affinity=float(sum(sums)),
        min_proposal_affinity=float(min(sums, default=0.0)),
        loads={rev.id: loads[r] for r, rev in enumerate(problem.reviewers)},
        **extra,
    )


# --- Infeasibility ----------------------------------------------------------------------------


def _names(ids: list[str], most: int = 10) -> str:
    if len(ids) <= most:
        return ", ".join(ids)
    return f"{', '.join(ids[:most])} and {len(ids) - most} more"


def _diagnose(inst: Instance) -> AssignResult | None:
    """The reasons that need no search: per proposal, then totals, then per reviewer."""
    problem, k = inst.problem, inst.k
    uncovered: dict[str, str] = {}
    for p, proposal in enumerate(problem.proposals):
        if inst.fixed_of_p[p] > k:
            uncovered[proposal.id] = (
                f"needs {k} reviewers, but {inst.fixed_of_p[p]} are fixed (listed in fixed)"
            )
            continue
        free = inst.eligible[p]
        if len(free) < k:
            if not free:
                uncovered[proposal.id] = f"needs {k} reviewers, none is free of conflicts"
            else:
                ids = [problem.reviewers[r].id for r in free]
                uncovered[proposal.id] = (
                    f"needs {k} reviewers, only {len(free)} "
                    f"{'is' if len(free) == 1 else 'are'} free of conflicts: {_names(ids)}"
                )
    if uncovered:
        return AssignResult("infeasible", uncovered=uncovered)

    for r, reviewer in enumerate(problem.reviewers):
        if inst.fixed_of_r[r] > inst.hi[r]:
            return AssignResult(
                "infeasible",
                reason=(
                    f"reviewer {reviewer.id} has {inst.fixed_of_r[r]} fixed proposals, more "
                    f"than their max_load {inst.hi[r]}"
                ),
            )
    capacity = sum(min(inst.hi[r], len(inst.open[r])) for r in range(inst.R))
    if capacity < inst.needed:
        return AssignResult(
            "infeasible",
            reason=(
                f"{inst.P} proposals x {k} reviewers need {inst.needed} reviews, but the reviewers "
                f"can take at most {capacity} in total (max_load, counting only proposals free "
                "of conflicts)"
            ),
        )
    floor = sum(inst.lo)
    if floor > inst.needed:
        return AssignResult(
            "infeasible",
            reason=(
                f"the reviewers' min_load add up to {floor} reviews, but {inst.P} proposals x "
                f"{k} reviewers need only {inst.needed}"
            ),
        )
    for r, reviewer in enumerate(problem.reviewers):
        if inst.lo[r] > len(inst.open[r]):
            return AssignResult(
                "infeasible",
                reason=(
                    f"reviewer {reviewer.id} has min_load {inst.lo[r]}, but only "
                    f"{len(inst.open[r])} proposals are free of conflicts with them"
                ),
            )
    return None


def _load_shortage(inst: Instance) -> AssignResult:
    """The load ranges cannot hold together: find the set at fault as a minimum cut."""
    problem, k = inst.problem, inst.k

    # Upper side: proposals that, together, cannot get their k reviewers within max_load.
    cut, deficit = _cut(inst, [inst.hi[r] for r in range(inst.R)], inst.needed)
    if cut is not None:
        group = [p for p in range(inst.P) if (1 + inst.R + p) not in cut]
        ids = [problem.proposals[p].id for p in group]
        can = deficit - k * (inst.P - len(group))
        return AssignResult(
            "infeasible",
            reason=(
                f"proposals {_names(ids)} need {k * len(group)} reviews together, but the "
                f"reviewers free of conflicts with them can give at most {can} within their "
                "max_load"
            ),
        )
    # Lower side: reviewers that, together, cannot reach their min_load.
    cut, deficit = _cut(inst, inst.lo, sum(inst.lo))
    if cut is not None:
        group = [r for r in range(inst.R) if (1 + r) in cut and inst.lo[r] > 0]
        ids = [problem.reviewers[r].id for r in group]
        return AssignResult(
            "infeasible",
            reason=(
                f"reviewers {_names(ids)} must review at least {sum(inst.lo[r] for r in group)} "
                "proposals together (min_load), but the proposals free of conflicts with them "
                f"can take fewer of their reviews ({k} reviewers each)"
            ),
        )
    return AssignResult(
        "infeasible",
        reason="the reviewers' load ranges [min_load, max_load] cannot all hold together",
    )


def _cut(inst: Instance, reviewer_caps: list[int], wanted: int) -> tuple[set[int] | None, int]:
    """Max flow source -> reviewer (cap) -> proposal (1) -> sink (k); when it falls short of
    ``wanted``, the source side of a minimum cut and the cut's value."""
    solver = max_flow.SimpleMaxFlow()
    source, sink = 0, 1 + inst.R + inst.P
    for r in range(inst.R):
        solver.add_arc_with_capacity(source, 1 + r, reviewer_caps[r])
    for r, p in inst.aff:
        solver.add_arc_with_capacity(1 + r, 1 + inst.R + p, 1)
    for p in range(inst.P):
        solver.add_arc_with_capacity(1 + inst.R + p, sink, inst.k)
    if solver.solve(source, sink) != solver.OPTIMAL:  # pragma: no cover - capacities are small
        return None, 0
    value = solver.optimal_flow()
    if value >= wanted:
        return None, value
    return set(solver.get_source_side_min_cut()), value


# --- "total": min-cost flow -------------------------------------------------------------------


def _min_cost_flow(inst: Instance) -> list[tuple[int, int]] | None:
    """The assignment of largest total affinity, or None when the loads cannot hold."""
    solver = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1 + inst.R + inst.P
    floor = sum(inst.lo)
    # min_load as a lower bound: reviewer r receives lo[r] straight from the node supplies.
    solver.set_node_supply(source, inst.needed - floor)
    solver.set_node_supply(sink, -inst.needed)
    # A fixed pair is an arc with lower bound 1 = capacity: no arc, one unit of supply moved
    # from the reviewer to the proposal.
    for r in range(inst.R):
        solver.set_node_supply(1 + r, inst.lo[r] - inst.fixed_of_r[r])
        if inst.hi[r] > inst.lo[r]:
            solver.add_arc_with_capacity_and_unit_cost(source, 1 + r, inst.hi[r] - inst.lo[r], 0)
    for p in range(inst.P):
        if inst.fixed_of_p[p]:
            solver.set_node_supply(1 + inst.R + p, inst.fixed_of_p[p])
    pairs = [pair for pair in inst.aff if pair not in inst.fixed]
    arcs = [
        solver.add_arc_with_capacity_and_unit_cost(1 + r, 1 + inst.R + p, 1, -inst.cost[r, p])
        for r, p in pairs
    ]
    for p in range(inst.P):
        solver.add_arc_with_capacity_and_unit_cost(1 + inst.R + p, sink, inst.k, 0)
    status = solver.solve()
    if status == solver.INFEASIBLE:
        return None
    if status != solver.OPTIMAL:  # pragma: no cover - the scale keeps costs in range
        raise RuntimeError(f"min-cost flow failed with status {status}")
    chosen = [pair for pair, arc in zip(pairs, arcs, strict=True) if solver.flow(arc) > 0]
    return chosen + sorted(inst.fixed)


# --- "fair": lexicographic, LP-guided, CP-SAT -------------------------------------------------

# From this many eligible pairs on, the LP relaxation guides the search (below it, CP-SAT alone
# proves the answer in milliseconds).
_LP_FROM = 3000


def _solve_fair(inst: Instance, best_total: list[Pair], deadline: float) -> AssignResult:
    """Phase 1: the largest minimum z*; phase 2: the largest total with every sum >= z*.

    Bounds on z: each proposal's k best eligible affinities, then (large instances) the LP
    relaxation, tightened by threshold LPs that drop the pairs no assignment with min >= t can
    use. Assignments: the total-optimal flow, then an LP-guided repair (the LP's fractional
    proposals and some neighbours re-solved on CP-SAT, the rest kept), then CP-SAT on the
    whole model, hinted and bounded, for whatever is still open."""
    lower = min(_sums(inst, best_total))
    upper = min(_best_sum(inst, p) for p in range(inst.P))
    if lower >= upper:  # the total-optimal assignment already reaches the bound: optimal twice
        return _result(inst, "optimal", best_total)
    fair = _Fair(
        lower=lower,
        upper=upper,
        incumbent=best_total,
        # Phase 2 only adds constraints to the "total" problem.
        total_bound=sum(inst.cost[pair] for pair in best_total),
    )
    if len(inst.aff) >= _LP_FROM:
        _bound_min_by_lp(inst, fair, deadline)
    if fair.lower < fair.upper:
        unproven = _maximise_min(inst, fair, deadline)
        if unproven is not None:
            return unproven
    return _maximise_total(inst, fair, best_total, deadline)


@dataclass
class _Fair:
    """What is known while solving "fair", in scaled integers: the largest minimum z lies in
    [``lower``, ``upper``], ``incumbent`` reaches ``lower``, no assignment with min >= z* has a
    total above ``total_bound``; ``lp_total_at``: threshold t -> LP bound on the total with
    min >= t."""

    lower: int
    upper: int
    incumbent: list[Pair]
    total_bound: int
    lp_total_at: dict[int, int] = field(default_factory=dict)


def _bound_min_by_lp(inst: Instance, fair: _Fair, deadline: float) -> None:
    """Lower ``upper`` to the LP relaxation's bound, then try the LP-guided repair at it."""
    lp = Relaxation(inst)
    fair.upper = min(fair.upper, lp.max_min())
    while fair.lower < fair.upper and time.monotonic() < deadline:
        t = fair.upper
        keep = _usable_pairs(inst, t)
        relaxed = lp.threshold(t, keep)
        if relaxed is None:  # no fractional assignment reaches t: neither does any other
            fair.upper = t - 1
            continue
        values, lp_total = relaxed
        fair.lp_total_at[t] = lp_total
        found = repair(inst, t, keep, values, deadline)
        if found is not None and _fits(inst, found, t):
            fair.lower, fair.incumbent = t, found
        break


def _maximise_min(inst: Instance, fair: _Fair, deadline: float) -> AssignResult | None:
    """Phase 1 on CP-SAT: maximise z over [lower, upper], from the best assignment known.
    None when z* is proven (``lower`` holds it); else the "feasible" answer with its gap."""
    cost = inst.cost
    keep = _usable_pairs(inst, fair.lower)
    model, x = _model(inst, keep)
    z = model.new_int_var(fair.lower, fair.upper, "z")
    for p in range(inst.P):
        model.add(sum(cost[r, p] * x[r, p] for r in _of(x, inst, p)) >= z)
    model.maximize(z)
    _hint(model, x, fair.incumbent)
    status, solver = _run(model, deadline, len(x))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fair.incumbent = _pairs(solver, x)
        fair.lower = int(round(solver.objective_value))
    if status == cp_model.OPTIMAL:
        fair.upper = fair.lower
        return None
    if status == cp_model.FEASIBLE:
        fair.upper = min(fair.upper, math.floor(solver.best_objective_bound + 1e-6))
    return _result(
        inst, "feasible", fair.incumbent,
        gap=(fair.upper - fair.lower) / inst.scale, gap_objective="min_proposal_affinity",
    )  # fmt: skip


def _maximise_total(
    inst: Instance, fair: _Fair, best_total: list[Pair], deadline: float
) -> AssignResult:
    """Phase 2: z* = lower is proven. The largest total with every proposal's sum >= z*:
    the total-optimal flow or the incumbent when they reach the bound, else HiGHS (large
    instances), then CP-SAT."""
    cost = inst.cost
    zstar = fair.lower
    if min(_sums(inst, best_total)) >= zstar:
        return _result(inst, "optimal", best_total)
    incumbent, total_bound = fair.incumbent, fair.total_bound
    if zstar in fair.lp_total_at:
        total_bound = min(total_bound, fair.lp_total_at[zstar])
    value = sum(cost[pair] for pair in incumbent)
    if value >= total_bound:
        return _result(inst, "optimal", incumbent)
    keep = _usable_pairs(inst, zstar)
    if len(inst.aff) >= _LP_FROM:
        found, bound = mip_total(inst, zstar, keep, deadline)
        total_bound = min(total_bound, bound)
        if found is not None and _fits(inst, found, zstar):
            found_value = sum(cost[pair] for pair in found)
            if found_value > value:
                incumbent, value = found, found_value
        if value >= total_bound:
            return _result(inst, "optimal", incumbent)
    model, x = _model(inst, keep)
    for p in range(inst.P):
        model.add(sum(cost[r, p] * x[r, p] for r in _of(x, inst, p)) >= zstar)
    total = sum(cost[pair] * var for pair, var in x.items())
    model.add(total <= total_bound)
    model.maximize(total)
    _hint(model, x, incumbent)
    status, solver = _run(model, deadline, len(x))
    if status == cp_model.OPTIMAL:
        return _result(inst, "optimal", _pairs(solver, x))
    if status == cp_model.FEASIBLE and solver.objective_value > value:
        incumbent, value = _pairs(solver, x), int(round(solver.objective_value))
    if status == cp_model.FEASIBLE:
        total_bound = min(total_bound, math.floor(solver.best_objective_bound + 1e-6))
    if value >= total_bound:
        return _result(inst, "optimal", incumbent)
    return _result(
        inst, "feasible", incumbent,
        gap=(total_bound - value) / inst.scale, gap_objective="total_affinity",
    )  # fmt: skip


def _best_sum(inst: Instance, p: int) -> int:
    """The largest sum proposal p can have, loads ignored: its fixed pairs and the best of the
    others for the seats left."""
    kept = sum(inst.cost[r, p] for r in inst.eligible[p] if (r, p) in inst.fixed)
    others = sorted(
        (inst.cost[r, p] for r in inst.eligible[p] if (r, p) not in inst.fixed), reverse=True
    )
    return kept + sum(others[: inst.k - inst.fixed_of_p[p]])


def _fits(inst: Instance, pairs: list[tuple[int, int]], t: int) -> bool:
    """Checked in integers: k distinct eligible reviewers each, loads in range, sums >= t."""
    if len(set(pairs)) != len(pairs) or any(pair not in inst.cost for pair in pairs):
        return False
    if not inst.fixed <= set(pairs):
        return False
    seats, loads = [0] * inst.P, [0] * inst.R
    for r, p in pairs:
        seats[p] += 1
        loads[r] += 1
    return (
        all(n == inst.k for n in seats)
        and all(inst.lo[r] <= loads[r] <= inst.hi[r] for r in range(inst.R))
        and min(_sums(inst, pairs)) >= t
    )


def _usable_pairs(inst: Instance, t: int) -> list[tuple[int, int]]:
    """The eligible pairs that can be part of an assignment where every proposal's sum is at
    least t: a(r, p) plus p's k-1 best other affinities must reach t."""
    keep = []
    for p in range(inst.P):
        ranked = sorted(((inst.cost[r, p], r) for r in inst.eligible[p]), reverse=True)
        top = [c for c, _ in ranked[: inst.k]]
        best_k = sum(top)
        for c, r in ranked:
            # The k-1 best others: the top k without r when r is in it, else the top k-1.
            others = best_k - c if c >= top[-1] else best_k - top[-1]
            if c + others >= t or (r, p) in inst.fixed:
                keep.append((r, p))
    return keep


def _of(x: dict[Pair, cp_model.IntVar], inst: Instance, p: int) -> list[int]:
    return [r for r in inst.eligible[p] if (r, p) in x]


def _sums(inst: Instance, pairs: list[tuple[int, int]]) -> list[int]:
    sums = [0] * inst.P
    for r, p in pairs:
        sums[p] += inst.cost[r, p]
    return sums


def _model(
    inst: Instance, pairs: list[tuple[int, int]]
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar]]:
    model = cp_model.CpModel()
    x = {pair: model.new_bool_var(f"x{pair[0]}_{pair[1]}") for pair in pairs}
    by_p: list[list[cp_model.IntVar]] = [[] for _ in range(inst.P)]
    by_r: list[list[cp_model.IntVar]] = [[] for _ in range(inst.R)]
    for (r, p), var in x.items():
        by_p[p].append(var)
        by_r[r].append(var)
    for p in range(inst.P):
        model.add(sum(by_p[p]) == inst.k)
    for pair in inst.fixed:
        model.add(x[pair] == 1)
    for r in range(inst.R):
        if inst.lo[r] > 0 or inst.hi[r] < len(by_r[r]):
            model.add_linear_constraint(sum(by_r[r]), inst.lo[r], inst.hi[r])
    return model, x


def _hint(
    model: cp_model.CpModel, x: dict[Pair, cp_model.IntVar], pairs: list[tuple[int, int]]
) -> None:
    chosen = set(pairs)
    for pair, var in x.items():
        model.add_hint(var, pair in chosen)


def _run(
    model: cp_model.CpModel, deadline: float, size: int, cap: float | None = None
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    left = max(0.01, deadline - time.monotonic())
    solver.parameters.max_time_in_seconds = left if cap is None else min(left, cap)
    # Small models: one worker is quickest and deterministic; large ones: the full portfolio.
    solver.parameters.num_workers = 1 if size <= 400 else 8
    return solver.solve(model), solver


def _pairs(solver: cp_model.CpSolver, x: dict[Pair, cp_model.IntVar]) -> list[tuple[int, int]]:
    return [pair for pair, var in x.items() if solver.boolean_value(var)]
