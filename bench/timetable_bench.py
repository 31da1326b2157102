"""Timetable benchmark: a full series on CP-SAT.

Run: .venv/bin/python bench/timetable_bench.py [--webinars 16] [--weeks 11] [--spacing 3]
     [--step 30] [--weekdays 1,2,3,4] [--seed 1] [--time-limit 60]
The issue's yearly case: --webinars 52 --weeks 52 --weekdays 1,2,3,4,5 --step 15

Builds a series of 16 webinars over 11 weeks (Monday to Thursday), 09:00-18:00 Europe/Paris
with lunch 12:30-14:00 excluded, 30-minute steps, webinars of 60 to 120 minutes, each with an
audience spread over 8 zones from UTC-6 to UTC+12, and prints the wall time (parse + candidates
+ solve), the peak Python memory (tracemalloc; the solver's own C++ memory is reported apart as
the growth of the process's peak resident set), the status and whether optimality was proven.
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from deepdive.optimize.timetable import (  # noqa: E402
    candidates,
    evaluate,
    naive_plan,
    parse,
    solve,
)

ZONES = [
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "Africa/Abidjan",
    "Europe/Paris",
    "Africa/Nairobi",
    "Asia/Kathmandu",
    "Pacific/Fiji",
]


def build(
    webinars: int,
    weeks: int,
    spacing: int,
    seed: int,
    limit: float,
    step: int = 30,
    weekdays: tuple[int, ...] = (1, 2, 3, 4),
) -> dict:
    rng = random.Random(seed)
    first = date(2027, 1, 11)  # a Monday
    last = first + timedelta(weeks=weeks) - timedelta(days=1)
    items = []
    for i in range(webinars):
        audience = {zone: rng.choice([0, 1, 2, 5, 10, 20, 40]) for zone in ZONES}
        item = {"id": f"w{i + 1}", "minutes": rng.choice([60, 60, 90, 120]), "audience": audience}
        if rng.random() < 0.3:  # some hosts are only available part of the period
            start = first + timedelta(days=rng.randrange(0, weeks * 7 // 2))
            item["available"] = [
                [start.isoformat(), (start + timedelta(days=rng.randrange(21, 49))).isoformat()]
            ]
        items.append(item)
    return {
        "reference_timezone": "Europe/Paris",
        "dates": {"from": first.isoformat(), "to": last.isoformat(), "weekdays": list(weekdays)},
        "window": {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]},
        "step_minutes": step,
        "min_days_between": spacing,
        "audience_hours": {"start": "08:00", "end": "20:00"},
        "webinars": items,
        "time_limit_seconds": limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webinars", type=int, default=16)
    parser.add_argument("--weeks", type=int, default=11)
    parser.add_argument("--spacing", type=int, default=3, help="min_days_between")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--step", type=int, default=30, help="step_minutes")
    parser.add_argument("--weekdays", default="1,2,3,4", help="ISO weekdays, 1 = Monday")
    args = parser.parse_args()
    weekdays = tuple(int(day) for day in args.weekdays.split(","))

    data = build(
        args.webinars, args.weeks, args.spacing, args.seed, args.time_limit, args.step, weekdays
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    problem = parse(data)
    count = sum(len(mine) for mine in candidates(problem))
    listed = time.perf_counter()
    result = solve(problem)  # lists the candidates again, then models and solves
    elapsed = time.perf_counter() - listed
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # a second run under tracemalloc (which slows Python down) for the Python memory peak
    tracemalloc.start()
    solve(parse(data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"instance: {args.webinars} webinars, {args.weeks} weeks, weekdays {args.weekdays}, "
        f"step {args.step} min, min_days_between {args.spacing}, {count} candidate starts, "
        f"seed {args.seed}"
    )
    print(
        f"wall time: {elapsed:.2f} s for solve() (candidates + model + CP-SAT); "
        f"parse + candidates alone {listed - began:.2f} s"
    )
    print(f"peak Python memory: {peak / 2**20:.1f} MB (tracemalloc)")
    print(
        f"peak RSS growth: {(rss_after - rss_before) / 1024:.1f} MB, "
        f"peak RSS {rss_after / 1024:.1f} MB"
    )
    print(f"status: {result.status}, proven optimal: {result.status == 'optimal'}", end="")
    print(f", gap {result.gap:.6f}" if result.gap is not None else "")
    if result.reason:
        print(f"reason: {result.reason}")
    print(f"total reach: {result.total_reach:.6f} of {args.webinars}")
    naive = evaluate(problem, naive_plan(problem))
    print(
        f"naive plan (one hour, in order): total reach "
        f"{sum(p.reach for p in naive.values()):.6f}, "
        f"{sum(1 for p in naive.values() if p.conflicts)} webinars breaking a rule"
    )
    for key, start in sorted(result.timetable.items(), key=lambda kv: kv[1]):
        print(f"  {key:>4} {start.isoformat()}  reach {result.reach[key]:.4f}")


if __name__ == "__main__":
    main()
