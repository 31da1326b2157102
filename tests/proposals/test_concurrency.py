"""Simultaneous submits of one draft, on real connections in two threads.

On PostgreSQL the rows are locked with SELECT … FOR UPDATE. SQLite runs every transaction as
BEGIN IMMEDIATE (see the settings): the second writer waits for the first. The test database
Django makes for SQLite lives in memory with a shared cache, where a second writer fails at once
("database table is locked") instead of waiting, so these tests copy it to a file first, as the
platform runs in production.
"""

import sqlite3
import threading
import uuid

import pytest
from django.db import connection

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import Proposal

from .conftest import complete_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_disk(transactional_db, tmp_path, member, call, organisation):
    """The test database, copied to a file for the test (SQLite in memory only)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)  # shared with the threads' connections
    connection.connection = None  # set the in-memory one aside: closing it would drop it
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def race(*jobs):
    """Run the jobs at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # the outcome to check
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_simultaneous_submits_of_one_draft_give_one_submission(
    on_disk, member, call, organisation
):
    proposal = operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal

    def submit():
        return operations.save_proposal(
            actor=member,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=1,
            data=complete_data(organisation),
            submit=True,
        )

    results = race(submit, submit)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.changed for r in results) == [False, True]
    assert Proposal.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == ("submitted", 2)
    assert AuditEntry.objects.filter(action="proposals.submit").count() == 1
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1


def test_two_different_simultaneous_saves_one_is_refused(on_disk, member, call, organisation):
    proposal = operations.create_draft(
        actor=member, call=call, data=complete_data(organisation)
    ).proposal

    def save(title):
        return lambda: operations.save_proposal(
            actor=member,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=1,
            data=complete_data(organisation, title=title),
            submit=False,
        )

    results = race(save("Tab one"), save("Tab two"))

    refused = [r for r in results if isinstance(r, operations.StaleVersion)]
    saved = [r for r in results if isinstance(r, operations.Saved)]
    assert (len(refused), len(saved)) == (1, 1), results
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.title == saved[0].proposal.title


def test_two_simultaneous_posts_of_a_new_form_create_one_proposal(
    on_disk, member, call, organisation
):
    token = uuid.uuid4()

    def create():
        return operations.create_draft(
            actor=member,
            call=call,
            data=complete_data(organisation),
            creation_token=token,
            submit=True,
        )

    results = race(create, create)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Proposal.objects.count() == 1
    assert sorted(r.changed for r in results) == [False, True]
    assert OutboxMessage.objects.filter(kind="proposals.confirmation").count() == 1
