"""What the audit trail records about the outbox: one named action per change of state."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class OutboxAction(AuditAction):
    INTERRUPTED = "outbox.interrupted", _("Messages found interrupted while sending")
    REQUEUED = "outbox.requeue", _("Messages without a task given back to the worker")
    RESENT = "outbox.resend", _("Interrupted message sent again")
    MARKED_SENT = "outbox.mark_sent", _("Interrupted message marked as sent")
    RETRIED = "outbox.retry", _("Failed message sent again")
    EDITED = "outbox.edit", _("Message waiting for approval edited")
    APPROVED = "outbox.approve", _("Messages approved")
    DISCARDED = "outbox.discard", _("Message waiting for approval discarded")
    UNSUBSCRIBED = "outbox.unsubscribe", _("Recipient unsubscribed")
    PREFERENCES = "outbox.preferences", _("Recipient changed what they receive")
    BOUNCED = "outbox.bounce", _("Address refused by the mail server for good")
    COMPLAINED = "outbox.complaint", _("Recipient reported a message as spam")
