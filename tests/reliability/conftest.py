"""Real processes on loopback: web servers (gunicorn) and task workers (`deepdive db_worker`)
on a real database shared with the test: a SQLite file, or the PostgreSQL test database when
the suite runs on PostgreSQL (``DEEPDIVE_DATABASE_URL``, see scripts/test)."""

import os
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_url(transactional_db, reference_data, tmp_path):
    """A URL of the test database that other processes can open, the test's connection
    pointing at the same database. SQLite's test database lives in memory: it is copied to a
    file (with the reference data), used for the test, and set aside afterwards."""
    conf = connection.settings_dict
    if connection.vendor != "sqlite":
        user = quote(conf["USER"] or "", safe="")
        password = f":{quote(conf['PASSWORD'], safe='')}" if conf["PASSWORD"] else ""
        host = conf["HOST"] or "127.0.0.1"
        port = f":{conf['PORT']}" if conf["PORT"] else ""
        yield f"postgres://{user}{password}@{host}{port}/{conf['NAME']}"
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{conf['NAME']}"
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "deepdive.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    name = conf["NAME"]
    conf["NAME"] = str(path)
    connection.connection = None  # set the in-memory one aside: closing it would drop it
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        conf["NAME"] = name
        connection.connection = memory


@pytest.fixture
def environment(database_url, tmp_path):
    """The environment of a process of the platform on that database."""
    var = tmp_path / "var"
    var.mkdir()
    env = {
        **os.environ,
        "DEEPDIVE_DATABASE_URL": database_url,
        "DEEPDIVE_VAR": str(var),
        "DEEPDIVE_SECRET_KEY": settings.SECRET_KEY,  # the test's sessions are valid there
        "DEEPDIVE_TESTING": "1",
        "DEEPDIVE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEEPDIVE_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class Processes:
    """Subprocesses started by a test, always stopped at its end (killed if need be)."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = log.name
        process.log_file = log
        self.started.append(process)
        return process

    def log(self, process: subprocess.Popen) -> str:
        return Path(process.log_path).read_text(errors="replace")[-3000:]

    def stop(self, process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 10) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        process.log_file.close()

    def stop_all(self) -> None:
        for process in self.started:
            self.stop(process)


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def wait_for(condition, *, timeout: float, interval: float = 0.1, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(interval)


def recover(env: dict, cwd) -> str:
    """`deepdive outbox_recover`, as the scheduler runs it, but two seconds after a claim
    instead of two minutes; what it says."""
    done = subprocess.run(
        [str(BIN / "deepdive"), "outbox_recover", "--stale-after", "2"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
