"""A webinar of the series: a selected proposal whose host confirmed, placed in time by the
timetable (``deepdive.timetable``) and shown on the public programme.

Two starts are kept: ``planned_start`` is the secretariat's working plan (set by a timetable
run or by hand), ``starts_at`` is what was published to hosts, registrants and the programme.
They differ exactly when a change waits to be published. ``sequence`` is the calendar files'
SEQUENCE: raised each time a published time changes, so calendars replace the old event.
Workflows live in ``operations.py``; these models hold data only.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import Proposal
from deepdive.series.models import Call


class Webinar(models.Model):
    class Length(models.IntegerChoices):
        MINUTES_45 = 45, _("45 minutes")
        MINUTES_60 = 60, _("60 minutes")

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="webinar", verbose_name=_("proposal")
    )
    minutes = models.PositiveSmallIntegerField(
        _("length"), choices=Length.choices, default=Length.MINUTES_60
    )
    audience = models.JSONField(
        _("audience"),
        default=dict,
        blank=True,
        help_text=_("Time zone name → weight (share of the audience, in per cent)."),
    )
    audience_edited = models.BooleanField(
        _("audience set by hand"),
        default=False,
        help_text=_("Otherwise the audience is worked out from the members and the countries."),
    )
    available = models.JSONField(
        _("host available"),
        default=list,
        blank=True,
        help_text=_('Inclusive date ranges, [["2027-01-11", "2027-02-05"]]; empty: any date.'),
    )
    unavailable = models.JSONField(
        _("host not available"), default=list, blank=True, help_text=_("ISO dates.")
    )
    members_only = models.BooleanField(
        _("for Alliance members only"),
        default=True,
        help_text=_("Members-only webinars are listed publicly without their joining details."),
    )
    joining_url = models.URLField(_("joining link"), blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    starts_at = models.DateTimeField(_("published start"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "planned_start", "pk"]
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def __str__(self) -> str:
        return self.proposal.title or str(_("Webinar %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("webinars:detail", kwargs={"pk": self.pk})

    @property
    def call(self) -> Call:
        """The proposal's call: a webinar is its proposal made real, never moved elsewhere."""
        return self.proposal.call

    @property
    def call_id(self) -> int:
        return self.proposal.call_id

    @property
    def title(self) -> str:
        return self.proposal.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None

    @property
    def planned_end(self):
        return self.planned_start + timedelta(minutes=self.minutes) if self.planned_start else None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_unpublished_change(self) -> bool:
        return self.is_published and self.planned_start != self.starts_at

    @property
    def uid(self) -> str:
        """The calendar UID: stable for the life of the webinar, whatever its time."""
        return f"webinar-{self.pk}@{settings.CALENDAR_UID_DOMAIN}"


class Registration(models.Model):
    """A person registered for a webinar; they get the calendar invitation and its updates."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("webinar")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["webinar", "user"], name="one_registration_per_person")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user} — {self.webinar}"
