"""The scheduler of periodic work (``core.scheduling``): due jobs run once and record their
time, jobs not due wait, a failing job does not stop the others, one scheduler at a time holds
the lease (two at once: one runs the job), an expired lease is taken over; and the real
``deepdive scheduler --once`` command sends a hosting reminder once."""

import subprocess
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from deepdive.core.models import PeriodicRun, SchedulerLease
from deepdive.core.scheduling import LEASE, LEASE_NAME, Registry, Scheduler, periodic
from deepdive.outbox.models import OutboxMessage
from deepdive.selection.models import Decision
from tests.proposals.factories import CallFactory
from tests.races import database_on_disk, race
from tests.reliability.conftest import BIN, database_url, environment  # noqa: F401
from tests.timetable.conftest import make_webinar


class Counter:
    """A job that counts its runs (from any thread)."""

    def __init__(self) -> None:
        self.runs = 0
        self.lock = threading.Lock()

    def __call__(self) -> int:
        with self.lock:
            self.runs += 1
            return self.runs


def fail() -> int:
    raise RuntimeError("the mail server is away")


def registry(**jobs) -> Registry:
    """A registry of ``name=(every, callable)`` jobs."""
    made = Registry()
    for name, (every, run) in jobs.items():
        made.register(name, every=every, run=run)
    return made


@pytest.mark.django_db
def test_due_jobs_run_and_record_their_time():
    hourly, daily = Counter(), Counter()
    now = timezone.now()
    jobs = registry(hourly=(timedelta(hours=1), hourly), daily=(timedelta(days=1), daily))

    ran = Scheduler(registry=jobs).run_due(now=now)

    assert [(r.job, r.result, r.failed) for r in ran] == [
        ("daily", "1", False),
        ("hourly", "1", False),
    ]
    assert (hourly.runs, daily.runs) == (1, 1)
    assert dict(PeriodicRun.objects.values_list("job", "last_run_at")) == {
        "hourly": now,
        "daily": now,
    }
    assert PeriodicRun.objects.get(job="hourly").last_result == "1"


@pytest.mark.django_db
def test_jobs_not_due_are_skipped_even_after_a_restart():
    hourly, often = Counter(), Counter()
    now = timezone.now()
    jobs = registry(hourly=(timedelta(hours=1), hourly), often=(timedelta(minutes=10), often))
    first = Scheduler(registry=jobs)
    first.run_due(now=now)

    assert first.run_due(now=now + timedelta(minutes=5)) == []
    first.release_lease()  # a clean stop; the next scheduler is a new process
    ran = Scheduler(registry=jobs).run_due(now=now + timedelta(minutes=30))

    assert [r.job for r in ran] == ["often"]
    assert (hourly.runs, often.runs) == (1, 2)
    assert PeriodicRun.objects.get(job="hourly").last_run_at == now


@pytest.mark.django_db
def test_next_due_is_the_earliest_job():
    now = timezone.now()
    jobs = registry(
        hourly=(timedelta(hours=1), Counter()), often=(timedelta(minutes=10), Counter())
    )
    scheduler = Scheduler(registry=jobs)
    assert scheduler.next_due(now=now) == now  # never ran

    scheduler.run_due(now=now)

    assert scheduler.next_due(now=now) == now + timedelta(minutes=10)


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(caplog):
    after = Counter()
    now = timezone.now()
    jobs = registry(a_failing=(timedelta(hours=1), fail), b_after=(timedelta(hours=1), after))

    ran = Scheduler(registry=jobs).run_due(now=now)

    assert [(r.job, r.error) for r in ran] == [
        ("a_failing", "RuntimeError: the mail server is away"),
        ("b_after", ""),
    ]
    assert after.runs == 1
    failed = PeriodicRun.objects.get(job="a_failing")
    assert (failed.last_run_at, failed.last_error) == (now, "RuntimeError: the mail server is away")
    assert "Periodic job a_failing failed" in caplog.text


@pytest.mark.django_db
def test_a_lease_held_by_another_scheduler_runs_nothing():
    job = Counter()
    now = timezone.now()
    SchedulerLease.objects.create(name=LEASE_NAME, holder="other", expires_at=now + LEASE)

    assert Scheduler(registry=registry(job=(timedelta(hours=1), job))).run_due(now=now) is None
    assert job.runs == 0
    assert not PeriodicRun.objects.exists()


@pytest.mark.django_db
def test_an_expired_lease_is_taken_over():
    job = Counter()
    now = timezone.now()
    SchedulerLease.objects.create(
        name=LEASE_NAME, holder="crashed", expires_at=now - timedelta(seconds=1)
    )
    scheduler = Scheduler(registry=registry(job=(timedelta(hours=1), job)))

    assert [r.job for r in scheduler.run_due(now=now)] == ["job"]
    assert job.runs == 1
    lease = SchedulerLease.objects.get()
    assert (lease.holder, lease.expires_at) == (scheduler.holder, now + LEASE)


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_one_holds_the_lease_and_the_job_runs_once(tmp_path):
    job = Counter()
    jobs = registry(job=(timedelta(hours=1), job))
    schedulers = [Scheduler(registry=jobs), Scheduler(registry=jobs)]
    now = timezone.now()

    with database_on_disk(tmp_path):
        results = race(*(lambda s=s: s.run_due(now=now) for s in schedulers))
        holder = SchedulerLease.objects.get().holder
        ran = PeriodicRun.objects.get().last_run_at

    by_holder = dict(zip([s.holder for s in schedulers], results, strict=True))
    other = next(s.holder for s in schedulers if s.holder != holder)
    assert [r.job for r in by_holder[holder]] == ["job"]
    assert by_holder[other] is None
    assert job.runs == 1
    assert ran == now


def test_every_app_declares_its_jobs():
    assert {job.name: job.every for job in periodic.jobs()} == {
        "communications.release": timedelta(minutes=1),
        "outbox.recover": timedelta(minutes=5),
        "proposals.participation_reminders": timedelta(hours=1),
        "reviews.review_reminders": timedelta(hours=1),
        "selection.hosting_reminders": timedelta(hours=1),
        "webinars.expire_offers": timedelta(minutes=15),
        "webinars.forget_unconfirmed": timedelta(hours=1),
        "webinars.held": timedelta(minutes=15),
        "webinars.host_reminders": timedelta(hours=1),
        "webinars.reminders": timedelta(minutes=5),
    }


def test_the_scheduler_command_sends_a_hosting_reminder_once(environment):  # noqa: F811
    webinar = make_webinar(CallFactory(), host_status=Decision.HostStatus.PENDING)
    Decision.objects.filter(proposal=webinar.proposal).update(
        host_deadline=timezone.now() + timedelta(days=2)
    )
    reminders = OutboxMessage.objects.filter(kind="hosting_reminder")

    def scheduler_once() -> str:
        done = subprocess.run(
            [BIN / "deepdive", "scheduler", "--once"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "selection.hosting_reminders: 1" in scheduler_once()
    assert reminders.count() == 1
    assert scheduler_once() == "Nothing due.\n"
    assert reminders.count() == 1
    assert Decision.objects.get(proposal=webinar.proposal).reminded_at is not None
