"""Benchmark of ``deepdive assign`` (issue 4): 500 proposals, 100 reviewers, 3 per proposal.

    .venv/bin/python bench/assign_bench.py [--proposals 500] [--reviewers 100] [--seed 1]

Builds a random instance: 8 topics, each reviewer with expertise (0 to 5, one decimal) on 2 to 5
of them, each proposal on 1 to 3 topics; 40 organisations, each reviewer in one and each
proposal in one or two, so shared organisations make conflicts; a few listed conflicts and
explicit affinities; max_load 20. Solves it with each objective and prints the wall time, peak
Python memory (tracemalloc) and peak process memory (ru_maxrss), the status and any gap.
No Django, no database.
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from deepdive.optimize.assign import solve_json  # noqa: E402


def instance(proposals: int, reviewers: int, seed: int, *, per: int = 3, max_load: int = 20):
    rng = random.Random(seed)
    topics = [f"t{i}" for i in range(8)]
    orgs = [f"o{i}" for i in range(40)]
    revs = []
    for i in range(reviewers):
        known = rng.sample(topics, rng.randint(2, 5))
        revs.append(
            {
                "id": f"r{i}",
                "organisations": [rng.choice(orgs)],
                "max_load": max_load,
                "expertise": {t: round(rng.uniform(0, 5), 1) for t in known},
            }
        )
    props = [
        {
            "id": f"p{j}",
            "organisations": rng.sample(orgs, rng.randint(1, 2)),
            "topics": rng.sample(topics, rng.randint(1, 3)),
        }
        for j in range(proposals)
    ]
    conflicts = [
        [f"r{rng.randrange(reviewers)}", f"p{rng.randrange(proposals)}"]
        for _ in range(proposals // 10)
    ]
    affinity: dict[str, dict[str, float]] = {}
    for _ in range(proposals // 10):
        row = affinity.setdefault(f"r{rng.randrange(reviewers)}", {})
        row[f"p{rng.randrange(proposals)}"] = round(rng.uniform(0, 10), 1)
    return {
        "reviewers_per_proposal": per,
        "reviewers": revs,
        "proposals": props,
        "conflicts": conflicts,
        "affinity": affinity,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=100)
    parser.add_argument("--per", type=int, default=3)
    parser.add_argument("--max-load", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    data = instance(args.proposals, args.reviewers, args.seed, per=args.per, max_load=args.max_load)
    print(
        f"instance: {args.proposals} proposals x {args.reviewers} reviewers x {args.per} per "
        f"proposal, max_load {args.max_load}, seed {args.seed}"
    )
    for objective in ("total", "fair"):
        data = {**data, "objective": objective, "time_limit_seconds": args.time_limit}
        tracemalloc.start()
        started = time.perf_counter()
        answer = solve_json(data)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = f"{objective:>5}: {seconds:6.2f} s, peak Python {peak / 2**20:5.1f} MB, "
        line += f"process max RSS {rss:5.0f} MB, status {answer['status']}"
        if answer["status"] != "infeasible":
            line += (
                f", total {answer['total_affinity']:.1f}, "
                f"min per proposal {answer['min_proposal_affinity']:.1f}"
            )
        if "gap" in answer:
            line += f", gap {answer['gap']:.2f} on {answer['gap_objective']}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
