"""Periodic work: one registry of jobs, run by one ``deepdive scheduler`` at a time.

Each app declares its jobs in a ``periodic`` module, imported when the scheduler first needs
them::

    from datetime import timedelta

    from deepdive.core.scheduling import periodic

    from . import decisions

    periodic.register("selection.hosting_reminders", every=timedelta(hours=1),
                      run=decisions.send_hosting_reminders)

A job is a callable without arguments that returns a count or a short text; it is safe to run
again (each reminder is sent once), but the scheduler does not rely on that alone:

- only the holder of the lease (a ``SchedulerLease`` row, taken by a conditional update or an
  insert that a second holder cannot make) runs anything, so any number of schedulers can be
  started on SQLite or PostgreSQL and one acts; a scheduler that dies lets its lease expire and
  another takes over;
- a job's last run is stored (``PeriodicRun``) and claimed by a conditional update before the
  job runs: a restart does not run a job again before its interval, and of two schedulers that
  both believe they hold the lease, one runs it;
- a job that raises is logged and recorded; the others still run.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import PeriodicRun, SchedulerLease

__all__ = [
    "LEASE",
    "Job",
    "Ran",
    "Registry",
    "Scheduler",
    "periodic",
    "run_due",
    "run_forever",
]

log = logging.getLogger(__name__)

# A scheduler holds the lease this long after its last renewal; a crashed one is replaced
# after at most this long.
LEASE = timedelta(minutes=2)
# The single lease of the periodic work.
LEASE_NAME = "scheduler"

Result = int | str | None


@dataclass(frozen=True)
class Job:
    """A piece of periodic work: ``run()`` every ``every``."""

    name: str
    every: timedelta
    run: Callable[[], Result]


@dataclass(frozen=True)
class Ran:
    """What one job did in a round: its result, or the error it raised."""

    job: str
    result: str = ""
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)


class Registry:
    """The jobs by name. ``periodic`` is the project's; tests make their own."""

    def __init__(self, *, discover: bool = False) -> None:
        self._jobs: dict[str, Job] = {}
        self._discover = discover
        self._discovered = False
        self._lock = threading.Lock()

    def register(self, name: str, *, every: timedelta, run: Callable[[], Result]) -> Job:
        """Declare a job. Declaring the same job again (a module imported twice) is harmless;
        another job under a taken name is an error."""
        if every <= timedelta(0):
            raise ValueError(f"{name}: the interval must be positive")
        job = Job(name=name, every=every, run=run)
        existing = self._jobs.get(name)
        if existing is not None and existing != job:
            raise ValueError(f"a periodic job named {name!r} is already registered")
        self._jobs[name] = job
        return job

    def jobs(self) -> list[Job]:
        """Every job, by name; the apps' ``periodic`` modules are imported on first use."""
        if self._discover and not self._discovered:
            with self._lock:
                if not self._discovered:
                    autodiscover_modules("periodic")
                    self._discovered = True
        return sorted(self._jobs.values(), key=lambda job: job.name)


periodic = Registry(discover=True)


def new_holder() -> str:
    """A name for one scheduler process, unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Scheduler:
    """One scheduler: runs the due jobs of ``registry`` while it holds the lease."""

    registry: Registry = field(default_factory=lambda: periodic)
    holder: str = field(default_factory=new_holder)
    lease: timedelta = LEASE

    # The lease ----------------------------------------------------------------------------

    def take_lease(self, *, now: datetime) -> bool:
        """Take or renew the lease until ``now + lease``. True when this scheduler holds it.

        A conditional update renews our own lease or takes an expired one; when there is no
        row, an insert creates it, and of two schedulers inserting at once the database lets
        one through (primary key). Both work in autocommit on SQLite and PostgreSQL.
        """
        until = now + self.lease
        taken = (
            SchedulerLease.objects.filter(name=LEASE_NAME)
            .filter(Q(holder=self.holder) | Q(expires_at__lte=now))
            .update(holder=self.holder, expires_at=until)
        )
        if taken:
            return True
        if SchedulerLease.objects.filter(name=LEASE_NAME).exists():
            return False
        try:
            with transaction.atomic():
                SchedulerLease.objects.create(name=LEASE_NAME, holder=self.holder, expires_at=until)
        except IntegrityError:
            return False
        return True

    def release_lease(self) -> None:
        """Give the lease up (a clean stop): another scheduler may take it at once."""
        SchedulerLease.objects.filter(name=LEASE_NAME, holder=self.holder).delete()

    # The jobs -----------------------------------------------------------------------------

    def next_due(self, *, now: datetime) -> datetime:
        """When the next job is due (``now`` when one is due already, or none is declared)."""
        last = dict(PeriodicRun.objects.values_list("job", "last_run_at"))
        times = [
            last[job.name] + job.every if job.name in last else now for job in self.registry.jobs()
        ]
        return min(times, default=now)

    def run_due(self, *, now: datetime | None = None) -> list[Ran] | None:
        """Run, once each, the jobs whose interval has passed since their last run, when this
        scheduler holds the lease. Returns what each job did, or None when another scheduler
        holds the lease (then nothing runs).

        Side effects: the lease taken or renewed; per job run, its ``PeriodicRun`` row (the
        time, the result or the error); an error is logged, and the other jobs still run.
        """
        now = now or timezone.now()
        if not self.take_lease(now=now):
            return None
        ran = []
        for job in self.registry.jobs():
            if not self._claim(job, now=now):
                continue
            ran.append(self._run(job))
        return ran

    def _claim(self, job: Job, *, now: datetime) -> bool:
        """Record ``now`` as the job's last run if it is due, by a conditional update (or an
        insert for its first run): True when this scheduler is the one to run it."""
        claimed = PeriodicRun.objects.filter(job=job.name, last_run_at__lte=now - job.every).update(
            last_run_at=now, last_result="", last_error=""
        )
        if claimed:
            return True
        if PeriodicRun.objects.filter(job=job.name).exists():
            return False
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, last_run_at=now)
        except IntegrityError:
            return False
        return True

    def _run(self, job: Job) -> Ran:
        try:
            result = job.run()
        except Exception as error:
            log.exception("Periodic job %s failed", job.name)
            text = f"{type(error).__name__}: {error}"
            PeriodicRun.objects.filter(job=job.name).update(last_error=text)
            return Ran(job=job.name, error=text)
        text = "" if result is None else str(result)[:300]
        PeriodicRun.objects.filter(job=job.name).update(last_result=text)
        log.info("Periodic job %s: %s", job.name, text)
        return Ran(job=job.name, result=text)

    # The loop -----------------------------------------------------------------------------

    def run_forever(
        self,
        *,
        stop: threading.Event,
        on_round: Callable[[list[Ran]], None] | None = None,
    ) -> None:
        """Run the due jobs, sleep until the next is due (at most a third of the lease, so
        that the lease is renewed, or taken over from a scheduler that died), until ``stop``
        is set; then give the lease up. A job under way when ``stop`` is set finishes first.
        """
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    ran = self.run_due()
                    now = timezone.now()
                    wait = (self.next_due(now=now) - now).total_seconds()
                except Exception:  # the database away: try again later
                    log.exception("Scheduler round failed")
                    ran, wait = None, self.lease.total_seconds() / 3
                if on_round is not None and ran:
                    on_round(ran)
                close_old_connections()
                stop.wait(min(max(wait, 1.0), self.lease.total_seconds() / 3))
        finally:
            try:
                self.release_lease()
            except Exception:
                log.exception("Could not give up the scheduler's lease")


def run_due(*, now: datetime | None = None) -> list[Ran] | None:
    """Run the project's due jobs once and give the lease up; None when another scheduler
    holds the lease (then nothing runs)."""
    scheduler = Scheduler()
    try:
        return scheduler.run_due(now=now)
    finally:
        scheduler.release_lease()


def run_forever(*, stop: threading.Event | None = None) -> None:
    """Run the project's jobs as they fall due until ``stop`` is set."""
    Scheduler().run_forever(stop=stop or threading.Event())
