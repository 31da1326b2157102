"""Why each proposal is in or out of the selection (``deepdive select``).

Selected: what it brings (score, joint and Pathfinder bonuses, org types and regions only it
covers, the quotas it helps meet). Left out: the answer is re-solved with it forced in, and the
sentence says what that would cost (objective, quota places) or which hard rules forbid it.
That is done for every left-out proposal when there are at most ``EXACT_EXPLAIN_LIMIT`` (time
limit permitting); beyond, for the most valuable first until ``EXPLAIN_BUDGET_SECONDS`` (or a
quarter of the time limit) is spent. The others get a cheaper bound, said to be one: the best
single swap with a selected proposal bounds from above the objective lost by forcing it in.
When the main answer is not proven optimal, only the cheap bound is used.

Each explanation also carries its reason as data (``Explanation.reason``, for the pages that
word it in the reader's language; not in the command line's JSON), by code:

- ``selected``/``included``: ``score``, ``joint`` and ``pathfinder`` (the bonus added, 0 for
  none), ``only_org_types``/``only_regions`` (codes only it covers) with ``org_type_gain``/
  ``region_gain``, ``quotas`` [{"quota": name, "minimum": n}] it is needed for;
- ``quota_cost``/``lower_objective``/``tie``: ``exact`` (re-solved, or the best single swap),
  ``objective`` (the answer's), ``objective_with`` (the best selection with it), ``loss``,
  ``short``/``short_with`` (quota places short without and with it), ``dropped`` (selected
  ids it would replace);
- ``cannot_fit``/``no_swap``: ``breaks`` [{"rule": name, "key": code or id, "with": [ids]}],
  ``rules`` (rule names that cannot hold with it), ``seats``, ``all_seats_included``;
- ``time_limit``: ``dropped``, ``objective_with``, ``short_with``;
- ``no_solution``: ``included``, ``excluded``; ``excluded``: nothing more.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from .select_model import Data, Lex, _maximise, feasible, lexicographic, lp_bound
from .select_problem import RULE_NAMES, Explanation, Proposal, SelectResult

EXACT_EXPLAIN_LIMIT = 60
# Beyond that many left-out proposals, exact re-solves stop after this long (and after a
# quarter of the time limit); the rest get the single-swap bound.
EXPLAIN_BUDGET_SECONDS = 2.0
# Time one forced-in re-solve may take before the cheaper bound is used for that proposal.
FORCED_SOLVE_SECONDS = 10.0

# What a cap rule breaks when one more proposal comes in (``Explanation.reason["breaks"]``).
Break = TypedDict("Break", {"rule": str, "key": str, "with": list[str]})

_WHAT = {
    "max_per_organisation": "organisation",
    "max_per_lead_org_type": "lead organisation type",
    "max_per_region": "region",
}


def fmt(x: float) -> str:
    digits = 4 if abs(x) >= 0.01 else 6
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _list(items: Iterable[str]) -> str:
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def explain_unsolved(data: Data, why: str) -> dict[str, Explanation]:
    include, exclude = set(data.include), set(data.exclude)
    out = {}
    for i, pid in enumerate(data.ids):
        if i in exclude and i in include:
            sentence = f"Both included and excluded by the rules; no selection was made: {why}."
        elif i in exclude:
            sentence = f"Excluded by the rules; no selection was made: {why}."
        elif i in include:
            sentence = f"Included by the rules, but no selection was made: {why}."
        else:
            sentence = f"Not selected: no selection was made: {why}."
        reason = {"included": i in include, "excluded": i in exclude}
        out[pid] = Explanation(pid, False, "no_solution", sentence, None, False, None, reason)
    return out


@dataclass(frozen=True)
class _Solved:
    """The selection being explained: what the sentences compare a left-out proposal with."""

    selected: list[str]
    objective: float
    shortfall: int

    @classmethod
    def of(cls, result: SelectResult) -> _Solved:
        if result.objective is None or result.shortfall is None:
            raise ValueError(f"only a selection can be explained, not {result.status!r}")
        return cls(result.selected, result.objective, result.shortfall)


def explain(data: Data, result: SelectResult, main: Lex, proven: bool) -> dict[str, Explanation]:
    problem = data.problem
    solved = _Solved.of(result)
    chosen = [i for i, on in enumerate(main.chosen) if on]
    in_set = set(chosen)
    tolerance = 2 * data.rounding + 1e-9
    exclude = set(data.exclude)
    left_out = [i for i in range(data.n) if i not in in_set and i not in exclude]
    # Which left-out proposals get an exact re-solve: all of them up to EXACT_EXPLAIN_LIMIT
    # (as long as the time limit allows); beyond, the most valuable first, within a budget.
    if not proven:
        exact_until = time.monotonic()
    elif len(left_out) <= EXACT_EXPLAIN_LIMIT:
        exact_until = data.deadline
    else:
        budget = min(EXPLAIN_BUDGET_SECONDS, 0.25 * problem.time_limit_seconds)
        exact_until = min(data.deadline, time.monotonic() + budget)
        left_out.sort(key=lambda i: -data.values[i])
    answers: dict[int, Explanation] = {}
    swaps = _Swaps(data, chosen) if len(left_out) > EXACT_EXPLAIN_LIMIT else None
    if swaps is not None and proven and exact_until > time.monotonic():
        answers = _fast_exact(data, solved, chosen, left_out, tolerance, exact_until, swaps)
    for i in left_out:
        if i in answers:
            continue
        answer = None
        if exact_until - time.monotonic() > 0.05:
            seconds = min(FORCED_SOLVE_SECONDS, exact_until - time.monotonic())
            answer = _forced_exact(data, solved, chosen, i, tolerance, seconds)
        if answer is None:
            answer = _forced_swap(data, solved, chosen, i, tolerance, proven, swaps)
        answers[i] = answer
    out: dict[str, Explanation] = {}
    for i, p in enumerate(problem.proposals):
        if i in in_set:
            out[p.id] = _selected(data, chosen, i)
        elif i in exclude:
            out[p.id] = Explanation(
                p.id, False, "excluded", "Excluded by the rules.", None, True, None, {}
            )
        else:
            out[p.id] = answers[i]
    return out


def _selected(data: Data, chosen: list[int], i: int) -> Explanation:
    problem = data.problem
    p = problem.proposals[i]
    w = problem.weights
    parts = [f"score {fmt(p.score)}"]
    reason: dict[str, Any] = {
        "score": p.score,
        "joint": w.joint if p.joint else 0.0,
        "pathfinder": w.pathfinder if p.pathfinder else 0.0,
        "only_org_types": [],
        "org_type_gain": 0.0,
        "only_regions": [],
        "region_gain": 0.0,
        "quotas": [],
    }
    if p.joint and w.joint:
        parts.append(f"joint proposal (+{fmt(w.joint)})")
    if p.pathfinder and w.pathfinder:
        parts.append(f"Pathfinder (+{fmt(w.pathfinder)})")
    others = [problem.proposals[j] for j in chosen if j != i]
    if w.org_type_coverage:
        alone = [t for t in dict.fromkeys(p.org_types) if all(t not in q.org_types for q in others)]
        if alone:
            reason["only_org_types"] = alone
            reason["org_type_gain"] = w.org_type_coverage * len(alone)
            gain = fmt(w.org_type_coverage * len(alone))
            parts.append(
                f"only one to cover the org type{'s' if len(alone) > 1 else ''} "
                f"{_list(alone)} (+{gain})"
            )
    if w.region_coverage:
        alone = [r for r in dict.fromkeys(p.regions) if all(r not in q.regions for q in others)]
        if alone:
            reason["only_regions"] = alone
            reason["region_gain"] = w.region_coverage * len(alone)
            gain = fmt(w.region_coverage * len(alone))
            parts.append(f"covers {_list(alone)} (+{gain})")
    ids = {problem.proposals[j].id for j in chosen}
    helps = []
    for name, minimum, meets in problem.quotas():
        if minimum > 0 and p.id in meets and len(ids & meets) <= minimum:
            helps.append(f"{name} (needs {minimum})")
            reason["quotas"].append({"quota": name, "minimum": minimum})
    if helps:
        parts.append("counts towards " + _list(helps))
    included = i in set(data.include)
    head = "Selected (included by the rules)" if included else "Selected"
    return Explanation(
        p.id,
        True,
        "included" if included else "selected",
        f"{head}: {', '.join(parts)}.",
        0.0,
        True,
        0,
        reason,
    )


def _blocking(data: Data, chosen: list[int], i: int, among: set[int] | None = None) -> list[str]:
    """What adding proposal i to ``among`` (default: the chosen set) would break, in words."""
    return [
        f"{b['rule']} ({b['key']} already in {_list(b['with'])})"
        for b in _breaks(data, chosen, i, among)
    ]


def _breaks(data: Data, chosen: list[int], i: int, among: set[int] | None = None) -> list[Break]:
    """What adding proposal i to ``among`` would break: [{"rule", "key", "with": [ids]}]."""
    pool = set(chosen) if among is None else among
    out: list[Break] = []
    for name in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        cap = data.caps[name]
        if name not in data.active or cap is None:
            continue
        for key, members in data.groups[name].items():
            if i not in members:
                continue
            inside = [data.ids[j] for j in members if j in pool]
            if len(inside) >= cap:
                out.append(Break({"rule": name, "key": key, "with": inside}))
    return out


def _forced_exact(
    data: Data,
    result: _Solved,
    chosen: list[int],
    i: int,
    tolerance: float,
    seconds: float,
) -> Explanation | None:
    started = time.monotonic()
    lex = lexicographic(data, data.active, seconds, forced=(i,), try_short=result.shortfall)
    if lex.state == "infeasible":
        return _cannot_fit(data, chosen, i, seconds - (time.monotonic() - started))
    if lex.state != "ok" or not (lex.short_proven and lex.obj_proven):
        return None
    return _exact(data, result, i, [j for j, on in enumerate(lex.chosen) if on], tolerance)


def _exact(
    data: Data, result: _Solved, i: int, members: list[int], tolerance: float
) -> Explanation:
    """The explanation of left-out ``i`` from ``members``, a proven best selection with it."""
    problem = data.problem
    pid = data.ids[i]
    ids = [data.ids[j] for j in sorted(members)]
    forced_obj = problem.objective(ids)
    forced_short = problem.shortfall(ids)
    extra = forced_short - result.shortfall
    loss = result.objective - forced_obj
    dropped = [q for q in result.selected if q not in set(ids)]
    swap = f"dropping {_list(dropped)}" if dropped else "adding it"
    reason = {
        "exact": True,
        "objective": result.objective,
        "objective_with": forced_obj,
        "loss": loss,
        "short": result.shortfall,
        "short_with": forced_short,
        "dropped": dropped,
    }
    if extra > 0:
        return Explanation(
            pid,
            False,
            "quota_cost",
            f"Not selected: any selection with it falls further short of the quotas "
            f"({forced_short} short instead of {result.shortfall}; best such selection, "
            f"{swap}, has objective {fmt(forced_obj)}).",
            loss,
            True,
            extra,
            reason,
        )
    if loss > tolerance:
        return Explanation(
            pid,
            False,
            "lower_objective",
            f"Not selected: forcing it in would lower the objective by {fmt(loss)} "
            f"(best selection with it, {swap}: {fmt(forced_obj)} instead of "
            f"{fmt(result.objective)}).",
            loss,
            True,
            0,
            reason,
        )
    return Explanation(
        pid,
        False,
        "tie",
        f"Not selected, but a tie: a selection with it, {swap}, is as good "
        f"(objective {fmt(forced_obj)}); the solver kept the other.",
        0.0,
        True,
        0,
        reason,
    )


def _cannot_fit(data: Data, chosen: list[int], i: int, seconds: float) -> Explanation:
    pid = data.ids[i]
    include = set(data.include)
    target = data.target(data.active)
    reason: dict[str, Any] = {
        "breaks": [],
        "rules": [],
        "seats": target,
        "all_seats_included": False,
    }
    if "include" in data.active:
        clash = _blocking(data, chosen, i, among=include)
        if clash:
            sentence = (
                f"Not selected: it cannot join the included proposals without breaking "
                f"{_list(clash)}."
            )
            reason["breaks"] = _breaks(data, chosen, i, among=include)
            reason["rules"] = ["include"]
            return Explanation(pid, False, "cannot_fit", sentence, None, True, None, reason)
        if len(include) >= target:
            sentence = f"Not selected: all {target} seats go to proposals included by the rules."
            reason["all_seats_included"] = True
            return Explanation(pid, False, "cannot_fit", sentence, None, True, None, reason)
    # One minimal set of rule groups that forbids it (deletion: drop each group if the rest
    # still forbid it; seats is tried last so it stays in when anything else can go).
    order = [r for r in data.active if r != "seats"] + ["seats"]
    core = list(data.active)
    deadline = time.monotonic() + max(0.0, seconds)
    for rule in order:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        trial = [r for r in core if r != rule]
        if feasible(data, frozenset(trial), min(left, 5.0), forced=(i,)) is False:
            core = trial
    rules = [r for r in RULE_NAMES if r in core]
    detail = _blocking(data, chosen, i)
    tail = f"; in this selection it would break {_list(detail)}" if detail else ""
    sentence = (
        f"Not selected: no selection with it keeps the hard rules ({', '.join(rules)} cannot "
        f"all hold with it in {target} seats){tail}."
    )
    reason["rules"] = rules
    reason["breaks"] = _breaks(data, chosen, i)
    return Explanation(pid, False, "cannot_fit", sentence, None, True, None, reason)


def _forced_swap(
    data: Data,
    result: _Solved,
    chosen: list[int],
    i: int,
    tolerance: float,
    proven: bool,
    swaps: _Swaps | None = None,
) -> Explanation:
    """The cheap bound: the best single swap of i for a selected, not included proposal."""
    problem = data.problem
    pid = data.ids[i]
    include = set(data.include)
    best = None
    if swaps is not None:
        found = swaps.best(i)
        if found is not None:
            best = ((found[0], -found[1]), found[2])
    for q in chosen if swaps is None else ():
        if q in include:
            continue
        trial = [j for j in chosen if j != q] + [i]
        if _blocking(data, [], i, among=set(trial) - {i}):
            continue
        ids = [data.ids[j] for j in trial]
        key = (problem.shortfall(ids), -problem.objective(ids))
        if best is None or key < best[0]:
            best = (key, q)
    note = "a bound from the best single swap; not re-solved"
    if best is None:
        detail = _blocking(data, chosen, i)
        reason = {
            "exact": False,
            "breaks": _breaks(data, chosen, i),
            "rules": [],
            "seats": len(chosen),
            "all_seats_included": False,
        }
        if detail:
            why = f"would break {_list(detail)}"
        elif not [q for q in chosen if q not in include]:
            why = "every seat goes to a proposal included by the rules"
            reason["all_seats_included"] = True
        else:
            why = "no seat is free"
        return Explanation(
            pid,
            False,
            "no_swap",
            f"Not selected: it {why}, and no single swap with a selected proposal keeps the "
            f"hard rules ({note}).",
            None,
            False,
            None,
            reason,
        )
    (short, neg), q = best
    swap_obj = -neg
    extra = short - result.shortfall
    loss = result.objective - swap_obj
    other = data.ids[q]
    reason = {
        "exact": False,
        "objective": result.objective,
        "objective_with": swap_obj,
        "loss": loss,
        "short": result.shortfall,
        "short_with": short,
        "dropped": [other],
    }
    if extra < 0 or (extra == 0 and loss < -tolerance):
        return Explanation(
            pid,
            False,
            "time_limit",
            f"Not selected, although swapping it for {other} would do better (objective "
            f"{fmt(swap_obj)}, {short} short): the solver stopped at the time limit first.",
            loss,
            False,
            extra,
            reason,
        )
    if extra > 0:
        return Explanation(
            pid,
            False,
            "quota_cost",
            f"Not selected: swapping it for a selected proposal leaves the quotas further short "
            f"(best swap, for {other}: {short} short instead of {result.shortfall}; {note}).",
            loss,
            False,
            extra,
            reason,
        )
    if loss > tolerance:
        return Explanation(
            pid,
            False,
            "lower_objective",
            f"Not selected: forcing it in would lower the objective by at most {fmt(loss)} "
            f"(swapping it for {other} gives {fmt(swap_obj)} instead of "
            f"{fmt(result.objective)}; {note}).",
            loss,
            False,
            0,
            reason,
        )
    return Explanation(
        pid,
        False,
        "tie",
        f"Not selected, but a tie: swapping it for {other} is as good (objective "
        f"{fmt(swap_obj)}); the solver kept {other}.",
        0.0,
        proven,
        0,
        reason,
    )


# ---------------------------------------------------------------------------------------------
# Fast exact forced-in answers for many proposals
# ---------------------------------------------------------------------------------------------


class _Swaps:
    """The best single swap (i in, q out) for every left-out i, from counts kept once."""

    def __init__(self, data: Data, chosen: list[int]) -> None:
        self.data = data
        problem = data.problem
        self.props = problem.proposals
        self.chosen = chosen
        self.free = [q for q in chosen if q not in set(data.include)]
        self.keys: dict[str, Callable[[Proposal], tuple[str, ...]]] = {
            "max_per_organisation": lambda p: tuple(dict.fromkeys(p.organisations)),
            "max_per_lead_org_type": lambda p: (
                () if p.lead_org_type is None else (p.lead_org_type,)
            ),
            "max_per_region": lambda p: tuple(dict.fromkeys(p.regions)),
        }
        self.caps: dict[str, int] = {
            name: cap
            for name in self.keys
            if name in data.active and (cap := data.caps[name]) is not None
        }
        # rule name -> key -> how many selected proposals have it
        self.counts: dict[str, dict[str, int]] = {name: {} for name in self.caps}
        for q in chosen:
            for name in self.caps:
                for key in self.keys[name](self.props[q]):
                    self.counts[name][key] = self.counts[name].get(key, 0) + 1
        self.types: dict[str, int] = {}
        self.regions: dict[str, int] = {}
        for q in chosen:
            for t in set(self.props[q].org_types):
                self.types[t] = self.types.get(t, 0) + 1
            for r in set(self.props[q].regions):
                self.regions[r] = self.regions.get(r, 0) + 1
        self.quotas = [(minimum, meets) for _name, minimum, meets in problem.quotas()]
        ids = {data.ids[q] for q in chosen}
        self.met = [len(ids & meets) for _minimum, meets in self.quotas]

    def best(self, i: int) -> tuple[int, float, int] | None:
        """(shortfall, objective, q) of the best swap of i for a selected q, or None."""
        data, props = self.data, self.props
        p = props[i]
        w = data.problem.weights
        best: tuple[tuple[int, float], int] | None = None  # ((shortfall, -objective), q)
        for q in self.free:
            other = props[q]
            ok = True
            for name, cap in self.caps.items():
                gone = set(self.keys[name](other))
                for key in self.keys[name](p):
                    if self.counts[name].get(key, 0) - (key in gone) + 1 > cap:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                continue
            types = sum(1 for t, c in self.types.items() if c - (t in other.org_types) > 0)
            types += sum(
                1 for t in set(p.org_types) if self.types.get(t, 0) - (t in other.org_types) <= 0
            )
            regions = sum(1 for r, c in self.regions.items() if c - (r in other.regions) > 0)
            regions += sum(
                1 for r in set(p.regions) if self.regions.get(r, 0) - (r in other.regions) <= 0
            )
            members = [j for j in self.chosen if j != q] + [i]
            objective = (
                math.fsum(data.values[j] for j in members)
                + w.org_type_coverage * types
                + w.region_coverage * regions
            )
            short = 0
            for (minimum, meets), met in zip(self.quotas, self.met, strict=True):
                now = met - (other.id in meets) + (p.id in meets)
                short += max(0, minimum - now)
            rank = (short, -objective)
            if best is None or rank < best[0]:
                best = (rank, q)
        if best is None:
            return None
        (short, neg), q = best
        return short, -neg, q


def _fast_exact(
    data: Data,
    result: _Solved,
    chosen: list[int],
    left_out: list[int],
    tolerance: float,
    until: float,
    swaps: _Swaps,
) -> dict[int, Explanation]:
    """Exact forced-in answers without a full re-solve for each left-out proposal.

    The LP relaxation (shortfall kept at the optimum's) bounds, through its reduced costs,
    the objective of any selection with i in: ``lp.value - penalty[i]``. When the best single
    swap reaches that bound, it is the best selection with i (exact, no solve). Otherwise the
    bound also rules out every proposal j whose penalty would take a selection with i and j
    below the swap, and the re-solve runs on the proposals left (a few dozen, not all), hinted
    with the swap. Proposals whose best swap costs quota places, or that have no swap, are
    left to the full re-solve (or the swap bound) in ``explain``."""
    out: dict[int, Explanation] = {}
    lp = lp_bound(data, result.shortfall)
    if lp is None:
        return out
    base = set(chosen) | set(data.include) | {j for j, v in enumerate(lp.x) if v > 1e-9}
    pending = []
    for i in left_out:
        best = swaps.best(i)
        if best is None or best[0] != result.shortfall:
            continue
        short, swap_obj, q = best
        bound = lp.value - (lp.penalty[i] if lp.x[i] < 0.5 else 0.0)
        members = [j for j in chosen if j != q] + [i]
        if swap_obj >= bound - 1e-7:
            out[i] = _exact(data, result, i, members, tolerance)
        else:
            pending.append((i, bound, swap_obj, members))
    for i, bound, swap_obj, members in pending:
        left = until - time.monotonic()
        if left <= 0.05:
            break
        slack = bound - swap_obj + 1e-7
        pool = base | {i} | {j for j, pen in enumerate(lp.penalty) if pen <= slack}
        pool -= set(data.exclude) if "exclude" in data.active else set()
        pool.add(i)
        hint = [1 if j in set(members) else 0 for j in range(data.n)]
        seconds = min(FORCED_SOLVE_SECONDS, left)
        lex = _maximise(data, data.active, (i,), result.shortfall, seconds, hint, pool)
        if lex.state == "ok" and lex.obj_proven:
            found = [j for j, on in enumerate(lex.chosen) if on]
            out[i] = _exact(data, result, i, found, tolerance)
    return out
