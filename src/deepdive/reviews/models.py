"""The review of a call's proposals: the reviewer pool, conflicts, assignments and reviews."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import Proposal
from deepdive.reference.models import Sector, Theme
from deepdive.series.models import Call, validate_zone


class ReviewRound(models.Model):
    """How a call's proposals are reviewed: how many reviewers each, and when."""

    class Objective(models.TextChoices):
        TOTAL = "total", _("best total match")
        FAIR = "fair", _("fairest to the worst-served proposal")

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review_round")
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers per proposal"), default=3, validators=[MinValueValidator(1)]
    )
    default_max_load = models.PositiveSmallIntegerField(
        _("default maximum load"), default=8, validators=[MinValueValidator(1)]
    )
    opens_at = models.DateTimeField(_("review opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("review closes"), null=True, blank=True)
    timezone = models.CharField(
        _("time zone of the review window"),
        max_length=64,
        default="Europe/Zurich",
        validators=[validate_zone],
    )
    objective = models.CharField(
        _("assignment objective"), max_length=5, choices=Objective.choices, default=Objective.TOTAL
    )
    others_visible_after_submit = models.BooleanField(
        _("reviewers see others' reviews after submitting their own"), default=True
    )

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self) -> str:
        return str(self.call)

    def is_open_at(self, moment) -> bool:
        if self.opens_at is None or self.closes_at is None:
            return False
        return self.opens_at <= moment < self.closes_at


class Reviewer(models.Model):
    """A person in a call's reviewer pool: invited by e-mail, then active once they accept."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("declined")
        REMOVED = "removed", _("removed from the pool")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewer_roles",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED, db_index=True
    )
    min_load = models.PositiveSmallIntegerField(_("minimum load"), default=0)
    max_load = models.PositiveSmallIntegerField(
        _("maximum load"), null=True, blank=True, help_text=_("Empty: the round's default.")
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("sectors"))
    regions = models.JSONField(_("ILO regions"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="unique_reviewer_email")
        ]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.email


class DeclaredConflict(models.Model):
    """A conflict beyond affiliation, declared by the reviewer or the secretariat; it can be
    lifted by the secretariat with a reason. Both stay in the history."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.proposal}"


class AssignmentRun(models.Model):
    """A proposed assignment from the optimiser, shown and edited before it is saved."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        SAVED = "saved", _("saved")
        DISCARDED = "discarded", _("discarded")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    objective = models.CharField(max_length=5, choices=ReviewRound.Objective.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    solver_status = models.CharField(max_length=20, blank=True)
    # {proposal id: [reviewer id, ...]} as the optimiser proposed it and as edited by hand.
    proposed = models.JSONField(default=dict)
    current = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.call} {self.objective} {self.created_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """A reviewer asked to review a proposal."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        NEEDS_REASSIGNMENT = "reassign", _("to be reassigned")

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    affinity = models.FloatField(default=0)
    assigned_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(AssignmentRun, null=True, blank=True, on_delete=models.SET_NULL)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "proposal"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.proposal}"


class Review(models.Model):
    """A reviewer's scores of one proposal on the call's criteria.

    Kept when the reviewer leaves the pool or the proposal is withdrawn: nothing submitted is
    ever lost; the ranking decides what counts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class Recommendation(models.TextChoices):
        SELECT = "select", _("select")
        MAYBE = "maybe", _("maybe")
        REJECT = "reject", _("do not select")

    class Confidence(models.IntegerChoices):
        LOW = 1, _("low")
        MEDIUM = 2, _("medium")
        HIGH = 3, _("high")

    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="reviews")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    # {criterion code: 1..5}; {criterion code: comment}
    scores = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"),
        choices=Confidence.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "proposal"], name="unique_review")
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.proposal}"

    @property
    def total(self) -> int | None:
        return sum(self.scores.values()) if self.scores else None

    @property
    def has_content(self) -> bool:
        """Submitted, or a draft with something in it: a new assignment run keeps it."""
        return self.status == self.Status.SUBMITTED or bool(
            self.scores
            or any(str(text).strip() for text in (self.comments or {}).values())
            or self.overall_comment.strip()
            or self.recommendation
            or self.confidence
        )
