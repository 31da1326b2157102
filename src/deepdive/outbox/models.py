import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail to one recipient. Stored first, delivered by the task worker.

    A message is claimed (queued → sending) by a conditional update before it is handed to
    the mail server, so two workers never send it twice. A worker that dies while sending
    leaves it in ``sending``; ``interrupt_stale`` (``deepdive outbox_recover``) then marks it
    ``interrupted``: the mail server may or may not have accepted it, so it is never resent
    silently, and the secretariat sends it again or marks it sent; unless the worker died
    before it began handing the message over (``handed_over`` False: before SMTP DATA, the
    server cannot have it), then it is queued again. After a failed attempt it
    goes back to ``queued`` with ``next_attempt_at`` set, and no task delivers it before then.

    A message drafted for approval is ``held``: it has no delivery task and the worker never
    claims it. The secretariat edits it, then approves it (held → queued, delivered as any
    other) or discards it (held → discarded, kept for the record).
    """

    class Status(models.TextChoices):
        HELD = "held", _("waiting for approval")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        INTERRUPTED = "interrupted", _("interrupted: may or may not have been sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DISCARDED = "discarded", _("discarded")
        SUPPRESSED = "suppressed", _("not sent: the recipient unsubscribed or bounced")

    class Category(models.TextChoices):
        # Empty: transactional (verification, decisions, registrations), always sent. The
        # others are sent only to who has not unsubscribed (``Suppression``) and carry
        # List-Unsubscribe.
        TRANSACTIONAL = "", _("transactional")
        INVITATION = "invitation", _("invitation")
        NEWSLETTER = "newsletter", _("newsletter")

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=60, blank=True, db_index=True)
    from_email = models.CharField(_("from"), max_length=254)
    to_email = models.EmailField(_("to"), db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default="", blank=True
    )
    # The code of the Action Group a non-transactional message is sent for (a campaign's
    # series' group), so that a person can stop one group's invitations; empty: none.
    action_group = models.CharField(_("Action Group"), max_length=60, default="", blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_('Text files sent with the message: [{"filename", "content_type", "content"}].'),
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # Where the last attempt got to: False from the claim, True just before the message
    # itself goes to the mail server (SMTP DATA). A dead worker's message still False never
    # reached the server and is queued again; True, or None (not known: written before this
    # field), may have arrived and waits for the secretariat (``interrupt_stale``).
    handed_over = models.BooleanField(
        _("handed to the mail server"),
        null=True,
        blank=True,
        help_text=_("Whether the last attempt began handing the message to the mail server."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("After a failed attempt, the message is not tried again before this time."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    batch = models.CharField(
        _("batch"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("Groups the messages drafted together, e.g. “Decisions — call 2027”."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"

    @property
    def batch_key(self) -> str:
        return batch_key(self.batch)


class Suppression(models.Model):
    """An address that must not receive non-transactional e-mail of a scope (invitations,
    newsletters, or all), from one Action Group or from every group: the person unsubscribed,
    or the address bounced or complained. Transactional messages (category empty) still go to
    it."""

    class Scope(models.TextChoices):
        INVITATION = "invitation", _("invitations")
        NEWSLETTER = "newsletter", _("newsletters")
        ALL = "all", _("all e-mail from the series")

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("complained")

    address = models.EmailField(_("address"), db_index=True)  # stored lower-case
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    # The code of one Action Group (reference.ActionGroup.code); empty, not NULL, for every
    # group, so that the unique constraint holds alike on SQLite and PostgreSQL.
    action_group = models.CharField(
        _("Action Group"),
        max_length=60,
        default="",
        blank=True,
        help_text=_("Empty: every Action Group."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["address", "scope", "action_group"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "scope", "action_group"], name="suppression_unique_per_group"
            ),
            models.CheckConstraint(
                condition=models.Q(address=Lower("address")),
                name="suppression_lower_case",
            ),
        ]

    def __str__(self) -> str:
        group = f", {self.action_group}" if self.action_group else ""
        return f"{self.address} ({self.scope}{group}, {self.reason})"


def batch_key(batch: str) -> str:
    """The batch's name in URLs (``outbox:batch``): a slug for the reader and a hash of the
    exact label, so that two labels with the same slug never share a page."""
    digest = hashlib.sha256(batch.encode()).hexdigest()[:10]
    return f"{slugify(batch)[:60].strip('-') or 'batch'}-{digest}"
