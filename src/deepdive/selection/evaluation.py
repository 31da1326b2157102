"""The objective and the coverage of any set of proposals, by the optimiser's own definitions.

Plain Python on a parsed :class:`deepdive.optimize.select.SelectProblem`: the objective and the
quota shortfall are the problem's own ``objective`` and ``short``, so a hand-picked set (such as
"the top N by score") is measured exactly as the optimiser measures its answer.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from deepdive.optimize.select import SelectProblem


def _id_key(pid: str) -> tuple[int, int, str]:
    """Ids in their natural order: p2 before p10."""
    match = re.fullmatch(r"([^\d]*)(\d+)", pid)
    return (0, int(match.group(2)), pid) if match else (1, 0, pid)


def top_by_score(problem: SelectProblem, n: int) -> list[str]:
    """The ``n`` proposals with the highest scores, ties by id (natural order)."""
    ordered = sorted(problem.proposals, key=lambda p: (-p.score, _id_key(p.id)))
    return [p.id for p in ordered[:n]]


def evaluate(problem: SelectProblem, ids: list[str] | tuple[str, ...] | set[str]) -> dict[str, Any]:
    """Objective, shortfall and coverage of ``ids`` (JSON-ready; counts per item)."""
    chosen_ids = set(ids)
    chosen = [p for p in problem.proposals if p.id in chosen_ids]
    organisations: Counter[str] = Counter(o for p in chosen for o in set(p.organisations))
    return {
        "ids": sorted(chosen_ids, key=_id_key),
        "objective": round(problem.objective(chosen_ids), 9) if chosen else 0.0,
        "score": round(sum(p.score for p in chosen), 9),
        "shortfall": problem.shortfall(chosen_ids),
        "short": problem.short(chosen_ids),
        "org_types": dict(Counter(t for p in chosen for t in set(p.org_types))),
        "lead_org_types": dict(Counter(p.lead_org_type for p in chosen if p.lead_org_type)),
        "regions": dict(Counter(r for p in chosen for r in set(p.regions))),
        "themes": dict(Counter(t for p in chosen for t in set(p.themes))),
        "outcomes": {
            str(k): v for k, v in Counter(o for p in chosen for o in set(p.outcomes)).items()
        },
        "joint": sum(1 for p in chosen if p.joint),
        "pathfinder": sum(1 for p in chosen if p.pathfinder),
        "organisations_repeated": sorted(o for o, n in organisations.items() if n > 1),
    }


def contributions(problem: SelectProblem, ids: list[str]) -> dict[str, dict[str, Any]]:
    """What each proposal of ``ids`` adds to the set: joint, Pathfinder, the partner types and
    regions no other proposal of the set covers, and the theme and Outcome quotas that would
    fall short without it."""
    chosen = [p for p in problem.proposals if p.id in set(ids)]
    type_count = Counter(t for p in chosen for t in set(p.org_types))
    region_count = Counter(r for p in chosen for r in set(p.regions))
    out = {}
    for p in chosen:
        needed_themes = [
            theme
            for theme, minimum in problem.rules.min_per_theme.items()
            if theme in p.themes
            and minimum > 0
            and sum(1 for q in chosen if theme in q.themes) <= minimum
        ]
        needed_outcomes = [
            outcome
            for outcome, minimum in problem.rules.min_per_outcome.items()
            if outcome in p.outcomes
            and minimum > 0
            and sum(1 for q in chosen if outcome in q.outcomes) <= minimum
        ]
        out[p.id] = {
            "score": p.score,
            "joint": p.joint,
            "pathfinder": p.pathfinder,
            "new_org_types": sorted(t for t in set(p.org_types) if type_count[t] == 1),
            "new_regions": sorted(r for r in set(p.regions) if region_count[r] == 1),
            "needed_themes": sorted(needed_themes),
            "needed_outcomes": sorted(needed_outcomes),
        }
    return out
