"""An invitation campaign to 5,000 people: drafting, queueing, sending, memory (issue 14).

Run: .venv/bin/python bench/campaign_bench.py [--recipients 5000] [--send N]

It builds a fresh SQLite database in a temporary folder (the reference data, one series with
its timetable rules, a published webinar to come, one member organisation and ``--recipients``
people who are its verified contacts, written with ``bulk_create``: people in three languages
and five time zones), then measures, as the secretariat and the platform do it:

1. **Drafting**: ``communications.campaigns.draft_campaign`` to "all verified contacts of all
   member organisations" (the audience read from the directory, one held outbox message per
   person rendered in their language with the time in their zone): time, CPU time and SQL
   statements (counted with ``connection.execute_wrapper``; ``CaptureQueriesContext`` keeps
   only the last 9,000), per message too. Not under tracemalloc: it slows the rendering of
   5,000 messages eightfold; the process's peak resident memory after it is given instead.
2. **Queueing**: ``start_sending`` with the highest rate (every message released at once by the
   outbox's ``approve``, one delivery task each, written on commit): time and statements; and
   its peak Python memory (tracemalloc) measured on a second campaign of the same size (to
   another webinar), drafted the same way, whose messages and tasks are then removed.
3. **Sending**: ``--send`` messages (2,000 by default, -1 for all, 0 to skip) delivered by the
   outbox's worker (``deepdive db_worker --batch`` in this process, as the demo runs it: claim,
   consent check, one SMTP conversation, sent) to a local SMTP sink (aiosmtpd in a thread):
   e-mails per second; the sink counts each recipient and the script checks nobody got two.

Peak resident memory of the whole process (``ru_maxrss``) is printed at the end. SQLite only.
"""

import argparse
import logging
import os
import resource
import signal
import socket
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests package (factories)
os.environ["DEEPDIVE_VAR"] = tempfile.mkdtemp(prefix="deepdive-bench-")
os.environ["DEEPDIVE_TESTING"] = "1"
os.environ["DEEPDIVE_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from deepdive.accounts.models import User  # noqa: E402
from deepdive.communications import audiences, campaigns  # noqa: E402
from deepdive.communications.models import Campaign  # noqa: E402
from deepdive.directory.models import Affiliation  # noqa: E402
from deepdive.outbox.models import OutboxMessage  # noqa: E402
from deepdive.reference.operations import load_reference_data  # noqa: E402
from deepdive.webinars.models import Webinar  # noqa: E402
from tests.accounts.factories import SecretariatFactory  # noqa: E402
from tests.webinars.factories import (  # noqa: E402
    CallFactory,
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    SeriesFactory,
    rules_for,
)

ZONES = ["Europe/Paris", "America/Lima", "Asia/Tokyo", "Africa/Accra", "Pacific/Fiji"]
LANGUAGES = ["en", "fr", "es"]
STATUS = OutboxMessage.Status


class Bench:
    """One series with its call and rules, one member organisation, the secretariat."""

    def __init__(self) -> None:
        self.series = SeriesFactory()
        self.call = CallFactory(series=self.series)
        rules_for(self.call)
        self.organisation = OrganisationFactory(is_member=True)
        self.secretariat = SecretariatFactory()

    def webinar(self, title: str) -> Webinar:
        start = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
        return PublishedWebinarFactory(
            proposal=ProposalFactory(call=self.call, title=title),
            starts_at=start,
            planned_start=start,
            members_only=False,
        )

    def members(self, n: int) -> None:
        """``n`` signed-up people, address verified, verified contacts of the member."""
        unusable = make_password(None)  # no hashing: these people never log in
        with transaction.atomic():
            User.objects.bulk_create(
                (
                    User(
                        email=f"member{i}@bench.example",
                        name=f"Member {i}",
                        password=unusable,
                        language=LANGUAGES[i % 3],
                        timezone=ZONES[i % len(ZONES)],
                    )
                    for i in range(n)
                ),
                batch_size=500,
            )
            people = list(
                User.objects.filter(email__endswith="@bench.example").values_list("pk", "email")
            )
            EmailAddress.objects.bulk_create(
                (
                    EmailAddress(user_id=pk, email=e, primary=True, verified=True)
                    for pk, e in people
                ),
                batch_size=500,
            )
            Affiliation.objects.bulk_create(
                (
                    Affiliation(
                        user_id=pk,
                        organisation=self.organisation,
                        status=Affiliation.Status.VERIFIED,
                    )
                    for pk, _ in people
                ),
                batch_size=500,
            )

    def draft(self, webinar: Webinar) -> tuple[Campaign, int]:
        return campaigns.draft_campaign(
            actor=self.secretariat,
            series=self.series,
            webinar=webinar,
            audience=audiences.Audience(self.series.pk, audiences.MEMBERS),
            rate_per_minute=campaigns.MAX_RATE,
        )


class QueryCount:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(run, *, trace: bool = False) -> dict:
    """Run ``run()``: its result, wall and CPU time, SQL statements, and with ``trace`` its
    peak Python memory (tracemalloc, started and stopped around it)."""
    counter = QueryCount()
    if trace:
        tracemalloc.start()
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        with connection.execute_wrapper(counter):
            result = run()
    finally:
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    return {
        "result": result,
        "seconds": seconds,
        "cpu": cpu,
        "queries": counter.count,
        "peak": peak,
    }


class Sink:
    """A local SMTP server's handler: counts each recipient."""

    def __init__(self) -> None:
        self.recipients: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deliver(campaign: Campaign, limit: int | None) -> dict:
    """The outbox's worker (``db_worker --batch``, in this process) delivers ``limit`` (None:
    all) of the campaign's queued messages to a local SMTP sink; the other tasks are removed
    first."""
    queued = OutboxMessage.objects.filter(batch=campaign.batch, status=STATUS.QUEUED).order_by("pk")
    keep = set(
        queued.values_list("pk", flat=True)[:limit]
        if limit
        else queued.values_list("pk", flat=True)
    )
    if limit:
        DBTaskResult.objects.exclude(
            pk__in=[
                t.pk
                for t in DBTaskResult.objects.all()
                if (t.args_kwargs.get("kwargs") or {}).get("message_id") in keep
            ]
        ).delete()
    sink = Sink()
    server = Controller(sink, hostname="127.0.0.1", port=free_port())
    server.start()
    settings.OUTBOX_DELIVERY = {
        **settings.OUTBOX_DELIVERY,
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "HOST": "127.0.0.1",
        "PORT": server.port,
        "USERNAME": "",
        "PASSWORD": "",
        "USE_TLS": False,
        "USE_SSL": False,
        "TIMEOUT": 5,
    }
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    counter = QueryCount()
    try:
        start, start_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):  # the worker runs its tasks in this thread
            call_command(
                "db_worker",
                batch=True,
                queue_name="*",
                startup_delay=False,
                reload=False,
                interval=0,
                verbosity=0,
                stdout=StringIO(),
            )
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu  # the worker's and the SMTP server's threads
    finally:
        server.stop()
        for s, handler in saved.items():
            signal.signal(s, handler)
    sent = OutboxMessage.objects.filter(pk__in=keep, status=STATUS.SENT).count()
    assert sent == len(keep) == len(sink.recipients), (sent, len(keep), len(sink.recipients))
    assert set(sink.recipients.values()) == {1}, "someone received the invitation twice"
    return {"sent": sent, "seconds": seconds, "cpu": cpu, "queries": counter.count}


def maxrss() -> int:
    """The process's peak resident memory so far, in bytes (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument(
        "--send", type=int, default=2000, help="messages to deliver (0: none, -1: all)"
    )
    args = parser.parse_args()
    n = args.recipients
    call_command("migrate", verbosity=0)
    load_reference_data()
    bench = Bench()
    bench.members(n)
    first = bench.webinar("Campaign bench: supply chains that work")
    second = bench.webinar("Campaign bench: the second invitation")
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"\nAn invitation to {n} verified contacts of a member organisation:")

    def row(name: str, r: dict, count: int, peak: str) -> None:
        print(
            f"| {name} | {r['seconds']:.2f} s | {r['cpu']:.2f} s "
            f"| {r['seconds'] / count * 1000:.2f} ms | {r['queries']} "
            f"| {r['queries'] / count:.1f} | {peak} |"
        )

    drafted = timed(lambda: bench.draft(first))
    campaign, count = drafted["result"]
    assert count == n, (count, n)
    after_drafting = maxrss()

    # The queueing's peak memory, on a second campaign (tracemalloc slows it down).
    other, _ = bench.draft(second)
    traced = timed(
        lambda: campaigns.start_sending(actor=bench.secretariat, campaign=other), trace=True
    )
    assert traced["result"] == n, traced["result"]
    DBTaskResult.objects.all().delete()
    OutboxMessage.objects.filter(batch=other.batch).delete()

    queued = timed(lambda: campaigns.start_sending(actor=bench.secretariat, campaign=campaign))
    assert queued["result"] == n, queued["result"]
    assert DBTaskResult.objects.count() == n
    print(
        "\n| step | time | CPU | per message | SQL statements | per message | peak Python memory |"
    )
    print("|---|---|---|---|---|---|---|")
    row("draft (audience read, one held message rendered per person)", drafted, n, "—")
    row("Send: every message approved, one task each", queued, n, mb(traced["peak"]))
    print(
        f"\nPeak resident memory after drafting {mb(after_drafting)}, after the two Sends "
        f"{mb(maxrss())}; under tracemalloc the Send took {traced['seconds']:.2f} s "
        f"(CPU {traced['cpu']:.2f} s)."
    )

    if args.send != 0:
        r = deliver(campaign, None if args.send < 0 else args.send)
        print(
            f"\nOutbox to a local SMTP sink (db_worker --batch in this process): {r['sent']} "
            f"e-mails in {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s, with the sink's), "
            f"**{r['sent'] / r['seconds']:.0f} e-mails/s**, {r['cpu'] / r['sent'] * 1000:.1f} ms "
            f"of CPU and {r['queries'] / r['sent']:.1f} SQL statements per e-mail (the worker's "
            "own included), each recipient once"
        )
    print(
        f"\nPeak resident memory (ru_maxrss) {mb(maxrss())}; load average "
        f"{os.getloadavg()[0]:.1f}; whole run {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
