"""``deepdive select``: pick the series' webinars from scored proposals (DESIGN.md, **select**).

Plain dataclasses in and out, OR-Tools CP-SAT underneath, no Django import.

- :func:`parse` checks the JSON input against the contract and builds a :class:`SelectProblem`.
- :func:`solve` answers it with a :class:`SelectResult`; :func:`solve_json` is the JSON layer
  used by ``deepdive select``.

The input and output dataclasses live in ``select_problem.py``, the CP-SAT model in
``select_model.py``, the explanations in ``select_explain.py``; imports run one way, ``select``
-> ``select_explain`` -> ``select_model`` -> ``select_problem``.

How it is solved:

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
import time
from typing import Any

from .select_explain import explain, explain_unsolved
from .select_model import Data, Lex, conflict_sentence, lexicographic, minimal_conflicts
from .select_problem import (
    DEFAULT_TIME_LIMIT,
    RULE_NAMES,
    Explanation,
    Proposal,
    Rules,
    SelectProblem,
    SelectResult,
    Weights,
)
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

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "RULE_NAMES",
    "Explanation",
    "Proposal",
    "Rules",
    "SelectProblem",
    "SelectResult",
    "Weights",
    "parse",
    "solve",
    "solve_json",
    "to_json",
]

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
    caps: dict[str, int | None] = {}
    for key in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        caps[key] = None if key not in value else whole(value[key], f"rules.{key}", minimum=1)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("include", "exclude"):
        items = _ids(value.get(key, []), f"rules.{key}")
        unique_ids(items, f"rules.{key}")
        for i, item in enumerate(items):
            known_id(item, ids, f"rules.{key}[{i}]", "proposal")
        lists[key] = items
    return Rules(
        min_per_theme=themes,
        min_per_outcome=outcomes,
        max_per_organisation=caps["max_per_organisation"],
        max_per_lead_org_type=caps["max_per_lead_org_type"],
        max_per_region=caps["max_per_region"],
        include=lists["include"],
        exclude=lists["exclude"],
    )


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
    """The lexicographic answer, or why there is none, with every proposal explained."""
    limit = problem.time_limit_seconds
    data = Data(problem, time.monotonic() + limit)
    # Keep about a tenth of the time for explanations.
    main = lexicographic(data, data.active, limit * 0.9)
    if main.state == "infeasible":
        return _infeasible(data)
    if main.state == "unknown":
        return _unknown(data)
    return _answer(data, main)


def _infeasible(data: Data) -> SelectResult:
    """The hard rules cannot hold: name the minimal conflicts and say why."""
    conflicts = minimal_conflicts(data, max(1.0, data.remaining()))
    names = [r for r in RULE_NAMES if any(r in c for c in conflicts)]
    if conflicts:
        parts = [conflict_sentence(data, c, max(0.5, data.remaining())) for c in conflicts]
        reason = "The hard rules cannot hold together: " + "; ".join(parts) + "."
    else:  # the time ran out before any minimal conflict was isolated
        names = list(data.active)
        reason = "The hard rules cannot hold together (no smaller conflict found in time)."
    return SelectResult(
        status="infeasible",
        selected=[],
        objective=None,
        shortfall=None,
        short=[],
        explanations=explain_unsolved(
            data, f"the hard rules cannot hold together ({', '.join(names)})"
        ),
        conflicts=names,
        reason=reason,
        scale=data.scale,
    )


def _unknown(data: Data) -> SelectResult:
    """No selection was found within the time limit."""
    limit = data.problem.time_limit_seconds
    return SelectResult(
        status="unknown",
        selected=[],
        objective=None,
        shortfall=None,
        short=[],
        explanations=explain_unsolved(data, "no selection was found within the time limit"),
        reason=(
            f"No selection was found within the time limit of {limit:g} s; "
            "raise time_limit_seconds."
        ),
        scale=data.scale,
    )


def _answer(data: Data, main: Lex) -> SelectResult:
    """A selection: its figures recomputed in floating point, its status and gap, explained."""
    problem = data.problem
    chosen = {data.ids[i] for i, on in enumerate(main.chosen) if on}
    selected = [pid for pid in data.ids if pid in chosen]
    objective = problem.objective(selected)
    short = problem.short(selected)
    shortfall = sum(item["missing"] for item in short)
    proven = main.short_proven and main.obj_proven
    if proven:
        status = "optimal" if shortfall == 0 else "quotas_short"
        gap = None
    else:
        status = "feasible"
        gap = max(0.0, _objective_bound(data, main) - objective)
    result = SelectResult(
        status=status,
        selected=selected,
        objective=objective,
        shortfall=shortfall,
        short=short,
        explanations={},
        gap=gap,
        shortfall_bound=main.short_bound if not proven else None,
        scale=data.scale,
        rounding_bound=data.rounding,
    )
    result.explanations = explain(data, result, main, proven)
    return result


def _objective_bound(data: Data, main: Lex) -> float:
    """An upper bound of the objective, for the gap of an answer not proven optimal.

    The proven bound of the objective solve holds when the shortfall is proven minimal;
    otherwise (or when that solve found nothing) only the bound that ignores every rule:
    the best values for the seats plus every org type and region covered."""
    weights = data.problem.weights
    best = sorted(data.values, reverse=True)[: data.target(data.active)]
    bound = (
        math.fsum(v for v in best if v > 0)
        + weights.org_type_coverage * len(data.types)
        + weights.region_coverage * len(data.regions)
    )
    if main.short_proven and math.isfinite(main.obj_bound):
        bound = min(bound, main.obj_bound / data.scale + data.rounding)
    return bound


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
