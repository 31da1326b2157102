import logging
import signal
import socket
from email import message_from_bytes
from email.message import Message
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def free_port() -> int:
    """A port nobody listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps what it receives, or refuses it with a 550."""

    def __init__(self):
        self.envelopes = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Refused by the test server"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Message]:
        return [message_from_bytes(e.original_content) for e in self.envelopes]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def point_delivery_at(settings, port: int) -> None:
    settings.OUTBOX_DELIVERY = {
        **settings.OUTBOX_DELIVERY,
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "HOST": "127.0.0.1",
        "PORT": port,
        "USERNAME": "",
        "PASSWORD": "",
        "USE_TLS": False,
        "USE_SSL": False,
        "TIMEOUT": 5,
    }


@pytest.fixture
def db_tasks(settings):
    """Tasks go into the database for real; django_tasks resets its backends on the
    setting_changed signal, so the override takes effect (checked here)."""
    from django_tasks_db.backend import DatabaseBackend

    from deepdive.outbox.tasks import deliver_message

    settings.TASKS = DB_TASKS
    assert isinstance(deliver_message.get_backend(), DatabaseBackend)


@pytest.fixture
def smtp(settings, smtp_server, db_tasks):
    """The outbox delivers to a real SMTP server on 127.0.0.1; its handler is returned."""
    point_delivery_at(settings, smtp_server.port)
    return smtp_server.handler


@pytest.fixture
def run_worker():
    """Run `deepdive db_worker` over every queue until nothing is due, as the demo does,
    leaving the process's signal handlers and log levels as they were."""
    names = ("django_tasks", "django_tasks_db")

    def run() -> None:
        signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
        saved_signals = {s: signal.getsignal(s) for s in signals}
        saved_logs = {
            n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers)) for n in names
        }
        try:
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
        finally:
            for s, handler in saved_signals.items():
                signal.signal(s, handler)
            for n, (level, handlers) in saved_logs.items():
                logging.getLogger(n).setLevel(level)
                logging.getLogger(n).handlers[:] = handlers

    return run


@pytest.fixture
def secretariat(django_user_model):
    return django_user_model.objects.create_user(
        email="secretariat@example.org", password="x-pass-12345", is_secretariat=True
    )


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client
