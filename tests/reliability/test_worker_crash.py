"""A worker killed while sending: 300 queued e-mails, two `deepdive db_worker` processes
delivering to a real SMTP server on loopback, one killed (SIGKILL) in the middle of handing a
message to the server, `deepdive outbox_recover`, the other worker finishing the batch. Each
message reaches the server at most once, and every message is either sent or shown to the
secretariat as interrupted (never resent silently); none is lost."""

import asyncio
import os
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from deepdive.outbox import operations
from deepdive.outbox.models import OutboxMessage
from tests.outbox.conftest import db_tasks  # noqa: F401

from .conftest import BIN, free_port, recover, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

MESSAGES = 300
HOLD_AT = 100  # the server keeps the 100th message waiting for its answer: the kill comes then


class SlowServer:
    """An aiosmtpd handler that keeps what it receives and, at the HOLD_AT-th message, has the
    whole message but waits to answer until ``release`` is set."""

    def __init__(self):
        self.received: list[str] = []  # X-Deepdive-Message of each message received
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held_peer_port: int | None = None

    async def handle_DATA(self, server, session, envelope):
        message_id = message_from_bytes(envelope.original_content)["X-Deepdive-Message"]
        with self.lock:
            self.received.append(message_id)
            hold = len(self.received) == HOLD_AT
        if hold:
            self.held_peer_port = session.peer[1]
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def pid_with_connection_from(port: int, pids: list[int]) -> int:
    """Which of ``pids`` holds the loopback TCP socket whose local port is ``port`` (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    raise AssertionError(f"no worker holds the connection from port {port}")


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    db_tasks,  # noqa: F811
    environment,
    processes,
    tmp_path,
):
    started = time.monotonic()
    handler = SlowServer()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        for n in range(MESSAGES):
            operations.queue_email(
                to=f"member{n}@example.org",
                subject=f"Message {n}",
                text=f"Text {n}\n",
                language="en",
                kind="test",
            )
        env = {
            **environment,
            "DJANGO_SETTINGS_MODULE": "deepdive.settings",
            "DEEPDIVE_EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        worker_args = [
            str(BIN / "deepdive"),
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ]
        workers = [processes.start(f"worker{i}", worker_args, env) for i in range(2)]

        assert handler.holding.wait(timeout=40), [processes.log(w) for w in workers]
        victim_pid = pid_with_connection_from(handler.held_peer_port, [w.pid for w in workers])
        [victim] = [w for w in workers if w.pid == victim_pid]
        [survivor] = [w for w in workers if w is not victim]
        processes.stop(victim, sig=9)  # SIGKILL, in the middle of a send
        handler.release.set()

        # The message the dead worker was sending stays "sending"; `outbox_recover` shows it
        # as interrupted once its attempt is older than a live worker's could be.
        time.sleep(2.5)
        recovered = recover(env, tmp_path)
        assert recovered.startswith("1 outbox message interrupted while sending"), recovered

        def batch_done() -> bool:
            assert survivor.poll() is None, processes.log(survivor)
            return not OutboxMessage.objects.filter(
                status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
            ).exists()

        wait_for(batch_done, timeout=60, interval=0.5, what="the surviving worker")
        # A second recovery, later, changes nothing: nothing is resent without a person.
        assert operations.interrupt_stale() == 0
        assert operations.requeue_stale() == 0
    finally:
        handler.release.set()
        processes.stop_all()
        smtp.stop()

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    received = Counter(int(pk) for pk in handler.received)
    assert len(statuses) == MESSAGES
    assert [pk for pk, times in received.items() if times > 1] == []  # never twice
    interrupted = {pk for pk, status in statuses.items() if status == "interrupted"}
    sent = {pk for pk, status in statuses.items() if status == "sent"}
    assert sent | interrupted == set(statuses)  # none lost, none failed, none left queued
    assert sent <= set(received)  # every message recorded sent reached the server
    # Only the one the worker died sending (the server had it, but had not answered).
    assert interrupted == {int(handler.received[HOLD_AT - 1])}
    assert time.monotonic() - started < 90
