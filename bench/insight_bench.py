"""The reports of issue 15 at scale: time and SQL queries per page, at two sizes.

Run: .venv/bin/python bench/insight_bench.py [--small 5,2000,1000] [--full 50,20000,10000]
                                             [--runs 5]

Each size (webinars, registrations, attendance rows) is built in a fresh SQLite database in a
temporary folder, in its own process (so that the API's lists, which span every series, and
the kept chart drawings start from nothing): the reference data (the Supply Chains workplan),
one series with two calls, 30 organisations (every partner type, half members, countries of
every ILO region), four proposals per webinar (themes, sectors, Outcomes, countries, a
confirmed co-submitter for one in three; half selected), the webinars (four in five held, two
in five of them with a published recording, one in five published and to come), each linked to
one or two workplan Outputs, public materials, recording plays and downloads per day, the
registrations (half members with a verified affiliation, half the public with a confirmed
address; sex, country, zone, partner type, status all varied) and the attendance rows of the
held webinars (registrants, some walk-ins, one host each), with one feedback answer for every
fifth attendee. Everything is written with ``bulk_create``.

Then, through Django's test client (whole request), it measures each report page as the
secretariat (workplan coverage, diversity, participation, engagement: the page, ``?format=xlsx``
and ``?format=csv``), the public coverage summary and its files anonymously, and the public
API's list endpoints (and the series' coverage) anonymously: after one request to every page
(modules imported, templates compiled), the first request with Django's cache emptied (every
chart drawn afresh, as after any change to the figures) and the median of ``--runs`` more, and
the SQL queries of the last one (``CaptureQueriesContext``).

The check: every page must make as many queries at the full size as at the small one (its
queries do not grow with the rows). The script exits with 1 when one differs, naming it.
Times are printed, never checked.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
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
os.environ["DEEPDIVE_API_RATE"] = "1000000/min"  # the benchmark is one client
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepdive.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from deepdive.accounts.models import User  # noqa: E402
from deepdive.directory.models import Affiliation, Organisation  # noqa: E402
from deepdive.proposals.models import CoSubmitter, Proposal  # noqa: E402
from deepdive.reference.data.seed import SUPPLY_CHAINS  # noqa: E402
from deepdive.reference.models import (  # noqa: E402
    ActionGroup,
    Country,
    Output,
    PartnerType,
    Sector,
    Theme,
)
from deepdive.reference.operations import load_reference_data  # noqa: E402
from deepdive.selection.models import Decision, SelectionRun  # noqa: E402
from deepdive.webinars import models as webinar_models  # noqa: E402
from deepdive.webinars.models import (  # noqa: E402
    Attendance,
    Feedback,
    Material,
    Recording,
    Registration,
    Webinar,
)
from tests.accounts.factories import SecretariatFactory  # noqa: E402
from tests.webinars.factories import CallFactory, SeriesFactory, rules_for  # noqa: E402


def build(n_webinars: int, n_registrations: int, n_attendance: int) -> dict:
    """The series and its records; returns what the measurements need."""
    load_reference_data()
    now = timezone.now().replace(microsecond=0)
    unusable = make_password(None)  # nobody here logs in with a password
    with transaction.atomic():
        group = ActionGroup.objects.get(code=SUPPLY_CHAINS)
        series = SeriesFactory(action_group=group, slug="bench-series")
        calls = [
            CallFactory(
                series=series,
                opens_at=now - timedelta(days=500 - 200 * i),
                closes_at=now - timedelta(days=470 - 200 * i),
            )
            for i in range(2)
        ]
        for call in calls:
            rules_for(call)
        secretariat = SecretariatFactory()
        kinds = list(PartnerType.objects.order_by("code"))
        themes = list(Theme.objects.order_by("code"))
        sectors = list(Sector.objects.order_by("code"))
        outcomes = list(group.outcomes.order_by("number"))
        outputs = list(Output.objects.filter(outcome__action_group=group).order_by("pk"))
        # Countries of every ILO region, one after another.
        by_region: dict[str, list[Country]] = {}
        for c in Country.objects.order_by("code"):
            by_region.setdefault(c.ilo_region, []).append(c)
        countries = [
            row[i] for i in range(6) for row in by_region.values() if i < len(row)
        ]  # up to 6 of each region

        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench organisation {i}",
                slug=f"bench-organisation-{i}",
                partner_type=kinds[i % len(kinds)],
                is_member=i % 2 == 0,
            )
            for i in range(30)
        )
        Organisation.countries.through.objects.bulk_create(
            Organisation.countries.through(
                organisation_id=o.pk, country_id=countries[i % len(countries)].pk
            )
            for i, o in enumerate(organisations)
        )

        # Proposals: four per webinar, half selected; the first of each pair becomes one.
        proposals = Proposal.objects.bulk_create(
            Proposal(
                call=calls[i % 2],
                status=Proposal.Status.SUBMITTED,
                created_by=secretariat,
                lead_organisation=organisations[i % len(organisations)],
                contact_name=f"Contact {i}",
                contact_email=f"contact{i}@bench.example",
                title=f"Bench webinar {i} on due diligence in supply chains",
                description="What the webinar is about.",
                language="en",
                includes_pathfinder=i % 3 == 0,
                submitted_at=calls[i % 2].closes_at - timedelta(days=1 + i % 20),
            )
            for i in range(4 * n_webinars)
        )
        through = Proposal.themes.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, theme_id=themes[(i + k) % len(themes)].pk)
            for i, p in enumerate(proposals)
            for k in range(1 + i % 2)
        )
        through = Proposal.sectors.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, sector_id=sectors[i % len(sectors)].pk)
            for i, p in enumerate(proposals)
        )
        through = Proposal.outcomes.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, outcome_id=outcomes[i % len(outcomes)].pk)
            for i, p in enumerate(proposals)
        )
        through = Proposal.countries.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, country_id=countries[(3 * i + k) % len(countries)].pk)
            for i, p in enumerate(proposals)
            for k in range(i % 3)  # none, one or two countries of action
        )
        CoSubmitter.objects.bulk_create(
            CoSubmitter(
                proposal=p,
                organisation=organisations[(i + 7) % len(organisations)],
                status=CoSubmitter.Status.CONFIRMED,
                invited_at=now,
                decided_at=now,
            )
            for i, p in enumerate(proposals)
            if i % 3 == 0
        )
        runs = {
            call.pk: SelectionRun.objects.create(
                call=call, status=SelectionRun.Status.CONFIRMED, solver_status="optimal"
            )
            for call in calls
        }
        chosen = proposals[: 2 * n_webinars : 2]  # n_webinars of them
        Decision.objects.bulk_create(
            Decision(
                proposal=p,
                run=runs[p.call_id],
                outcome=(
                    Decision.Outcome.SELECTED
                    if i % 2 == 0 and i < 2 * n_webinars
                    else Decision.Outcome.NOT_SELECTED
                ),
                host_status=(
                    Decision.HostStatus.CONFIRMED if i % 2 == 0 and i < 2 * n_webinars else ""
                ),
            )
            for i, p in enumerate(proposals)
        )

        # Webinars: one in five to come; of the held ones, two in five with a recording.
        webinars = []
        for i, p in enumerate(chosen):
            if i % 5 == 4:
                starts, state = now + timedelta(days=7 + 3 * i), Webinar.State.READY
            else:
                starts = now - timedelta(days=10 + (300 * i) // max(n_webinars, 1))
                state = Webinar.State.RECORDING_PUBLISHED if i % 5 in (0, 2) else Webinar.State.HELD
            webinars.append(
                Webinar(
                    proposal=p,
                    minutes=60,
                    members_only=False,
                    joining_url=f"https://meet.example.org/j/{1000 + i}",
                    planned_start=starts,
                    starts_at=starts,
                    published_at=now - timedelta(days=400),
                    state=state,
                    capacity=None,
                )
            )
        webinars = Webinar.objects.bulk_create(webinars)
        # Each linked to one or two Outputs; the last two Outputs stay gaps.
        linkable = outputs[:-2]
        Webinar.outputs.through.objects.bulk_create(
            Webinar.outputs.through(webinar_id=w.pk, output_id=linkable[(i + k) % len(linkable)].pk)
            for i, w in enumerate(webinars)
            for k in range(1 + i % 2)
        )
        held = [w for w in webinars if w.state != Webinar.State.READY]
        recordings = Recording.objects.bulk_create(
            Recording(
                webinar=w,
                url=f"https://www.youtube.com/watch?v=bench{w.pk:06d}",
                provider=Recording.Provider.YOUTUBE,
                video_id=f"bench{w.pk:06d}",
                language="en",
                published_at=w.starts_at + timedelta(days=3),
            )
            for w in held
            if w.state == Webinar.State.RECORDING_PUBLISHED
        )
        materials = Material.objects.bulk_create(
            Material(
                webinar=w,
                title=f"Slides {k}",
                file=f"materials/bench-{w.pk}-{k}.pdf",
                content_type="application/pdf",
                size=2048,
                visibility=Material.Visibility.PUBLIC if k == 0 else Material.Visibility.MEMBERS,
            )
            for w in held
            for k in range(2)
        )
        # Plays and downloads per day, where the platform counts them (issue 15, part I3).
        plays = getattr(webinar_models, "RecordingPlays", None)
        if plays is not None:
            plays.objects.bulk_create(
                plays(recording=r, day=(r.published_at + timedelta(days=d)).date(), count=1 + d)
                for r in recordings
                for d in range(20)
            )
        downloads = getattr(webinar_models, "MaterialDownloads", None)
        if downloads is not None:
            downloads.objects.bulk_create(
                downloads(material=m, day=(now - timedelta(days=d)).date(), count=1 + d % 4)
                for m in materials
                for d in range(20)
            )

        # People: members (a verified affiliation to a member organisation) and the public.
        per_webinar = n_registrations // n_webinars
        n_members = max(n_registrations // 10, per_webinar)
        members_of = [o for o in organisations if o.is_member]
        User.objects.bulk_create(
            (
                User(
                    email=f"member{i}@bench.example",
                    name=f"Member {i}",
                    password=unusable,
                    timezone=countries[i % len(countries)].timezone,
                )
                for i in range(n_members)
            ),
            batch_size=1000,
        )
        people = list(
            User.objects.filter(email__endswith="@bench.example")
            .order_by("pk")
            .values_list("pk", "email")
        )
        EmailAddress.objects.bulk_create(
            (EmailAddress(user_id=pk, email=e, primary=True, verified=True) for pk, e in people),
            batch_size=1000,
        )
        Affiliation.objects.bulk_create(
            (
                Affiliation(
                    user_id=pk,
                    organisation=members_of[i % len(members_of)],
                    status=Affiliation.Status.VERIFIED,
                )
                for i, (pk, _e) in enumerate(people)
            ),
            batch_size=1000,
        )

        sexes = ["female", "male", "female", "another", "not_said", ""]
        statuses = [Registration.Status.REGISTERED] * 17 + [
            Registration.Status.CANCELLED,
            Registration.Status.WAITING,
            Registration.Status.OFFERED,
        ]
        registrations = []
        for w_index, w in enumerate(webinars):
            for j in range(per_webinar):
                c = countries[(w_index + 7 * j) % len(countries)]  # 7: coprime with 30
                common = {
                    "webinar": w,
                    "sex": sexes[j % len(sexes)],
                    "status": statuses[j % len(statuses)],
                    "language": "en",
                    "timezone": c.timezone if j % 11 else "",
                    "country": c.code if j % 13 else "",
                }
                if j % 2 == 0:  # a member, as themself
                    pk, email = people[(w_index * 37 + j // 2) % len(people)]
                    i = (w_index * 37 + j // 2) % len(people)
                    org = members_of[i % len(members_of)]
                    registrations.append(
                        Registration(
                            user_id=pk,
                            name=f"Member {i}",
                            email=email,
                            organisation=org,
                            organisation_name=org.name,
                            **common,
                        )
                    )
                else:  # the public, address confirmed
                    registrations.append(
                        Registration(
                            name=f"Public {w_index}-{j}",
                            email=f"public{w_index}-{j}@bench.example",
                            email_verified_at=now,
                            organisation_name=f"Organisation {j % 50}",
                            partner_type=kinds[j % len(kinds)].code,
                            **common,
                        )
                    )
        registrations = Registration.objects.bulk_create(registrations, batch_size=1000)

        per_held = n_attendance // max(len(held), 1)
        by_webinar: dict[int, list] = {}
        for r in registrations:
            if r.status != Registration.Status.CANCELLED:
                by_webinar.setdefault(r.webinar_id, []).append(r)
        rows = []
        for w in held:
            walk_ins = per_held // 20
            seated = by_webinar.get(w.pk, [])
            # Who came: a fixed sample of the registrants, so every group has attendees.
            came = random.Random(w.pk).sample(seated, min(per_held - walk_ins, len(seated)))
            for r in sorted(came, key=lambda r: r.pk):
                rows.append(
                    Attendance(
                        webinar=w,
                        registration=r,
                        name=r.name,
                        email=r.email,
                        minutes=20 + r.pk % 40,
                        imported_at=now,
                        imported_by=secretariat,
                    )
                )
            for k in range(walk_ins):
                rows.append(Attendance(webinar=w, name=f"Walk-in {k}", minutes=30, imported_at=now))
            rows.append(
                Attendance(
                    webinar=w,
                    name="The host",
                    email=f"host{w.pk}@bench.example",
                    minutes=60,
                    counted_as_host=True,
                    imported_at=now,
                )
            )
        attendance = Attendance.objects.bulk_create(rows, batch_size=1000)
        Feedback.objects.bulk_create(
            (
                Feedback(
                    webinar_id=a.webinar_id,
                    attendance=a,
                    registration_id=a.registration_id,
                    usefulness=1 + a.pk % 5,
                    language="en",
                )
                for n, a in enumerate(attendance)
                if n % 5 == 0 and not a.counted_as_host
            ),
            batch_size=1000,
        )
    return {
        "slug": series.slug,
        "secretariat": secretariat.pk,
        "webinar": webinars[0].pk,
        "webinars": len(webinars),
        "registrations": Registration.objects.count(),
        "attendance": Attendance.objects.filter(counted_as_host=False).count(),
        "proposals": len(proposals),
    }


def pages(slug: str) -> list[tuple[str, str, bool]]:
    """(name, address, as the secretariat) of every page measured."""
    found = []
    for report in ("coverage", "diversity", "participation", "engagement"):
        url = f"/manage/insight/series/{slug}/{report}/"
        found.append((report, url, True))
        found.append((f"{report} .xlsx", url + "?format=xlsx", True))
        found.append((f"{report} .csv", url + "?format=csv", True))
    url = f"/insight/{slug}/coverage/"
    found += [
        ("public coverage", url, False),
        ("public coverage .xlsx", url + "?format=xlsx", False),
        ("public coverage .csv", url + "?format=csv", False),
    ]
    for name, address in (
        ("series", "/api/series/"),
        ("calls", f"/api/series/{slug}/calls/"),
        ("webinars", "/api/webinars/"),
        ("webinars of the series, 100 a page", f"/api/webinars/?series={slug}&page_size=100"),
        ("recordings", "/api/recordings/"),
        ("materials", "/api/materials/"),
        ("themes", "/api/themes/"),
        ("outcomes", "/api/outcomes/"),
        ("languages", "/api/languages/"),
        ("organisations", "/api/organisations/"),
        ("coverage", f"/api/series/{slug}/coverage/"),
    ):
        found.append((f"API {name}", address, False))
    return found


def one_size(sizes: str, runs: int) -> dict:
    n_webinars, n_registrations, n_attendance = (int(s) for s in sizes.split(","))
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    built = build(n_webinars, n_registrations, n_attendance)
    built["build_seconds"] = time.perf_counter() - started
    secretariat = Client()
    secretariat.force_login(User.objects.get(pk=built["secretariat"]))
    anonymous = Client()
    results = []
    measured = pages(built["slug"])
    for _name, url, signed_in in measured:  # modules imported, templates compiled
        (secretariat if signed_in else anonymous).get(url)
    for name, url, signed_in in measured:
        client = secretariat if signed_in else anonymous
        cache.clear()  # no chart kept: the first request draws them
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        first = (time.perf_counter() - start) * 1000
        first_cpu = (time.process_time() - start_cpu) * 1000
        assert response.status_code == 200, (url, response.status_code)
        samples, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        results.append(
            {
                "name": name,
                "url": url,
                "first": first,
                "first_cpu": first_cpu,
                "median": statistics.median(samples),
                "cpu": statistics.median(cpu),
                "queries": len(queries),
                "bytes": len(content),
            }
        )
    return {"built": built, "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", default="5,2000,1000", help="webinars,registrations,attendance")
    parser.add_argument(
        "--full", default="50,20000,10000", help="webinars,registrations,attendance"
    )
    parser.add_argument("--runs", type=int, default=5, help="requests per page after the first")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.runs)))
        return

    measured = {}
    for label, sizes in (("small", args.small), ("full", args.full)):
        done = subprocess.run(
            [sys.executable, __file__, "--one", sizes, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
            sys.exit(f"the {label} size failed")
        measured[label] = json.loads(done.stdout.strip().splitlines()[-1])
    small, full = measured["small"], measured["full"]
    print(
        f"Python {sys.version.split()[0]}, SQLite; load average {os.getloadavg()[0]:.1f}; "
        f"median of {args.runs} requests after the first"
    )
    for label, m in (("small", small), ("full", full)):
        b = m["built"]
        print(
            f"{label}: {b['webinars']} webinars, {b['proposals']} proposals, "
            f"{b['registrations']} registrations, {b['attendance']} attendance rows "
            f"(built in {b['build_seconds']:.1f} s)"
        )
    print(
        "\n| page | queries small / full | full: first request (CPU) | full: median (CPU) "
        "| full: size | small: median |"
    )
    print("|---|---|---|---|---|---|")
    grew = []
    for s, f in zip(small["pages"], full["pages"], strict=True):
        mark = "" if s["queries"] == f["queries"] else " **differs**"
        if mark:
            grew.append(f"{f['name']} ({s['queries']} → {f['queries']})")
        print(
            f"| {f['name']} | {s['queries']} / {f['queries']}{mark} "
            f"| {f['first']:.0f} ms ({f['first_cpu']:.0f} ms) "
            f"| {f['median']:.0f} ms ({f['cpu']:.0f} ms) | {f['bytes'] / 1000:.1f} KB "
            f"| {s['median']:.0f} ms |"
        )
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    if grew:
        print("Queries differ between the sizes: " + "; ".join(grew))
        sys.exit(1)
    print("Every page makes the same number of queries at both sizes.")


if __name__ == "__main__":
    main()
