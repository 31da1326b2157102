"""An invitation campaign survives a killed worker: 300 people drafted by the secretariat,
Send pressed twice at the same moment, the messages released at the campaign's rate by the
scheduler's job, delivered by two `deepdive db_worker` processes to a real SMTP server on
loopback; the worker handing the 100th message to the server is killed (SIGKILL) while the
server holds it, a worker is started again, `deepdive outbox_recover` shows the one message
that may or may not have arrived, and the secretariat, seeing the server has it, marks it sent
(as on the outbox page). Every person receives the invitation exactly once."""

import asyncio
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from deepdive.communications import audiences, campaigns
from deepdive.communications.models import Campaign
from deepdive.core.models import AuditEntry
from deepdive.outbox import operations
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars.models import Registration
from tests.accounts.factories import SecretariatFactory
from tests.outbox.conftest import db_tasks  # noqa: F401
from tests.races import race
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    rules_for,
)

from .conftest import BIN, free_port, recover, wait_for
from .test_worker_crash import pid_with_connection_from

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

PEOPLE = 300
RATE = 120  # a minute: Send releases 120, then the scheduler's job 120 and 60
HOLD_AT = 100  # the server keeps the 100th message waiting for its answer: the kill comes then
STATUS = OutboxMessage.Status


class HoldingServer:
    """An aiosmtpd handler that keeps every envelope's recipients and message number and, at
    the ``hold_at``-th message, waits to answer until ``release`` is set: after the whole
    message (DATA), or with ``before_data`` at its recipient (RCPT), before it has the
    message."""

    def __init__(self, hold_at: int = HOLD_AT, *, before_data: bool = False):
        self.hold_at = hold_at
        self.before_data = before_data
        self.recipients: list[str] = []  # RCPT TO of every message received
        self.received: list[int] = []  # X-Deepdive-Message of every message received
        self.rcpts = 0
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held_peer_port: int | None = None

    async def _hold(self, session) -> None:
        self.held_peer_port = session.peer[1]
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpts += 1
            hold = self.before_data and self.rcpts == self.hold_at
        if hold:
            await self._hold(session)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = int(message_from_bytes(envelope.original_content)["X-Deepdive-Message"])
        with self.lock:
            self.recipients.extend(address.lower() for address in envelope.rcpt_tos)
            self.received.append(message_id)
            hold = not self.before_data and len(self.received) == self.hold_at
        if hold:
            await self._hold(session)
        return "250 Message accepted for delivery"


WORKER = [
    str(BIN / "deepdive"),
    "db_worker",
    "--queue-name",
    "*",
    "--interval",
    "0.2",
    "--no-startup-delay",
    "--no-reload",
]


def worker_environment(environment: dict, smtp_port: int) -> dict:
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "deepdive.settings",
        "DEEPDIVE_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }


def wait_for_campaign(campaign: Campaign) -> None:
    def done() -> bool:
        return not OutboxMessage.objects.filter(
            batch=campaign.batch, status__in=[STATUS.QUEUED, STATUS.SENDING]
        ).exists()

    wait_for(done, timeout=90, interval=0.5, what="the workers to finish the campaign")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def campaign_to(secretariat, people: int = PEOPLE, rate: int = RATE) -> Campaign:
    """A published webinar to come, ``people`` people who agreed to hear about its series (in
    three languages), and the secretariat's draft invitation to them."""
    call = CallFactory()
    rules_for(call, "Europe/Paris")
    start = datetime(2031, 3, 4, 13, 0, tzinfo=UTC)
    webinar = PublishedWebinarFactory(
        proposal=ProposalFactory(call=call, title="Supply chains: what works"),
        starts_at=start,
        planned_start=start,
    )
    Registration.objects.bulk_create(
        Registration(
            webinar=webinar,
            email=f"person{n:03}@example.org",
            name=f"Person {n}",
            language=("en", "fr", "es")[n % 3],
            consents_to_contact=True,
        )
        for n in range(people)
    )
    campaign, drafted = campaigns.draft_campaign(
        actor=secretariat,
        series=call.series,
        webinar=webinar,
        audience=audiences.Audience(call.series_id, audiences.SERIES_NEWS),
        rate_per_minute=rate,
    )
    assert drafted == people
    return campaign


def test_a_campaign_reaches_each_person_once_though_a_worker_dies_mid_batch(
    db_tasks,  # noqa: F811
    _media,
    environment,
    processes,
    tmp_path,
):
    started = time.monotonic()
    secretariat = SecretariatFactory()
    campaign = campaign_to(secretariat)
    handler = HoldingServer()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        env = worker_environment(environment, smtp.port)

        # The secretariat presses Send twice at the same moment: one press releases the
        # first minute's messages, the other finds the campaign sending and does nothing.
        pressed = race(
            lambda: campaigns.start_sending(actor=secretariat, campaign=campaign),
            lambda: campaigns.start_sending(actor=secretariat, campaign=campaign),
        )
        assert sorted(pressed) == [0, RATE], pressed
        workers = [processes.start(f"worker{i}", WORKER, env) for i in range(2)]
        # The scheduler's job (``communications.release``), a minute later.
        assert campaigns.release() == f"{RATE} released"

        assert handler.holding.wait(timeout=60), [processes.log(w) for w in workers]
        victim_pid = pid_with_connection_from(handler.held_peer_port, [w.pid for w in workers])
        [victim] = [w for w in workers if w.pid == victim_pid]
        processes.stop(victim, sig=9)  # SIGKILL, while the server holds its message
        handler.release.set()
        # The job's third minute releases the rest; the campaign has nothing left held.
        assert campaigns.release() == f"{PEOPLE - 2 * RATE} released"
        assert campaigns.release() == "0 released"
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.DONE
        processes.start("worker-restarted", WORKER, env)

        # The message the dead worker was sending stays "sending"; `outbox_recover` shows it
        # as interrupted once its attempt is older than a live worker's could be.
        time.sleep(2.5)
        recovered = recover(env, tmp_path)
        assert recovered.startswith("1 outbox message interrupted while sending"), recovered
        wait_for_campaign(campaign)
        assert operations.interrupt_stale() == 0  # nothing is resent without a person
        assert operations.requeue_stale() == 0
    finally:
        handler.release.set()
        processes.stop_all()
        smtp.stop()

    progress = campaigns.progress(campaign)
    assert (progress.sent, progress.interrupted) == (PEOPLE - 1, 1)
    # The secretariat looks at the interrupted message; the mail server's log has it, so it
    # is marked sent rather than sent again.
    interrupted = OutboxMessage.objects.get(batch=campaign.batch, status=STATUS.INTERRUPTED)
    assert interrupted.pk == handler.received[HOLD_AT - 1]
    assert operations.mark_interrupted_sent(actor=secretariat, message=interrupted)

    received = Counter(handler.recipients)
    assert len(received) == PEOPLE
    assert [address for address, times in received.items() if times > 1] == []
    assert set(received) == {f"person{n:03}@example.org" for n in range(PEOPLE)}
    progress = campaigns.progress(campaign)
    assert (progress.sent, progress.held, progress.queued, progress.failed) == (PEOPLE, 0, 0, 0)
    assert (progress.interrupted, progress.suppressed, progress.discarded) == (0, 0, 0)
    assert time.monotonic() - started < 150


def test_a_worker_killed_before_handing_a_message_over_is_replaced_without_anyone(
    db_tasks,  # noqa: F811
    _media,
    environment,
    processes,
    tmp_path,
):
    """Killed while the server holds its answer to the recipient (RCPT), before DATA: the
    server cannot have the message, so the recovery queues it again and a worker sends it;
    nobody has to decide."""
    people, hold_at = 60, 20
    secretariat = SecretariatFactory()
    campaign = campaign_to(secretariat, people=people, rate=people)
    handler = HoldingServer(hold_at, before_data=True)
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        env = worker_environment(environment, smtp.port)
        assert campaigns.start_sending(actor=secretariat, campaign=campaign) == people
        workers = [processes.start(f"worker{i}", WORKER, env) for i in range(2)]
        assert handler.holding.wait(timeout=60), [processes.log(w) for w in workers]
        victim_pid = pid_with_connection_from(handler.held_peer_port, [w.pid for w in workers])
        [victim] = [w for w in workers if w.pid == victim_pid]
        processes.stop(victim, sig=9)  # SIGKILL, before the message itself left
        handler.release.set()
        processes.start("worker-restarted", WORKER, env)

        time.sleep(2.5)
        recovered = recover(env, tmp_path)
        assert recovered.startswith("0 outbox messages interrupted while sending"), recovered
        wait_for_campaign(campaign)
        assert operations.interrupt_stale() == 0
    finally:
        handler.release.set()
        processes.stop_all()
        smtp.stop()

    received = Counter(handler.recipients)
    assert set(received) == {f"person{n:03}@example.org" for n in range(people)}
    assert [address for address, times in received.items() if times > 1] == []
    progress = campaigns.progress(campaign)
    assert (progress.sent, progress.interrupted, progress.queued, progress.failed) == (
        people,
        0,
        0,
        0,
    )
    [requeued] = AuditEntry.objects.filter(action="outbox.requeue")
    [message_id] = requeued.changes["queued"]
    assert OutboxMessage.objects.get(pk=message_id).attempts == 2  # the killed one, then sent
