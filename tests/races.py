"""Two or more things at the same moment, on real database connections in threads.

On PostgreSQL the rows are locked with SELECT … FOR UPDATE. SQLite runs every transaction as
BEGIN IMMEDIATE (see the settings): the second writer waits for the first. The test database
Django makes for SQLite lives in memory with a shared cache, where a second writer fails at once
("database table is locked") instead of waiting, so a race test copies it to a file first
(``database_on_disk``), as the platform runs in production.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def database_on_disk(directory: Path) -> Iterator[None]:
    """The test database, copied to a file in ``directory`` for the block (SQLite in memory
    only; other databases are left as they are). Use it in a ``transactional_db`` test, after
    the rows the race needs are written."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    path = directory / "race.sqlite3"
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
    """Run the jobs at the same moment, each in its own thread and database connection; their
    results (or the exception each raised) in order."""
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
