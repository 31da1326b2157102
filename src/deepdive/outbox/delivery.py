"""Hands one stored message to the real mail backend (SMTP, file or console)."""

from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .models import OutboxMessage


def connection():
    conf = settings.OUTBOX_DELIVERY
    options = {"fail_silently": False}
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
    return get_connection(conf["BACKEND"], **options)


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID at every attempt, so a receiver can drop a repeated delivery."""
    domain = parseaddr(message.from_email)[1].rpartition("@")[2] or "deepdive.invalid"
    return f"<outbox.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def send(message: OutboxMessage) -> None:
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
        connection=connection(),
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments or []:
        email.attach(_text_part(attachment))
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
