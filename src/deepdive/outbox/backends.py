"""An e-mail backend that stores every message Django sends into the outbox.

Set as EMAIL_BACKEND, so that nothing (a password reset, an error report) can leave the
platform except through the outbox and its worker.
"""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .operations import queue_email

        count = 0
        for email in email_messages:
            html = ""
            for content, mimetype in getattr(email, "alternatives", []):
                if mimetype == "text/html":
                    html = content
            for recipient in email.recipients():
                queue_email(
                    to=recipient, subject=email.subject, text=email.body, html=html,
                    from_email=email.from_email, kind=email.extra_headers.get("X-Deepdive-Kind", ""),
                )
                count += 1
        return count
