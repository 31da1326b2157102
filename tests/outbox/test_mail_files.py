"""Where the outbox delivers with a file URL: by default ``<DEEPDIVE_VAR>/mail``, as the README
says, whatever the current directory; ``file:///abs/path`` is that absolute path."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from deepdive.outbox import delivery
from deepdive.outbox.config import delivery_settings
from deepdive.outbox.models import OutboxMessage

# A separate Python: the settings as a deployment reads them, then one message delivered with
# the delivery connection they configure (no database needed).
DELIVER = """
import django
from django.conf import settings
from django.core.mail import EmailMessage
django.setup()
from deepdive.outbox.delivery import connection
print(settings.OUTBOX_DELIVERY["FILE_PATH"])
EmailMessage("Hello", "Body", "a@example.org", ["b@example.org"], connection=connection()).send()
"""


def deliver_in_a_fresh_process(var: Path, cwd: Path, email_url: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEEPDIVE_")}
    env.update(DJANGO_SETTINGS_MODULE="deepdive.settings", DEEPDIVE_VAR=str(var))
    if email_url is not None:
        env["DEEPDIVE_EMAIL_URL"] = email_url
    done = subprocess.run(
        [sys.executable, "-c", DELIVER],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_by_default_mail_lands_in_var_mail(tmp_path):
    var, elsewhere = tmp_path / "var", tmp_path / "checkout"
    elsewhere.mkdir()
    file_path = deliver_in_a_fresh_process(var, elsewhere)
    assert file_path == str(var / "mail")
    [delivered] = files_under(var / "mail")
    assert "Subject: Hello" in delivered.read_text()
    assert files_under(elsewhere) == []


def test_an_explicit_absolute_file_url_is_used_as_is(tmp_path):
    var, elsewhere, target = tmp_path / "var", tmp_path / "checkout", tmp_path / "srv" / "mail"
    elsewhere.mkdir()
    file_path = deliver_in_a_fresh_process(var, elsewhere, email_url=f"file://{target}")
    assert file_path == str(target)
    assert len(files_under(target)) == 1
    assert files_under(elsewhere) == []


def test_delivery_settings_read_every_kind_of_url(tmp_path):
    assert delivery_settings(None, tmp_path)["FILE_PATH"] == str(tmp_path / "mail")
    assert delivery_settings("file://", tmp_path)["FILE_PATH"] == str(tmp_path / "mail")
    assert delivery_settings("file:///srv/deep%20dive/mail", tmp_path)["FILE_PATH"] == (
        "/srv/deep dive/mail"
    )
    smtp = delivery_settings("smtp://user:pass@mail.example.org:587/?tls=True", tmp_path)
    assert smtp["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["HOST"], smtp["PORT"], smtp["USERNAME"], smtp["PASSWORD"]) == (
        "mail.example.org",
        587,
        "user",
        "pass",
    )
    assert smtp["USE_TLS"] is True
    assert delivery_settings("console://", tmp_path)["BACKEND"].endswith("console.EmailBackend")


@pytest.mark.django_db
def test_a_stored_message_is_delivered_into_the_mail_folder(settings, tmp_path):
    settings.OUTBOX_DELIVERY = delivery_settings(None, tmp_path)
    message = OutboxMessage.objects.create(
        to_email="b@example.org",
        subject="Stored",
        body_text="Body",
        from_email="a@example.org",
        created_at=timezone.now(),
    )
    delivery.send(message)
    [delivered] = files_under(tmp_path / "mail")
    assert "Subject: Stored" in delivered.read_text()
