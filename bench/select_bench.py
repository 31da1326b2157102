"""Selection benchmark: ``deepdive select`` on a large random instance with every rule.

Run: .venv/bin/python bench/select_bench.py [--proposals 200] [--seats 12] [--seed 1]
     [--time-limit 60] [--runs 1]
Prints the wall time (whole answer, explanations included), the peak Python memory
(tracemalloc: the Python side only) and the process's peak resident size (getrusage, which
includes OR-Tools' native memory), the status and whether optimality was proven.
"""

import argparse
import math
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

started = time.perf_counter()
from deepdive.optimize import select_explain  # noqa: E402  (loads OR-Tools)
from deepdive.optimize.select import parse, solve  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - started

TYPES = ["business", "workers_organisation", "employers_organisation", "government", "ngo", "un"]
REGIONS = ["Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia"]
THEMES = ["child_labour", "forced_labour", "human_trafficking"]


def instance(proposals: int, seats: int, seed: int, limit: float) -> dict:
    rng = random.Random(seed)
    orgs = [f"o{k}" for k in range(proposals // 2)]
    items = []
    for k in range(proposals):
        lead = rng.choice(TYPES)
        items.append(
            {
                "id": f"p{k}",
                "score": round(rng.uniform(1, 5), 4),
                "organisations": rng.sample(orgs, rng.choice([1, 1, 2, 3])),
                "org_types": sorted({lead, *rng.sample(TYPES, rng.randint(0, 2))}),
                "lead_org_type": lead,
                "regions": rng.sample(REGIONS, rng.choice([1, 1, 2])),
                "themes": rng.sample(THEMES, rng.choice([1, 1, 2])),
                "outcomes": rng.sample([1, 2, 3, 4], rng.choice([1, 2])),
                "pathfinder": rng.random() < 0.3,
            }
        )
    ids = [p["id"] for p in items]
    picked = rng.sample(ids, 6)

    def scaled(minimum: int) -> int:  # the quotas of 12 seats, in proportion
        return round(minimum * seats / 12)

    return {
        "seats": seats,
        "proposals": items,
        "weights": {
            "joint": 0.5,
            "pathfinder": 0.5,
            "org_type_coverage": 0.25,
            "region_coverage": 0.25,
        },
        "rules": {
            "min_per_theme": {
                "child_labour": scaled(4),
                "forced_labour": scaled(4),
                "human_trafficking": scaled(3),
            },
            "min_per_outcome": {"1": scaled(3), "2": scaled(3), "3": scaled(2), "4": scaled(2)},
            "max_per_organisation": 1,
            # Caps that leave room for the seats: 3 and 4 for 12 seats, 5 and 5 for 20.
            "max_per_lead_org_type": math.ceil(seats / len(TYPES)) + 1,
            "max_per_region": math.ceil(seats / len(REGIONS)) + 1,
            "include": picked[:2],
            "exclude": picked[2:],
        },
        "time_limit_seconds": limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--seats", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--explain-budget",
        type=float,
        default=None,
        help="seconds of exact forced-in re-solves beyond 60 left-out proposals "
        "(default: the module's EXPLAIN_BUDGET_SECONDS; 0 = single-swap bounds only)",
    )
    args = parser.parse_args()

    print(f"import of the optimiser and OR-Tools: {IMPORT_SECONDS:.2f} s")
    if args.explain_budget is not None:
        select_explain.EXPLAIN_BUDGET_SECONDS = args.explain_budget
    print(f"explanation budget: {select_explain.EXPLAIN_BUDGET_SECONDS:g} s")
    data = instance(args.proposals, args.seats, args.seed, args.time_limit)
    print(
        f"instance: {args.proposals} proposals, {args.seats} seats, seed {args.seed}, "
        f"all rules, time limit {args.time_limit:g} s"
    )
    for run in range(1, args.runs + 1):
        tracemalloc.start()
        start = time.perf_counter()
        result = solve(parse(data))
        wall = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        codes = Counter(e.code for e in result.explanations.values())
        out = [e for e in result.explanations.values() if not e.selected and e.code != "excluded"]
        left_out, exact_out = len(out), sum(1 for e in out if e.forced_in_exact)
        proven = result.status in ("optimal", "quotas_short", "infeasible")
        print(f"run {run}: wall {wall:.2f} s, peak Python memory {peak / 2**20:.1f} MB")
        print(
            f"  status {result.status} (optimality proven: {'yes' if proven else 'no'}), "
            f"objective {result.objective}, shortfall {result.shortfall}, gap {result.gap}"
        )
        print(f"  selected: {', '.join(result.selected)}")
        print(f"  explanation codes: {dict(codes)}")
        print(f"  left-out proposals explained by an exact re-solve: {exact_out} of {left_out}")
        if result.conflicts:
            print(f"  conflicts: {result.conflicts}: {result.reason}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"process peak resident size (getrusage): {maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
