"""Registering for a webinar that already has 2,000 registrations, and the reminder batch.

Run: .venv/bin/python bench/registration_bench.py [--registrations 2000] [--runs 20]
     [--reminder-sizes 200,2000] [--send 2000] [--page-runs 200]

It builds a fresh SQLite database in a temporary folder (the reference data, one series with
its timetable rules, the people and registrations written with ``bulk_create``: hashing 2,000
passwords would take minutes and is not what is measured), then measures:

1. A public webinar (members may register too) with ``--registrations`` registrations already,
   half of members signed up with an account, half of the public with a confirmed address, and
   a capacity above that (so every request counts the seats under the webinar's row lock).
   Through Django's test client, whole request (middleware, view, service, lock, audit entry,
   e-mail rendered and queued in the outbox after the commit), ``--runs`` times each with a new
   person: a signed-in member's one-click POST to ``webinars:register``, a public registrant's
   form POST to ``webinars:register_public`` (name, e-mail and every answer), and the webinar
   page's GET, anonymous and as a registered member. Wall time (median, max), CPU time of the
   process (median) and the queries of one request.
2. The reminder batch: for each of ``--reminder-sizes``, a webinar starting in 7 days less 5
   minutes with that many registrations (half members, half public) made 10 days before, so
   each is due for its 7-day reminder; the scheduler's job ``webinars.reminders`` (the function
   ``periodic.py`` registers) is run once: reminders per second and SQL queries, counted with
   ``connection.execute_wrapper`` (``CaptureQueriesContext`` keeps only the last 9,000), per
   reminder too, to see whether they grow with the registrations.
3. With ``--send N`` (0 to skip): the outbox delivers N of the last batch's e-mails (every
   other queued task is removed first) to a local SMTP server (aiosmtpd, as in
   ``tests/outbox``), run by ``deepdive db_worker --batch`` as the demo runs it: e-mails per
   second.

4. With ``--page-runs N`` (0 to skip): the webinar page as the programme shows it now, on a
   webinar with a published repeat session, six audience zones (two "time around the world"
   tables of eight rows and two sets of calendar links), a workspace description, an agenda of
   five items and four listed speakers: N GETs each, anonymous and as a registered member
   (who reads it in another zone and language). Wall and CPU time (median, min), queries.

SQLite only: the other benchmarks offer no PostgreSQL set-up (``DEEPDIVE_DATABASE_URL`` would
point the settings at one, but the script creates its database in a temporary folder).
"""

import argparse
import logging
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from deepdive.accounts.models import User  # noqa: E402
from deepdive.core.scheduling import periodic  # noqa: E402
from deepdive.directory.models import Affiliation  # noqa: E402
from deepdive.outbox.models import OutboxMessage  # noqa: E402
from deepdive.reference.operations import load_reference_data  # noqa: E402
from deepdive.webinars.models import (  # noqa: E402
    AgendaItem,
    Registration,
    ReminderSent,
    Speaker,
    Webinar,
)
from tests.webinars.factories import (  # noqa: E402
    CallFactory,
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    SeriesFactory,
    rules_for,
)

ZONES = ["Europe/Paris", "America/Lima", "Asia/Tokyo", "Africa/Accra", "Pacific/Fiji"]
LANGUAGES = ["en", "fr", "es"]


class Bench:
    """The series, its call, one member organisation, and a counter for unique addresses."""

    def __init__(self) -> None:
        self.series = SeriesFactory()
        self.call = CallFactory(series=self.series)
        rules_for(self.call)
        self.organisation = OrganisationFactory(is_member=True)
        self.unusable = make_password(None)  # no hashing: these people never log in
        self.count = 0

    def webinar(self, title: str, starts_in: timedelta, **kwargs) -> Webinar:
        start = (timezone.now() + starts_in).replace(second=0, microsecond=0)
        return PublishedWebinarFactory(
            proposal=ProposalFactory(call=self.call, title=title),
            starts_at=start,
            planned_start=start,
            members_only=False,
            **kwargs,
        )

    def members(self, n: int) -> list[User]:
        """``n`` signed-up people, address verified, verified contacts of a member."""
        first = self.count
        self.count += n
        people = User.objects.bulk_create(
            User(
                email=f"member{i}@bench.example",
                name=f"Member {i}",
                password=self.unusable,
                language=LANGUAGES[i % 3],
                timezone=ZONES[i % len(ZONES)],
            )
            for i in range(first, first + n)
        )
        people = list(User.objects.filter(email__in=[p.email for p in people]).order_by("pk"))
        EmailAddress.objects.bulk_create(
            EmailAddress(user=p, email=p.email, primary=True, verified=True) for p in people
        )
        Affiliation.objects.bulk_create(
            Affiliation(user=p, organisation=self.organisation, status=Affiliation.Status.VERIFIED)
            for p in people
        )
        return people

    def registrations(self, webinar: Webinar, n: int, *, made_before: timedelta | None = None):
        """``n`` registered people on ``webinar``: half members, half public with a confirmed
        address; with ``made_before``, dated that long before its start."""
        now = timezone.now()
        rows = [
            Registration(
                webinar=webinar,
                user=p,
                email=p.email,
                name=p.name,
                language=p.language,
                timezone=p.timezone,
                email_verified_at=now,
                country="GH",
                sex=Registration.Sex.FEMALE if p.pk % 2 else Registration.Sex.MALE,
            )
            for p in self.members(n // 2)
        ]
        first = self.count
        self.count += n - n // 2
        rows += [
            Registration(
                webinar=webinar,
                email=f"public{i}@bench.example",
                name=f"Public {i}",
                language=LANGUAGES[i % 3],
                timezone=ZONES[i % len(ZONES)],
                email_verified_at=now,
                organisation_name="A union of tea workers",
                country="NP",
                consents_to_contact=True,
            )
            for i in range(first, first + n - n // 2)
        ]
        with transaction.atomic():
            Registration.objects.bulk_create(rows, batch_size=500)
            if made_before is not None:
                Registration.objects.filter(webinar=webinar).update(
                    created_at=webinar.starts_at - made_before
                )


class QueryCount:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(request, runs: int) -> dict:
    """Run ``request(i)`` (a test-client call returning the response) ``runs`` times."""
    wall, cpu, queries = [], [], 0
    for i in range(runs):
        counter = QueryCount()
        start, start_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            request(i)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        queries = queries or counter.count  # the first request's (the others do the same)
    return {
        "median": statistics.median(wall),
        "max": max(wall),
        "cpu": statistics.median(cpu),
        "cpu_min": min(cpu),
        "min": min(wall),
        "queries": queries,
    }


def registration_requests(bench: Bench, n: int, runs: int) -> tuple[list[tuple[str, dict]], int]:
    webinar = bench.webinar(
        "Registration bench: tea estates in Malawi", timedelta(days=30), capacity=n + 4 * runs
    )
    bench.registrations(webinar, n)
    register = reverse("webinars:register", kwargs={"pk": webinar.pk})
    public = reverse("webinars:register_public", kwargs={"pk": webinar.pk})
    page = reverse("webinars:detail", kwargs={"pk": webinar.pk})
    newcomers = bench.members(runs)
    clients = []
    for person in newcomers:
        client = Client()
        client.force_login(person)
        clients.append(client)

    def member_post(i: int):
        response = clients[i].post(register)
        assert response.status_code == 302, response.status_code
        assert response["Location"] == page, response["Location"]

    def public_post(i: int):
        response = Client().post(
            public,
            {
                "name": f"Newcomer {i}",
                "email": f"newcomer{i}@bench.example",
                "organisation": str(bench.organisation.pk),
                "organisation_name": "",
                "country": "GH",
                "partner_type": "",
                "sex": "female",
                "interpretation_needs": "French",
                "consents_to_contact": "on",
            },
        )
        assert response.status_code == 200, response.status_code

    anonymous = Client()

    def anonymous_get(i: int):
        assert anonymous.get(page).status_code == 200

    def member_get(i: int):
        assert clients[0].get(page).status_code == 200

    results = [
        ("member's one-click registration (POST, redirect)", measure(member_post, runs)),
        ("public registration form (POST)", measure(public_post, runs)),
        ("webinar page, anonymous (GET)", measure(anonymous_get, runs)),
        ("webinar page, registered member (GET)", measure(member_get, runs)),
    ]
    total = Registration.objects.filter(webinar=webinar).count()
    registered = Registration.objects.filter(
        webinar=webinar, status=Registration.Status.REGISTERED
    ).count()
    pending = Registration.objects.filter(webinar=webinar, status=Registration.Status.PENDING)
    assert registered == n + runs and pending.count() == runs, (registered, pending.count())
    # Each request queued its e-mail: the invitation, or the link confirming the address.
    queued = OutboxMessage.objects.filter(to_email__startswith="newcomer").count()
    queued += OutboxMessage.objects.filter(to_email__in=[p.email for p in newcomers]).count()
    assert queued == 2 * runs, queued
    return results, total


def page_requests(bench: Bench, runs: int) -> list[tuple[str, dict]]:
    """The webinar page with everything it shows for a webinar with a repeat (see the module's
    docstring), anonymous and as a registered member, ``runs`` GETs each."""
    webinar = bench.webinar("Page bench: seafood supply chains", timedelta(days=30))
    webinar.audience = {
        "Australia/Sydney": 20,
        "Europe/Paris": 20,
        "America/Lima": 15,
        "America/Mexico_City": 15,
        "Pacific/Auckland": 15,
        "Pacific/Fiji": 15,
    }
    webinar.descriptions = {"en": "Reporting laws and what they ask of fishing fleets. " * 8}
    webinar.save()
    RepeatSessionFactory(webinar=webinar)
    AgendaItem.objects.bulk_create(
        AgendaItem(webinar=webinar, position=i, title=f"Part {i + 1}", minutes=10) for i in range(5)
    )
    Speaker.objects.bulk_create(
        Speaker(
            webinar=webinar,
            position=i,
            name=f"Speaker {i + 1}",
            title="Researcher",
            organisation_name="A research lab",
            bio="Works on supply chains.",
            consents_to_listing=True,
        )
        for i in range(4)
    )
    [reader] = bench.members(1)
    RegistrationFactory(webinar=webinar, user=reader)
    page = reverse("webinars:detail", kwargs={"pk": webinar.pk})
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(reader)

    def get(client: Client):
        def request(i: int):
            assert client.get(page).status_code == 200

        return request

    get(anonymous)(0), get(signed_in)(0)  # templates compiled, kept tables made
    return [
        ("webinar page with a repeat, anonymous (GET)", measure(get(anonymous), runs)),
        ("webinar page with a repeat, registered member (GET)", measure(get(signed_in), runs)),
    ]


def reminder_batch(bench: Bench, n: int) -> dict:
    webinar = bench.webinar(
        f"Reminder bench: {n} registrants", timedelta(days=7) - timedelta(minutes=5)
    )
    bench.registrations(webinar, n, made_before=timedelta(days=10))
    [job] = [job for job in periodic.jobs() if job.name == "webinars.reminders"]
    counter = QueryCount()  # CaptureQueriesContext keeps only the last 9,000 queries
    start, start_cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        sent = job.run()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    assert sent == n, (sent, n)
    assert ReminderSent.objects.filter(webinar=webinar).count() == n
    assert OutboxMessage.objects.filter(kind="registrant.7d", to_email__contains="@bench").count()
    return {
        "sent": sent,
        "seconds": seconds,
        "cpu": cpu,
        "queries": counter.count,
    }


class Collector:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deliver(limit: int) -> dict:
    """The outbox's worker delivers ``limit`` reminders of the last batch over SMTP (every
    other queued task is removed first)."""
    keep = list(
        OutboxMessage.objects.filter(kind="registrant.7d", status=OutboxMessage.Status.QUEUED)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
    tasks = [
        t
        for t in DBTaskResult.objects.all()
        if (t.args_kwargs.get("kwargs") or {}).get("message_id") in keep
    ]
    DBTaskResult.objects.exclude(pk__in=[t.pk for t in tasks]).delete()
    handler = Collector()
    server = Controller(handler, hostname="127.0.0.1", port=free_port())
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
    try:
        start, start_cpu = time.perf_counter(), time.process_time()
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
        for s, handler_ in saved.items():
            signal.signal(s, handler_)
    sent = OutboxMessage.objects.filter(pk__in=keep, status=OutboxMessage.Status.SENT).count()
    assert sent == len(keep) == handler.received, (sent, len(keep), handler.received)
    return {"sent": sent, "seconds": seconds, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reminder-sizes", default="200,2000")
    parser.add_argument("--send", type=int, default=2000)
    parser.add_argument("--page-runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_reference_data()
    bench = Bench()
    started = time.perf_counter()

    print(f"Python {sys.version.split()[0]}, SQLite; load average {os.getloadavg()[0]:.1f}")
    print(f"\n{args.registrations} registrations on one webinar; {args.runs} requests each:\n")
    print("| request | median | max | CPU (median) | queries |")
    print("|---|---|---|---|---|")
    results, total = registration_requests(bench, args.registrations, args.runs)
    for name, r in results:
        print(
            f"| {name} | {r['median']:.1f} ms | {r['max']:.1f} ms | {r['cpu']:.1f} ms "
            f"| {r['queries']} |"
        )

    print(f"\n{total} registrations on the webinar after the runs; the first request of each row")
    print("is the first of its kind in the process (templates not yet cached).")

    if args.page_runs:
        print(f"\nThe webinar page with a repeat session, {args.page_runs} requests each:\n")
        print("| request | wall median / min | CPU median / min | queries |")
        print("|---|---|---|---|")
        for name, r in page_requests(bench, args.page_runs):
            print(
                f"| {name} | {r['median']:.1f} / {r['min']:.1f} ms "
                f"| {r['cpu']:.1f} / {r['cpu_min']:.1f} ms | {r['queries']} |"
            )
    print("\nThe 7-day reminders (job webinars.reminders, one run):\n")
    print("| registrations due | time | CPU | reminders/s | SQL queries | queries per reminder |")
    print("|---|---|---|---|---|---|")
    for n in [int(s) for s in args.reminder_sizes.split(",")]:
        r = reminder_batch(bench, n)
        print(
            f"| {n} | {r['seconds']:.2f} s | {r['cpu']:.2f} s | {r['sent'] / r['seconds']:.0f} "
            f"| {r['queries']} | {r['queries'] / r['sent']:.1f} |"
        )

    if args.send:
        r = deliver(args.send)
        print(
            f"\nOutbox to a local SMTP server (db_worker --batch): {r['sent']} e-mails in "
            f"{r['seconds']:.1f} s (CPU {r['cpu']:.1f} s, with the SMTP server's), "
            f"{r['sent'] / r['seconds']:.0f} e-mails/s"
        )
    print(
        f"\nload average {os.getloadavg()[0]:.1f}; whole run {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
