"""A series' public programme at 25 → 200 published webinars.

Run: .venv/bin/python bench/programme_bench.py [--sizes 25,50,100,200] [--runs 20]

For each size it builds a fresh series in a temporary SQLite database with N published
webinars (made with the tests' factories, like the pretalx comparison's ``bench-36``: two
themes, two Outcomes, two countries, interpretation, a confirmed co-submitter each), half of
them past and half upcoming, then times ``/series/<slug>/`` through Django's test client (whole
request): for a signed-in reader (always rendered afresh) and for anonymous readers (who may get
a kept copy), the median over ``--runs`` requests, with the size of the HTML and the number of
queries of one fresh rendering.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests package (factories)
os.environ["DEEPDIVE_VAR"] = tempfile.mkdtemp(prefix="deepdive-bench-")
os.environ["DEEPDIVE_TESTING"] = "1"
os.environ["DEEPDIVE_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from deepdive.reference.operations import load_reference_data  # noqa: E402
from tests.webinars.factories import (  # noqa: E402
    CallFactory,
    CoSubmitterFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    SeriesFactory,
    paris,
)


def build(n: int) -> str:
    with transaction.atomic():
        series = SeriesFactory()
        call = CallFactory(
            series=series,
            opens_at=timezone.now() - timedelta(days=400),
            closes_at=timezone.now() - timedelta(days=370),
        )
        first = timezone.now().date() - timedelta(days=n)  # half past, half upcoming
        for i in range(n):
            day = first + timedelta(days=2 * i)
            start = paris(day.year, day.month, day.day, 14 if i % 2 else 10)
            webinar = PublishedWebinarFactory(
                proposal=ProposalFactory(
                    call=call,
                    title=f"Bench webinar {i} on supply chain due diligence",
                    themes=["child_labour", "forced_labour"],
                    outcomes=[1, 2],
                    countries=["GH", "NP"],
                    interpretation=["fr", "es"],
                ),
                starts_at=start,
                planned_start=start,
            )
            CoSubmitterFactory(proposal=webinar.proposal)
    return f"/series/{series.slug}/"


def timed(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median wall time, median CPU time, queries of the first request, its HTML size)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return statistics.median(samples), statistics.median(cpu), count[0], size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="25,50,100,200")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_reference_data()
    signed_in = Client()
    signed_in.force_login(ReaderFactory())
    print(f"Python {sys.version.split()[0]}, SQLite; median of {args.runs} requests")
    print("| webinars | signed in (fresh): wall / CPU | queries | HTML | anonymous: wall / CPU |")
    print("|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        url = build(n)
        fresh, fresh_cpu, queries, size = timed(signed_in, url, args.runs)
        anonymous, anonymous_cpu, _q, _s = timed(Client(), url, args.runs)
        print(
            f"| {n} | {fresh:.1f} / {fresh_cpu:.1f} ms | {queries} | {size / 1000:.0f} KB "
            f"| {anonymous:.1f} / {anonymous_cpu:.1f} ms |"
        )


if __name__ == "__main__":
    main()
