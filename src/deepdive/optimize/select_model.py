"""The CP-SAT side of ``deepdive select``: the model, the lexicographic solve, the conflicts.

See the docstring of ``select.py`` for the method and the rounding bound. It imports only the
shared model (``select_problem.py``).
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .select_problem import Proposal, SelectProblem

MAX_SCALE = 10**6
# The scaled objective stays below this, far from CP-SAT's int64 limits.
MAX_SCALED_TOTAL = 10**15

# Rule groups by name (from ``RULE_NAMES``): the ones a model keeps.
RuleSet = Collection[str]
# A proposal's entry in a model: its Boolean, or the constant 0 when it is left out of the pool.
Var = cp_model.IntVar | int


class Data:
    """The problem in index form, with the integer (scaled) objective coefficients."""

    def __init__(self, problem: SelectProblem, deadline: float) -> None:
        self.problem = problem
        self.deadline = deadline
        props = problem.proposals
        self.n = len(props)
        self.ids = [p.id for p in props]
        self.index = {p.id: i for i, p in enumerate(props)}
        rules, weights = problem.rules, problem.weights
        self.include = sorted(self.index[pid] for pid in rules.include)
        self.exclude = sorted(self.index[pid] for pid in rules.exclude)
        self.active = rules.active()
        self.values = [problem.value(p) for p in props]

        self.groups: dict[str, dict[str, list[int]]] = {
            "max_per_organisation": _groups(props, lambda p: p.organisations),
            "max_per_lead_org_type": _groups(
                props, lambda p: () if p.lead_org_type is None else (p.lead_org_type,)
            ),
            "max_per_region": _groups(props, lambda p: p.regions),
        }
        self.caps = {
            "max_per_organisation": rules.max_per_organisation,
            "max_per_lead_org_type": rules.max_per_lead_org_type,
            "max_per_region": rules.max_per_region,
        }
        # Coverage only counts when its weight is above 0.
        self.types = _groups(props, lambda p: p.org_types) if weights.org_type_coverage else {}
        self.regions = _groups(props, lambda p: p.regions) if weights.region_coverage else {}
        self.quotas = [
            (name, minimum, sorted(self.index[pid] for pid in meets))
            for name, minimum, meets in problem.quotas()
            if minimum > 0
        ]

        total = (
            sum(abs(v) for v in self.values)
            + weights.org_type_coverage * len(self.types)
            + weights.region_coverage * len(self.regions)
        )
        scale = float(MAX_SCALE)
        while total * scale > MAX_SCALED_TOTAL:
            scale /= 10
        self.scale = scale
        self.coef = [round(v * scale) for v in self.values]
        self.type_coef = round(weights.org_type_coverage * scale)
        self.region_coef = round(weights.region_coverage * scale)
        terms = problem.target_size() + len(self.types) + len(self.regions)
        # |real objective - integer objective / scale| <= this, for any selection.
        self.rounding = terms * 0.5 / scale
        # One worker is fastest on these models (measured: 0.35 s at 1,000 proposals and 20
        # seats against 0.47 s with 2 workers and 0.84 s with 8); more only for big seat counts.
        self.workers = 1 if problem.seats <= 40 else min(8, max(2, os.cpu_count() or 2))

    def target(self, rules: RuleSet) -> int:
        available = self.n - (len(self.exclude) if "exclude" in rules else 0)
        return min(self.problem.seats, available)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


def _groups(
    props: Sequence[Proposal], keys: Callable[[Proposal], Iterable[str]]
) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, p in enumerate(props):
        for key in dict.fromkeys(keys(p)):
            out.setdefault(key, []).append(i)
    return out


@dataclass
class Built:
    model: cp_model.CpModel
    x: list[Var]
    short: cp_model.LinearExprT
    objective: cp_model.LinearExprT


def build(
    data: Data,
    rules: RuleSet,
    *,
    forced: tuple[int, ...] = (),
    pool: set[int] | None = None,
) -> Built:
    """The hard rules named in ``rules`` (and ``forced`` proposals in), shortfall, objective.

    With ``pool``, only those proposals get a variable; every other one is fixed out (its
    entry in ``x`` is the constant 0). Included and forced proposals must be in the pool."""
    m = cp_model.CpModel()
    x: list[Var] = [
        m.new_bool_var(f"x{i}") if pool is None or i in pool else 0 for i in range(data.n)
    ]

    def live(members: Iterable[int]) -> list[cp_model.IntVar]:
        return [v for v in (x[i] for i in members) if not isinstance(v, int)]

    if "seats" in rules:
        m.add(sum(live(range(data.n))) == data.target(rules))
    if "include" in rules:
        for i in data.include:
            m.add(x[i] == 1)
    if "exclude" in rules:
        for i in data.exclude:
            if not isinstance(x[i], int):
                m.add(x[i] == 0)
    for name in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        cap = data.caps[name]
        if name in rules and cap is not None:
            for members in data.groups[name].values():
                in_model = live(members)
                if len(in_model) > cap:
                    m.add(sum(in_model) <= cap)
    for i in forced:
        m.add(x[i] == 1)
    shorts = []
    for k, (_name, minimum, members) in enumerate(data.quotas):
        s = m.new_int_var(0, minimum, f"short{k}")
        m.add(s + sum(live(members)) >= minimum)
        shorts.append(s)
    terms = [c * x[i] for i, c in enumerate(data.coef) if c and not isinstance(x[i], int)]
    for coef, groups in ((data.type_coef, data.types), (data.region_coef, data.regions)):
        if not coef:
            continue
        for k, members in enumerate(groups.values()):
            in_model = live(members)
            if not in_model:
                continue
            y = m.new_bool_var(f"cover{k}")
            m.add(sum(in_model) >= y)
            terms.append(coef * y)
    return Built(m, x, sum(shorts), sum(terms))


def _values(solver: cp_model.CpSolver, x: list[Var]) -> list[int]:
    return [v if isinstance(v, int) else int(solver.boolean_value(v)) for v in x]


def _run(
    data: Data, built: Built, seconds: float, hint: list[int] | None = None
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    if hint is not None:
        for var, val in zip(built.x, hint, strict=True):
            if not isinstance(var, int):
                built.model.add_hint(var, val)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = data.workers
    status = solver.solve(built.model)
    return status, solver


def _found(status: cp_model.CpSolverStatus) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class Lex:
    """A lexicographic answer: min shortfall, then max objective."""

    state: str  # "ok" | "infeasible" | "unknown"
    chosen: list[int] = field(default_factory=list)  # 0/1 per proposal; empty unless "ok"
    short: int = 0
    short_proven: bool = True
    short_bound: int = 0
    obj_int: int = 0
    obj_bound: float = 0.0
    obj_proven: bool = True


def feasible(
    data: Data, rules: RuleSet, seconds: float, forced: tuple[int, ...] = ()
) -> bool | None:
    """True/False when known, None when the time ran out."""
    built = build(data, rules, forced=forced)
    status, _ = _run(data, built, seconds)
    if _found(status):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def lexicographic(
    data: Data,
    rules: RuleSet,
    seconds: float,
    *,
    forced: tuple[int, ...] = (),
    hint: list[int] | None = None,
    try_short: int | None = None,
    pool: set[int] | None = None,
) -> Lex:
    """Two solves: minimise the shortfall, then maximise the objective with it fixed.

    With ``try_short``, first try the second solve directly at that shortfall (when it is the
    known optimum without ``forced``, one solve usually settles it)."""
    start = time.monotonic()

    def left() -> float:
        return seconds - (time.monotonic() - start)

    if try_short is not None or not data.quotas:
        cap = try_short if data.quotas and try_short is not None else 0
        answer = _maximise(data, rules, forced, cap, left(), hint, pool)
        if answer.state != "infeasible" or not data.quotas:
            return answer
        # Infeasible at that shortfall: fall through to the full two solves.
    built = build(data, rules, forced=forced, pool=pool)
    built.model.minimize(built.short)
    status, solver = _run(data, built, left() * 0.5, hint)
    if status == cp_model.INFEASIBLE:
        return Lex("infeasible")
    if not _found(status):
        return Lex("unknown")
    short = round(solver.objective_value)
    chosen = _values(solver, built.x)
    answer = _maximise(data, rules, forced, short, left(), chosen, pool)
    if answer.state != "ok":  # cannot happen in theory; keep the first answer
        obj_int = sum(c for c, on in zip(data.coef, chosen, strict=True) if on)
        answer = Lex("ok", chosen, short, obj_int=obj_int, obj_bound=math.inf, obj_proven=False)
    answer.short_proven = status == cp_model.OPTIMAL
    answer.short_bound = math.ceil(solver.best_objective_bound - 1e-9)
    return answer


def _maximise(
    data: Data,
    rules: RuleSet,
    forced: tuple[int, ...],
    cap: int,
    seconds: float,
    hint: list[int] | None,
    pool: set[int] | None = None,
) -> Lex:
    built = build(data, rules, forced=forced, pool=pool)
    if data.quotas:
        built.model.add(built.short <= cap)
    built.model.maximize(built.objective)
    status, solver = _run(data, built, seconds, hint)
    if status == cp_model.INFEASIBLE:
        return Lex("infeasible")
    if not _found(status):
        return Lex("unknown")
    chosen = _values(solver, built.x)
    return Lex(
        "ok",
        chosen,
        short=cap,
        short_bound=cap,
        obj_int=round(solver.objective_value),
        obj_bound=solver.best_objective_bound,
        obj_proven=status == cp_model.OPTIMAL,
    )


# ---------------------------------------------------------------------------------------------
# The LP relaxation, for bounds on forced-in selections
# ---------------------------------------------------------------------------------------------


@dataclass
class LpBound:
    """The LP relaxation of "maximise the objective with shortfall <= ``short``" (real units).

    For every selection S that keeps the hard rules with that shortfall,
    objective(S) <= ``value`` - sum of ``penalty[j]`` over the proposals j whose membership in
    S differs from the LP optimum's rounded value (reduced-cost argument: each penalty is the
    absolute reduced cost of x_j, 0 for fractional x_j).
    """

    value: float
    x: list[float]
    penalty: list[float]
    solver: pywraplp.Solver
    vars: list[pywraplp.Variable]

    def forced(self, i: int) -> tuple[float, list[float]] | None:
        """The LP relaxation re-solved (warm) with x_i = 1: (bound, x), or None if infeasible
        (with the shortfall kept) or not solved."""
        var = self.vars[i]
        low = var.lb()
        var.SetLb(1.0)
        try:
            status = self.solver.Solve()
            if status != pywraplp.Solver.OPTIMAL:
                return None
            return self.solver.Objective().Value(), [v.solution_value() for v in self.vars]
        finally:
            var.SetLb(low)


def lp_bound(data: Data, short: int) -> LpBound | None:
    """Solve the LP relaxation with GLOP; None if it does not solve to optimality."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    rules = data.active
    include = set(data.include) if "include" in rules else set()
    exclude = set(data.exclude) if "exclude" in rules else set()
    x = [
        solver.NumVar(1.0 if i in include else 0.0, 0.0 if i in exclude else 1.0, f"x{i}")
        for i in range(data.n)
    ]
    solver.Add(solver.Sum(x) == data.target(rules))
    for name in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        cap = data.caps[name]
        if name in rules and cap is not None:
            for members in data.groups[name].values():
                if len(members) > cap:
                    solver.Add(solver.Sum([x[i] for i in members]) <= cap)
    shorts = []
    for _name, minimum, members in data.quotas:
        s = solver.NumVar(0.0, minimum, "short")
        solver.Add(s + solver.Sum([x[i] for i in members]) >= minimum)
        shorts.append(s)
    if shorts:
        solver.Add(solver.Sum(shorts) <= short)
    terms = [v * x[i] for i, v in enumerate(data.values) if v]
    weights = data.problem.weights
    for w, groups in (
        (weights.org_type_coverage, data.types),
        (weights.region_coverage, data.regions),
    ):
        for members in groups.values():
            y = solver.NumVar(0.0, 1.0, "cover")
            solver.Add(solver.Sum([x[i] for i in members]) >= y)
            terms.append(w * y)
    solver.Maximize(solver.Sum(terms))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    values = [v.solution_value() for v in x]
    penalty = [
        0.0 if 1e-9 < val < 1 - 1e-9 else abs(v.reduced_cost())
        for v, val in zip(x, values, strict=True)
    ]
    return LpBound(solver.Objective().Value(), values, penalty, solver, x)


# ---------------------------------------------------------------------------------------------
# Conflicts
# ---------------------------------------------------------------------------------------------


def minimal_conflicts(data: Data, seconds: float) -> list[tuple[str, ...]]:
    """All minimal subsets of the active rule groups that cannot hold together.

    Subsets are tried by size; one that contains a conflict already found is skipped, so each
    infeasible subset met is minimal (its smaller subsets were all feasible)."""
    start = time.monotonic()
    active = data.active
    found: list[tuple[str, ...]] = []
    for size in range(1, len(active) + 1):
        for subset in itertools.combinations(active, size):
            if any(set(c) <= set(subset) for c in found):
                continue
            left = seconds - (time.monotonic() - start)
            if left <= 0:
                return found
            if feasible(data, frozenset(subset), min(left, 10.0)) is False:
                found.append(subset)
    return found


def conflict_sentence(data: Data, conflict: tuple[str, ...], seconds: float) -> str:
    rules = set(conflict)
    ids = data.ids
    if rules == {"include", "exclude"}:
        both = [ids[i] for i in data.include if i in set(data.exclude)]
        return f"{_list(both)} {'is' if len(both) == 1 else 'are'} both included and excluded"
    if "seats" not in rules and "include" in rules and len(rules) == 2:
        (name,) = rules - {"include"}
        cap = data.caps[name]
        what = {
            "max_per_organisation": "organisation",
            "max_per_lead_org_type": "lead organisation type",
            "max_per_region": "region",
        }[name]
        for key, members in data.groups[name].items():
            inside = [ids[i] for i in members if i in set(data.include)]
            if cap is not None and len(inside) > cap:
                return f"the included {_list(inside)} share the {what} {key}, but {name} is {cap}"
    if rules == {"seats", "include"}:
        seats = data.target(rules)
        return (
            f"include lists {len(data.include)} proposals but only "
            f"{seats} seat{' is' if seats == 1 else 's are'} to be filled"
        )
    if "seats" in rules:
        others = tuple(r for r in conflict if r != "seats")
        most = _most_selectable(data, others, seconds)
        need = data.target(rules)
        named = _rule_list(others)
        if most is not None:
            verb = "allows" if len(others) == 1 else "allow"
            return (
                f"{named} {verb} at most {most} proposal{'s' if most != 1 else ''}, "
                f"but {need} seat{'s' if need != 1 else ''} must be filled"
            )
        return f"{named} cannot fill {need} seat{'s' if need != 1 else ''}"
    return f"{_rule_list(conflict)} cannot hold together"


def _most_selectable(data: Data, rules: RuleSet, seconds: float) -> int | None:
    built = build(data, frozenset(rules))
    built.model.maximize(sum(built.x))
    status, solver = _run(data, built, seconds)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    return None


def _rule_list(rules: Iterable[str]) -> str:
    names = list(rules)
    if len(names) == 1:
        return f"{names[0]}"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _list(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
