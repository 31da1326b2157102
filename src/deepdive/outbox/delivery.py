"""Hands one stored message to the real mail backend (SMTP, file or console).

``send`` calls its ``before_handover`` just before the message itself leaves: with SMTP, after
the server accepted the sender and the recipient and before the DATA command (until then the
server cannot have the message); with any other backend, just before handing it over.
"""

import smtplib
from collections.abc import Callable
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends import smtp
from django.core.mail.backends.base import BaseEmailBackend

from .models import OutboxMessage

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"


class _SMTP(smtplib.SMTP):
    """An SMTP connection that calls ``before_data`` before it sends DATA."""

    before_data: Callable[[], None] | None = None

    def data(self, msg: Any) -> tuple[int, bytes]:
        if self.before_data is not None:
            self.before_data()  # may raise: then DATA is never sent
        return super().data(msg)


class _SMTP_SSL(_SMTP, smtplib.SMTP_SSL):  # noqa: N801 (as smtplib names it)
    pass


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend, telling ``before_data`` when the message is about to go."""

    before_data: Callable[[], None] | None = None

    @property
    def connection_class(self) -> type[_SMTP]:
        return _SMTP_SSL if self.use_ssl else _SMTP

    def open(self) -> bool | None:
        opened = super().open()
        if isinstance(self.connection, _SMTP):
            self.connection.before_data = self.before_data
        return opened


def connection() -> BaseEmailBackend:
    conf = settings.OUTBOX_DELIVERY
    options: dict[str, Any] = {"fail_silently": False}
    if conf["BACKEND"].endswith("smtp.EmailBackend"):
        options.update(
            host=conf["HOST"],
            port=conf["PORT"],
            username=conf["USERNAME"] or None,
            password=conf["PASSWORD"] or None,
            use_tls=conf["USE_TLS"],
            use_ssl=conf["USE_SSL"],
            timeout=conf["TIMEOUT"],
        )
    elif conf["BACKEND"].endswith("filebased.EmailBackend"):
        options["file_path"] = conf["FILE_PATH"] or str(settings.VAR_DIR / "mail")
    # Django's SMTP backend is used through ours, which knows when DATA begins.
    backend = f"{__name__}.SMTPBackend" if conf["BACKEND"] == DJANGO_SMTP else conf["BACKEND"]
    return get_connection(backend, **options)


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID at every attempt, so a receiver can drop a repeated delivery."""
    domain = parseaddr(message.from_email)[1].rpartition("@")[2] or "deepdive.invalid"
    return f"<outbox.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def send(message: OutboxMessage, *, before_handover: Callable[[], None] | None = None) -> None:
    """Send ``message``; ``before_handover`` is called once, just before the message itself
    leaves (an exception it raises stops the sending: nothing is handed over)."""
    backend = connection()
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=[message.to_email],
        headers={
            "Message-ID": message_id(message),
            "X-Deepdive-Message": str(message.pk),
            **message.headers,
        },
        connection=backend,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments or []:
        email.attach(_text_part(attachment))
    if isinstance(backend, SMTPBackend):
        backend.before_data = before_handover
    elif before_handover is not None:
        before_handover()
    email.send()


def _text_part(attachment: dict[str, str]) -> MIMEText:
    """A text attachment keeping the parameters of its content type: calendar clients read
    ``text/calendar; method=REQUEST`` as an invitation, which Django's ``attach`` would drop."""
    kind, *params = (part.strip() for part in attachment["content_type"].split(";"))
    part = MIMEText(attachment["content"], kind.split("/", 1)[1], "utf-8")
    for param in params:
        name, _, value = param.partition("=")
        if name.lower() != "charset":
            part.set_param(name, value.strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part
