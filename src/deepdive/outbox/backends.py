"""An e-mail backend that stores every message Django sends into the outbox.

Set as EMAIL_BACKEND, so that nothing (a password reset, an error report) can leave the
platform except through the outbox and its worker. Each recipient (To, Cc and Bcc) gets a
message of their own; extra headers and Reply-To are kept, attachments are not supported.
"""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from .operations import queue_email

KIND_HEADER = "X-Deepdive-Kind"


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        with transaction.atomic():
            for email in email_messages:
                html = ""
                for content, mimetype in getattr(email, "alternatives", []):
                    if mimetype == "text/html":
                        html = content
                headers = {
                    str(k): str(v) for k, v in email.extra_headers.items() if k != KIND_HEADER
                }
                if email.reply_to and "Reply-To" not in headers:
                    headers["Reply-To"] = ", ".join(email.reply_to)
                for recipient in email.recipients():
                    queue_email(
                        to=recipient,
                        subject=email.subject,
                        text=email.body,
                        html=html,
                        from_email=email.from_email,
                        headers=headers,
                        kind=email.extra_headers.get(KIND_HEADER, ""),
                    )
                    count += 1
        return count
