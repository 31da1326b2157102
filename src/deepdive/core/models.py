from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change of state, written by the service that made it, in the same transaction."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    subject = GenericForeignKey("content_type", "object_id")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def label(self) -> str:
        """What was done, in the reader's language (from the app's named list of actions)."""
        return label_of(self.action)


class AuditAction(models.TextChoices):
    """The base of each app's named list of actions, in its ``actions`` module:
    ``SUBMITTED = "proposals.submit", _("Proposal submitted")``."""


def label_of(action: str) -> str:
    """The action's label in the reader's language; the code itself when it has none."""
    for kind in AuditAction.__subclasses__():
        for member in kind:
            if member.value == str(action):
                return str(member.label)
    return str(action)


class SchedulerLease(models.Model):
    """Who runs the periodic work (``core.scheduling``): one row per lease, held by one
    scheduler until ``expires_at``; a scheduler that dies lets it expire and another takes it."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=120)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """When a periodic job last ran and what it said: a restarted scheduler does not run it
    again before its interval."""

    job = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField()
    last_result = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.job} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"
