"""The selection of a call's webinars: the rules the secretariat sets and every run of the
``select`` optimiser over them (DESIGN.md, **select**).

Workflows live in ``operations.py``; these models hold data only. A run keeps everything it was
made from (a snapshot of the rules, the optimiser's input) and everything it said (the result,
the top-N comparison), so it reads the same later whatever changes since.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import Proposal
from deepdive.series.models import Call


class SelectionRules(models.Model):
    """The selection rules of one call. A missing row means the concept note's defaults
    (``optimiser_input.default_rules``); a null ``max_*`` means no such rule."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="selection_rules", verbose_name=_("call")
    )
    seats = models.PositiveIntegerField(_("webinars to select"), validators=[MinValueValidator(1)])
    min_per_theme = models.JSONField(_("minimum per theme"), default=dict, blank=True)
    min_per_outcome = models.JSONField(_("minimum per Outcome"), default=dict, blank=True)
    max_per_organisation = models.PositiveIntegerField(
        _("at most per organisation"), null=True, blank=True
    )
    max_per_lead_org_type = models.PositiveIntegerField(
        _("at most per lead partner type"), null=True, blank=True
    )
    max_per_region = models.PositiveIntegerField(_("at most per region"), null=True, blank=True)
    weight_joint = models.FloatField(
        _("weight of joint proposals"), default=0.5, validators=[MinValueValidator(0)]
    )
    weight_pathfinder = models.FloatField(
        _("weight of Pathfinder Countries"), default=0.5, validators=[MinValueValidator(0)]
    )
    weight_org_type_coverage = models.FloatField(
        _("weight of each partner type covered"), default=0.25, validators=[MinValueValidator(0)]
    )
    weight_region_coverage = models.FloatField(
        _("weight of each region covered"), default=0.25, validators=[MinValueValidator(0)]
    )
    include = models.ManyToManyField(
        Proposal, blank=True, related_name="selection_locked_in", verbose_name=_("locked in")
    )
    exclude = models.ManyToManyField(
        Proposal, blank=True, related_name="selection_locked_out", verbose_name=_("locked out")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("selection rules")
        verbose_name_plural = _("selection rules")

    def __str__(self) -> str:
        return str(_("Selection rules of %(call)s") % {"call": self.call})


class SelectionRun(models.Model):
    """One run of the optimiser for a call. ``status`` stays "proposed" until the secretariat
    confirms a run as its decision (a later part builds that on this model)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="selection_runs", verbose_name=_("call")
    )
    rules = models.JSONField(_("rules"), default=dict)
    input = models.JSONField(_("input sent to the optimiser"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    top_n = models.JSONField(_("the top N by score, for comparison"), default=dict)
    proposals = models.JSONField(
        _("the proposals as they were"),
        default=dict,
        help_text=_("Facts about each proposal at the time of the run, by optimiser id."),
    )
    unscored = models.JSONField(_("submitted but not scored, left out"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    solver_status = models.CharField(_("solver status"), max_length=20)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    shortfall = models.PositiveIntegerField(_("quota shortfall"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")

    def __str__(self) -> str:
        return str(_("Selection run %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("selection:run", kwargs={"pk": self.pk})


class Decision(models.Model):
    """The decision on one proposal of a call, made when a run is confirmed (``decisions.py``).
    ``host_*`` fields concern selected proposals: their hosts confirm or decline by the
    deadline."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("selected")
        WAITLISTED = "waitlisted", _("waitlisted")
        NOT_SELECTED = "not_selected", _("not selected")

    class HostStatus(models.TextChoices):
        PENDING = "pending", _("waiting for the host's answer")
        CONFIRMED = "confirmed", _("hosting confirmed")
        DECLINED = "declined", _("hosting declined")

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="decision", verbose_name=_("proposal")
    )
    run = models.ForeignKey(
        SelectionRun, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("run")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    waitlist_position = models.PositiveIntegerField(_("place on the waitlist"), null=True)
    host_status = models.CharField(
        _("hosting"), max_length=10, choices=HostStatus.choices, blank=True
    )
    host_deadline = models.DateTimeField(_("host to answer by"), null=True, blank=True)
    host_answered_at = models.DateTimeField(_("host answered"), null=True, blank=True)
    host_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("host answered by"),
    )
    reminded_at = models.DateTimeField(_("host reminded"), null=True, blank=True)
    promoted_from_waitlist = models.BooleanField(_("promoted from the waitlist"), default=False)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["outcome", "waitlist_position", "proposal_id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"

    @property
    def hosting_confirmed(self) -> bool:
        """Selected, and its host confirmed: the proposal becomes a webinar."""
        return (
            self.outcome == self.Outcome.SELECTED and self.host_status == self.HostStatus.CONFIRMED
        )
