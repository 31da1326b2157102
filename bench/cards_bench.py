"""Drawing a webinar's announcement cards: one card of each size (and the A4 PDF), cold and
cached (issue 14).

Run: .venv/bin/python bench/cards_bench.py [--runs 5]

It builds a fresh SQLite database in a temporary folder (the reference data, one published
webinar with a lead organisation and two themes; cards stored under a temporary MEDIA_ROOT),
then for each size, ``--runs`` times:

1. cold: ``communications.queries.webinar_card`` with the storage emptied first: the card's
   data read from the database, the card drawn (Pillow, Raqm), encoded (PNG, or PDF at 150
   dpi), its thumbnail and its warnings stored;
2. cached: the same call again: the data read, the hash worked out, the stored card found;
3. the HTTP request (Django's test client, whole request) for the cached card.

Wall time, median and max, in milliseconds; and the size of the stored file.
"""

import argparse
import os
import shutil
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

from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from deepdive.communications import cards, queries  # noqa: E402
from deepdive.reference.models import Theme  # noqa: E402
from deepdive.reference.operations import load_reference_data  # noqa: E402
from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory  # noqa: E402


def milliseconds(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} {max(values) * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_reference_data()
    proposal = ProposalFactory(
        title="Ending child labour in cocoa supply chains: what works in cooperatives"
    )
    proposal.themes.set(Theme.objects.all()[:2])
    webinar = PublishedWebinarFactory(proposal=proposal)
    client = Client()
    media = Path(settings.MEDIA_ROOT) / "cards"
    print(f"{'card':<10} {'cold median/max ms':>20} {'cached':>16} {'HTTP':>16} {'bytes':>9}")
    for size, (_w, _h, kind) in cards.SIZES.items():
        cold, cached, http = [], [], []
        url = reverse("communications:card", args=[webinar.pk, "en", size, kind])
        for _run in range(args.runs):
            shutil.rmtree(media, ignore_errors=True)
            start = time.perf_counter()
            stored = queries.webinar_card(webinar, language="en", size=size)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            queries.webinar_card(webinar, language="en", size=size)
            cached.append(time.perf_counter() - start)
            start = time.perf_counter()
            response = client.get(url)
            http.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        stored_bytes = default_storage.size(f"{stored.name}.{kind}")
        print(
            f"{size:<10} {milliseconds(cold):>20} {milliseconds(cached):>16} "
            f"{milliseconds(http):>16} {stored_bytes:>9}"
        )


if __name__ == "__main__":
    main()
