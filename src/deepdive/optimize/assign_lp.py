"""LP relaxation and LP-guided repair for the ``"fair"`` objective of ``deepdive assign``.

The relaxation of "every proposal's sum >= z" over the transportation polytope is tight on the
instances the series meets (random 500 x 100 instances: the LP's max-min equals the integer
one), and its optimal vertices are almost integral: a few dozen proposals carry fractional
values. So the LP gives the bound, and a small CP-SAT model over those proposals (plus a
growing set of neighbours, everything else fixed) turns the vertex into an assignment.

Bounds are read from GLOP with a tolerance in the safe direction (a bound is rounded up, never
down), so floating-point noise can cost a proof but never make a wrong one.
"""

from __future__ import annotations

import math
import random
import time

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .assign_problem import Instance, Pair


def _slack(value: float) -> float:
    return 1e-4 + 1e-6 * abs(value)


class _LP:
    """max z (or the total) over the fractional assignments using only ``pairs``."""

    def __init__(self, inst: Instance, pairs: list[Pair]):
        self.inst = inst
        self.pairs = pairs
        solver = pywraplp.Solver.CreateSolver("GLOP")
        self.solver = solver
        # A fixed pair is in every assignment: its variable is 1.
        self.x = [solver.NumVar(1.0 if pair in inst.fixed else 0.0, 1.0, "") for pair in pairs]
        biggest = sum(abs(c) for c in inst.cost.values()) + 1.0
        self.z = solver.NumVar(-biggest, biggest, "z")
        seats = [solver.Constraint(inst.k, inst.k) for _ in range(inst.P)]
        sums = [solver.Constraint(0.0, solver.infinity()) for _ in range(inst.P)]
        loads = [solver.Constraint(inst.lo[r], inst.hi[r]) for r in range(inst.R)]
        for var, (r, p) in zip(self.x, pairs, strict=True):
            seats[p].SetCoefficient(var, 1)
            sums[p].SetCoefficient(var, inst.cost[r, p])
            loads[r].SetCoefficient(var, 1)
        for p in range(inst.P):
            sums[p].SetCoefficient(self.z, -1)

    def max_min(self) -> float | None:
        """The LP's largest minimum, or None when no fractional assignment exists."""
        objective = self.solver.Objective()
        objective.Clear()
        objective.SetCoefficient(self.z, 1)
        objective.SetMaximization()
        self.z.SetBounds(-self.solver.infinity(), self.solver.infinity())
        status = self.solver.Solve()
        if status == pywraplp.Solver.INFEASIBLE:
            return None
        if status != pywraplp.Solver.OPTIMAL:
            return math.inf  # no bound learnt
        return float(objective.Value())

    def max_total(self, t: float) -> tuple[dict[Pair, float], float] | None:
        """The LP's largest total with every proposal's sum >= t, and its solution."""
        objective = self.solver.Objective()
        objective.Clear()
        for var, pair in zip(self.x, self.pairs, strict=True):
            objective.SetCoefficient(var, self.inst.cost[pair])
        objective.SetMaximization()
        self.z.SetBounds(t, t)
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        values = {pair: var.solution_value() for var, pair in zip(self.x, self.pairs, strict=True)}
        return values, objective.Value()


class Relaxation:
    def __init__(self, inst: Instance):
        self.inst = inst

    def max_min(self) -> int:
        """An upper bound on the largest minimum (scaled integers)."""
        value = _LP(self.inst, list(self.inst.aff)).max_min()
        if value is None or value == math.inf:
            return 2**62
        return math.floor(value + _slack(value))

    def threshold(self, t: int, keep: list[Pair]) -> tuple[dict[Pair, float], int] | None:
        """None when no assignment can have every sum >= t (proven on the LP over the pairs
        that such an assignment could use); else the LP solution of largest total with every
        sum >= t, and the bound it gives on that total."""
        lp = _LP(self.inst, keep)
        best = lp.max_min()
        if best is None or best + _slack(best) < t:
            return None
        # Ask for slightly less than t, so rounding in the LP cannot make it infeasible: the
        # total it returns is still a valid bound for the integer problem.
        answer = lp.max_total(min(t, best) - _slack(t) if best != math.inf else t)
        if answer is None:
            return {}, 2**62
        values, total = answer
        return values, math.floor(total + _slack(total))


def repair(
    inst: Instance, t: int, keep: list[Pair], values: dict[Pair, float], deadline: float
) -> list[Pair] | None:
    """An assignment with every proposal's sum >= t, built from the LP solution ``values``:
    proposals the LP leaves fractional, plus growing sets of neighbours, are re-solved on
    CP-SAT (largest total); the others keep the LP's integral choice."""
    if not values:
        return None
    eps = 1e-6
    fractional = {p for pair, v in values.items() if eps < v < 1 - eps for p in [pair[1]]}
    integral = [pair for pair, v in values.items() if v >= 1 - eps]
    if not fractional:
        return integral
    rng = random.Random(8_7)
    involved = {r for (r, p), v in values.items() if p in fractional and v > eps}
    near = sorted({p for r, p in integral if r in involved and p not in fractional})
    rng.shuffle(near)
    others = sorted(set(range(inst.P)) - fractional - set(near))
    rng.shuffle(others)
    order = near + others
    by_p: dict[int, list[int]] = {}
    for r, p in keep:
        by_p.setdefault(p, []).append(r)
    for extra in (0, 50, 150, 300, inst.P):
        if time.monotonic() >= deadline:
            return None
        free = fractional | set(order[:extra])
        used = [0] * inst.R
        for r, p in integral:
            if p not in free:
                used[r] += 1
        model = cp_model.CpModel()
        x = {(r, p): model.new_bool_var("") for p in free for r in by_p.get(p, [])}
        per_r: dict[int, list[cp_model.IntVar]] = {}
        for p in free:
            chosen = [x[r, p] for r in by_p.get(p, [])]
            model.add(sum(chosen) == inst.k)
            model.add(sum(inst.cost[r, p] * x[r, p] for r in by_p.get(p, [])) >= t)
        for pair in inst.fixed & x.keys():
            model.add(x[pair] == 1)
        for (r, _), var in x.items():
            per_r.setdefault(r, []).append(var)
        for r, vars_ in per_r.items():
            model.add_linear_constraint(
                sum(vars_), max(0, inst.lo[r] - used[r]), inst.hi[r] - used[r]
            )
        for r in range(inst.R):
            if r not in per_r and not inst.lo[r] <= used[r] <= inst.hi[r]:
                model.add_bool_or([])  # the fixed part alone breaks this load: infeasible
        model.maximize(sum(inst.cost[pair] * var for pair, var in x.items()))
        for pair, var in x.items():
            model.add_hint(var, values.get(pair, 0.0) > 0.5)
        solver = cp_model.CpSolver()
        left = deadline - time.monotonic()
        solver.parameters.max_time_in_seconds = max(0.01, min(left / 3, 20.0))
        solver.parameters.num_workers = 8
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            picked = [pair for pair, var in x.items() if solver.boolean_value(var)]
            return [pair for pair in integral if pair[1] not in free] + picked
    return None


def mip_total(
    inst: Instance, t: int, keep: list[Pair], deadline: float
) -> tuple[list[Pair] | None, int]:
    """Phase 2 on HiGHS' branch and cut: the largest total with every proposal's sum >= t.
    Returns the assignment found (checked exactly by the caller) and the proven bound."""
    solver = pywraplp.Solver.CreateSolver("HIGHS")
    if solver is None:  # pragma: no cover - shipped with OR-Tools
        return None, 2**62
    solver.SuppressOutput()
    # HiGHS prints its banner on stdout unless told not to: stdout carries the JSON answer.
    solver.SetSolverSpecificParametersAsString("output_flag=false\nlog_to_console=false\n")
    x = {pair: solver.BoolVar("") for pair in keep}
    for pair in inst.fixed:
        x[pair].SetLb(1)
    by_p: list[list[Pair]] = [[] for _ in range(inst.P)]
    by_r: list[list[pywraplp.Variable]] = [[] for _ in range(inst.R)]
    for (r, p), var in x.items():
        by_p[p].append((r, p))
        by_r[r].append(var)
    for p in range(inst.P):
        solver.Add(sum(x[pair] for pair in by_p[p]) == inst.k)
        solver.Add(sum(inst.cost[pair] * x[pair] for pair in by_p[p]) >= t)
    for r in range(inst.R):
        solver.Add(sum(by_r[r]) <= inst.hi[r])
        if inst.lo[r] > 0:
            solver.Add(sum(by_r[r]) >= inst.lo[r])
    solver.Maximize(sum(inst.cost[pair] * var for pair, var in x.items()))
    solver.SetTimeLimit(max(10, int(1000 * (deadline - time.monotonic()))))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    status = solver.Solve(params)
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None, 2**62
    bound = solver.Objective().BestBound()
    pairs = [pair for pair, var in x.items() if var.solution_value() > 0.5]
    return pairs, math.floor(bound + _slack(bound))
