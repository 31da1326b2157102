from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from deepdive.directory.models import Organisation
from deepdive.reference.models import Country, Outcome, Sector, Theme
from deepdive.series.models import Call

WEBINAR_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("other", _("Another language")),
]
INTERPRETATION_LANGUAGES = WEBINAR_LANGUAGES[:3]


class Proposal(models.Model):
    """A webinar proposed to a call by a member organisation, alone or jointly.

    ``version`` grows by one at every save: a form carries the version it was opened at, and
    a save from an older version is refused instead of silently overwriting the other change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    creation_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The one-time token of the form that created it: a second post finds it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals_created",
        verbose_name=_("created by"),
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="proposals_led",
        verbose_name=_("lead organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    title = models.CharField(_("tentative title"), max_length=250, blank=True)
    description = models.TextField(_("description of the session"), blank=True)
    outcomes = models.ManyToManyField(
        Outcome, blank=True, related_name="proposals", verbose_name=_("Outcomes")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="proposals", verbose_name=_("themes")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="proposals", verbose_name=_("sectors")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="proposals", verbose_name=_("countries of action")
    )
    includes_pathfinder = models.BooleanField(
        _("action in a Pathfinder Country"),
        default=False,
        help_text=_("Kept as it was when the proposal was last saved."),
    )
    language = models.CharField(_("language of the webinar"), max_length=8, blank=True)
    interpretation = models.JSONField(_("interpretation wanted into"), default=list, blank=True)
    preferred_months = models.JSONField(_("preferred months"), default=list, blank=True)
    unavailable_dates = models.TextField(_("dates the hosts cannot do"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title or _("Untitled proposal")

    def get_absolute_url(self) -> str:
        return reverse("proposals:view", kwargs={"pk": self.pk})

    def language_label(self) -> str:
        return str(dict(WEBINAR_LANGUAGES).get(self.language, self.language))

    def interpretation_labels(self) -> list[str]:
        names = dict(INTERPRETATION_LANGUAGES)
        return [str(names.get(code, code)) for code in self.interpretation or []]

    def month_labels(self) -> list[str]:
        return [str(MONTHS[m]) for m in self.preferred_months or [] if m in MONTHS]

    def organisations_confirmed(self) -> int:
        """The lead plus the co-submitting organisations that confirmed taking part."""
        return 1 + self.co_submitters.filter(status=CoSubmitter.Status.CONFIRMED).count()

    @property
    def is_joint(self) -> bool:
        """Joint once two or more organisations confirmed (the lead counts as confirmed)."""
        return self.organisations_confirmed() >= 2


class CoSubmitter(models.Model):
    """An organisation proposing the webinar with the lead, and whether it confirmed.

    An organisation not in the directory is named in ``unlisted_name`` and flagged to the
    secretariat; it cannot confirm on the platform.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        UNLISTED = "unlisted", _("not in the directory")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_submitters")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_submissions",
        verbose_name=_("organisation"),
    )
    unlisted_name = models.CharField(
        _("organisation not in the directory"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The secretariat invited someone to become the organisation's contact (it had none).
    contact_invited_email = models.EmailField(_("contact invited"), blank=True)
    contact_invited_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="unique_co_submitter",
            )
        ]
        verbose_name = _("co-submitting organisation")
        verbose_name_plural = _("co-submitting organisations")

    def __str__(self) -> str:
        return str(self.organisation) if self.organisation_id else self.unlisted_name


class Speaker(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("woman")
        MAN = "man", _("man")
        ANOTHER = "another", _("another")
        UNDISCLOSED = "undisclosed", _("prefer not to say")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("title or role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    order = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class NearDuplicate(models.Model):
    """Two proposals of a call whose titles or descriptions are nearly the same (see
    ``duplicates``), kept so that the secretariat's table reads them instead of comparing every
    pair at each request.

    Each pair is stored once, the smaller id as ``a``; withdrawn proposals have none. A
    proposal's pairs are worked out again, against the other proposals of its call, whenever it
    is created, edited, submitted or withdrawn (``operations.refresh_near_duplicates``);
    ``deepdive near_duplicates`` works out a whole call's again.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    a = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="near_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(a__lt=models.F("b")), name="near_duplicate_ordered"
            ),
        ]
        indexes = [models.Index(fields=["b"], name="near_duplicate_b")]
        verbose_name = _("near duplicate")
        verbose_name_plural = _("near duplicates")

    def __str__(self) -> str:
        return f"{self.a_id} ~ {self.b_id} ({self.similarity:.2f})"
