"""A series' branding: what its announcement cards look like."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deepdive.series.models import Series, colour
from deepdive.series.texts import LocalText, local_text

# The project's colours: a series without branding uses these (or its own band colours).
DEFAULT_PRIMARY = "#1e2dbe"
DEFAULT_ACCENT = "#fa3c4b"


class Branding(models.Model):
    """The branding template of a series' cards. ``version`` goes up at every change, so the
    cards drawn with the old branding are no longer found (their storage key changes)."""

    class Layout(models.TextChoices):
        BANNER = "banner", _("Banner: a coloured band at the top")
        SPLIT = "split", _("Split: a coloured column at the side")

    series = models.OneToOneField(
        Series, on_delete=models.CASCADE, related_name="branding", verbose_name=_("series")
    )
    colour_primary = models.CharField(
        _("main colour"), max_length=7, default=DEFAULT_PRIMARY, validators=[colour]
    )
    colour_accent = models.CharField(
        _("accent colour"), max_length=7, default=DEFAULT_ACCENT, validators=[colour]
    )
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    layout = models.CharField(
        _("layout"), max_length=10, choices=Layout.choices, default=Layout.BANNER
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("brandings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(layout__in=["banner", "split"]), name="branding_layout_known"
            )
        ]

    def __str__(self) -> str:
        return str(_("Branding of %(series)s") % {"series": self.series})


class NewsletterIssue(models.Model):
    """An issue of a series' newsletter: a subject and an introduction in English (``subject``,
    ``introduction``) and, optionally, in French and Spanish (``texts``: {"fr": {"subject":
    ..., "introduction": ...}}, falling back to English); free text ``blocks``, in order, each
    {"heading": {language: text}, "body": {language: sanitised HTML}}; and which sections of
    the programme are composed into it when it is rendered (``newsletters``).

    *Draft* until it is sent for approval: then its ``campaign`` (one held message per
    person) waits for the secretariat to send it, and the issue can no longer change. Its web
    version is public once that campaign's sending started."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent for approval")

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="newsletter_issues", verbose_name=_("series")
    )
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    texts = models.JSONField(_("texts in French and Spanish"), default=dict, blank=True)
    blocks = models.JSONField(_("text blocks"), default=list, blank=True)
    include_upcoming = models.BooleanField(_("upcoming webinars"), default=True)
    include_recordings = models.BooleanField(_("recordings just published"), default=True)
    recordings_days = models.PositiveIntegerField(_("recordings of the last days"), default=30)
    include_call = models.BooleanField(_("the call for proposals, when open"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent for approval"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "sent"]),
                name="newsletter_issue_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_at__isnull=False),
                name="newsletter_issue_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def main_language(self) -> str:
        return "en"

    def local_text(self, field: str, language: str | None = None) -> LocalText:
        """``subject`` or ``introduction`` in ``language``, else in English."""
        return local_text(self, field, main_language="en", language=language)


class Campaign(models.Model):
    """An invitation to one webinar (or, without one, to the series' whole programme) sent to
    an audience (``audiences.Audience``'s spec). Its messages are the outbox batch
    ``batch`` ("campaign-<id>"), drafted held, one per person; while ``sending``, the scheduler
    releases up to ``rate_per_minute`` of them a minute (``campaigns.release``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        DONE = "done", _("done")

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("series")
    )
    webinar = models.ForeignKey(
        "webinars.Webinar",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("webinar"),
        help_text=_("Empty: an invitation to the series' whole programme."),
    )
    audience = models.JSONField(_("audience"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    approved_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(_("messages a minute"), default=60)
    # A newsletter issue's campaign (``newsletters``); empty for an invitation.
    issue = models.OneToOneField(
        NewsletterIssue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="campaign",
        verbose_name=_("newsletter issue"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "sending", "paused", "done"]),
                name="campaign_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_per_minute__gte=1), name="campaign_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        # What the campaign sends, as the secretariat knows it (lists select ``issue`` and
        # ``webinar__proposal``: no query per row).
        if self.issue_id is not None and self.issue is not None:
            return str(_("Newsletter: %(subject)s") % {"subject": self.issue.subject})
        if self.webinar_id is not None and self.webinar is not None:
            return str(_("Invitation: %(title)s") % {"title": self.webinar.title})
        return str(_("Invitation: the programme"))

    @property
    def batch(self) -> str:
        return f"campaign-{self.pk}"
