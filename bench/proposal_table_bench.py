"""The secretariat's proposal table (and one proposal's page) at 125 → 1,000 proposals.

Run: .venv/bin/python bench/proposal_table_bench.py [--sizes 125,250,500,1000] [--runs 7]

For each size it builds a fresh SQLite database in a temporary folder with one call of N
submitted proposals (about 150-word descriptions from a shared vocabulary, every 25th a lightly
edited copy of another, so the near-duplicate column has something to show), then times the
table's first page (50 rows, whole request through Django's test client, signed in as the
secretariat) and one proposal's page: the median over ``--runs`` requests, with the number of
queries of one request. Where the platform keeps the near-duplicate pairs, they are filled once
with ``deepdive near_duplicates`` before timing (its time is printed too).
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
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
from django.core.management.base import CommandError  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from deepdive.proposals.models import Proposal  # noqa: E402

try:
    from deepdive.proposals.operations import refresh_near_duplicates  # noqa: E402
except ImportError:  # before the pairs were kept
    pass
from deepdive.reference.operations import load_reference_data  # noqa: E402
from tests.proposals.factories import CallFactory, OrganisationFactory, UserFactory  # noqa: E402

WORDS = (
    "child forced labour supply chain due diligence cocoa coffee cotton mining fishing "
    "garment migrant workers recruitment fees debt bondage remediation monitoring audit "
    "cooperative union buyer premium community school inspection law policy data survey "
    "gender youth rural farm factory port vessel grievance mechanism training finance "
    "government employer partnership pilot result lesson evidence risk assessment"
).split()


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(n: int, rng: random.Random):
    call = CallFactory()
    leads = [OrganisationFactory() for _ in range(20)]
    user = UserFactory()
    now = timezone.now()
    rows = []
    for i in range(n):
        if i % 25 == 24:
            source = rows[rng.randrange(len(rows))]
            title, description = source.title + " revisited", source.description + " Updated."
        else:
            title = f"{text(rng, 5)[:-1]} {i}"
            description = text(rng, 150)
        rows.append(
            Proposal(
                call=call,
                status=Proposal.Status.SUBMITTED,
                created_by=user,
                lead_organisation=leads[i % len(leads)],
                contact_name=f"Contact {i}",
                contact_email=f"c{i}@example.org",
                title=title,
                description=description,
                language="en",
                submitted_at=now,
            )
        )
    Proposal.objects.bulk_create(rows)
    return call


def median_ms(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    """(median wall time, median CPU time of this process, queries of one request)."""
    samples, cpu, count = [], [], [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return statistics.median(samples), statistics.median(cpu), count[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="125,250,500,1000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_reference_data()
    secretariat = UserFactory(is_secretariat=True)
    client = Client()
    client.force_login(secretariat)
    rng = random.Random(1)
    print(f"Python {sys.version.split()[0]}, SQLite; median of {args.runs} requests")
    print(
        "| proposals | all pairs worked out (CPU) | one proposal's pairs (CPU) "
        "| table, page 1: wall / CPU | queries | one proposal's page: wall / CPU | queries |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        call = build(n, rng)
        first = Proposal.objects.filter(call=call).order_by("pk").first()
        # Every pair of the call: what each request of the table did before the pairs were
        # kept; now done once (``deepdive near_duplicates``), then one proposal per change.
        start = time.process_time()
        try:
            call_command("near_duplicates", call=call.pk, verbosity=0, stdout=io.StringIO())
            fill = f"{(time.process_time() - start):.2f} s"
            start = time.process_time()
            refresh_near_duplicates(proposal=first)
            one = f"{(time.process_time() - start) * 1000:.0f} ms"
        except (CommandError, NameError):
            fill = one = "—"
        table, table_cpu, table_q = median_ms(
            client, f"/manage/calls/{call.pk}/proposals/", args.runs
        )
        page, page_cpu, page_q = median_ms(client, f"/manage/proposals/{first.pk}/", args.runs)
        print(
            f"| {n} | {fill} | {one} | {table:.0f} / {table_cpu:.0f} ms | {table_q} "
            f"| {page:.0f} / {page_cpu:.0f} ms | {page_q} |"
        )


if __name__ == "__main__":
    main()
