"""Directory benchmark: page time of a filtered search, and the import dry run, at scale.

Run: .venv/bin/python bench/directory_bench.py [--organisations 5000] [--rows 2000]
It builds a fresh SQLite database in a temporary folder and prints its measurements.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc

os.environ["DEEPDIVE_VAR"] = tempfile.mkdtemp(prefix="deepdive-bench-")
os.environ["DEEPDIVE_TESTING"] = "1"
os.environ["DEEPDIVE_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from deepdive.directory.interfaces.imports import check_rows, read_table  # noqa: E402
from deepdive.directory.models import Organisation  # noqa: E402
from deepdive.reference.models import Country, PartnerType, Theme  # noqa: E402
from deepdive.reference.operations import load_reference_data  # noqa: E402


def timed(label: str, runs: int, action) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = action()
        assert response.status_code == 200, response.status_code
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label}: median {statistics.median(samples):.1f} ms, "
        f"max {max(samples):.1f} ms over {runs} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_reference_data()
    types = list(PartnerType.objects.all())
    countries = list(Country.objects.all())
    themes = list(Theme.objects.all())
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench organisation {i} {'union' if i % 7 == 0 else 'network'}",
            acronym=f"BO{i}",
            slug=f"bench-organisation-{i}",
            partner_type=types[i % len(types)],
            description="A generated organisation for the benchmark.",
        )
        for i in range(args.organisations)
    )
    through = Organisation.countries.through
    theme_through = Organisation.themes.through
    ids = list(Organisation.objects.values_list("pk", flat=True))
    through.objects.bulk_create(
        through(organisation_id=pk, country_id=countries[pk % len(countries)].pk) for pk in ids
    )
    theme_through.objects.bulk_create(
        theme_through(organisation_id=pk, theme_id=themes[pk % len(themes)].pk) for pk in ids
    )
    print(f"{len(ids)} organisations, Python {sys.version.split()[0]}, SQLite")

    client = Client()
    timed("directory page, no filter", 20, lambda: client.get("/directory/"))
    timed(
        "directory page, search + 3 filters, page 3",
        20,
        lambda: client.get(
            "/directory/?q=union&type=workers_organisation&type=civil_society"
            "&region=africa&theme=child_labour&page=3"
        ),
    )

    header = "name,acronym,partner_type,countries,themes,domains\n"
    body = "".join(
        f"Imported organisation {i},IO{i},civil_society,GH;NP,child_labour,io{i}.example.org\n"
        for i in range(args.rows)
    )
    content = (header + body).encode()
    tracemalloc.start()
    start = time.perf_counter()
    preview = check_rows(read_table(content, "csv"))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"import dry run of {args.rows} rows: {elapsed * 1000:.0f} ms, "
        f"peak Python memory {peak / 1e6:.1f} MB, valid={preview.is_valid}"
    )


if __name__ == "__main__":
    main()
