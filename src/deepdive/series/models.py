from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.core.timezones import is_valid_zone
from deepdive.reference.models import ActionGroup, Outcome, Sector, Theme

from .texts import LocalText, LocalTexts, first_language, local_text

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as # and six hex digits."))


def validate_zone(value: str) -> None:
    """A time zone name of the IANA database (Europe/Zurich; there is no Europe/Geneva)."""
    if not is_valid_zone(value):
        raise ValidationError(
            _("%(value)s is not a time zone name, such as Europe/Zurich."),
            code="invalid_zone",
            params={"value": value},
        )


class Translated(models.Model):
    """Texts written by the secretariat in each of the series' languages.

    The main fields hold the text in the series' first language; ``texts`` holds the others as
    {"fr": {"title": "...", "description": "..."}}. ``text("title")`` gives the reader's (else
    the English, else the main one); ``localized["title"]`` the same as a ``LocalText``, which
    marks a fallback (``texts.py``).
    """

    texts = models.JSONField(_("texts in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True

    def main_language(self) -> str:
        """The language of the main fields: the series' first."""
        raise NotImplementedError

    def text(self, field: str, language: str | None = None) -> str:
        return str(self.local_text(field, language))

    def local_text(self, field: str, language: str | None = None) -> LocalText:
        return local_text(self, field, main_language=self.main_language(), language=language)

    @property
    def localized(self) -> LocalTexts:
        return LocalTexts(self, self.main_language())


class Series(Translated):
    """A webinar series of one Action Group; calls, webinars and communications hang off it."""

    action_group = models.ForeignKey(
        ActionGroup,
        on_delete=models.PROTECT,
        related_name="series",
        verbose_name=_("Action Group"),
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_('Language codes, e.g. ["en", "fr", "es"]')
    )
    colour_primary = models.CharField(
        _("main colour"), max_length=7, default="#1e2dbe", validators=[colour]
    )
    colour_accent = models.CharField(
        _("accent colour"), max_length=7, default="#fa3c4b", validators=[colour]
    )
    logo = models.ImageField(_("logo"), upload_to="series/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("webinars:programme", kwargs={"slug": self.slug})

    def main_language(self) -> str:
        return first_language(self.languages)


class Call(Translated):
    """A call for proposals. Its instants are stored in UTC and entered in ``timezone``."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="calls", verbose_name=_("series")
    )
    slug = models.SlugField(_("address"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    timezone = models.CharField(
        _("time zone of the call"),
        max_length=64,
        default="Europe/Zurich",
        validators=[validate_zone],
        help_text=_("The opening and closing times are given in this zone."),
    )
    word_limit = models.PositiveIntegerField(
        _("word limit of the description"), default=250, validators=[MinValueValidator(1)]
    )
    seats = models.PositiveIntegerField(
        _("webinars to select"), default=8, validators=[MinValueValidator(1)]
    )
    background = models.TextField(_("background"), blank=True)
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    outcomes = models.ManyToManyField(
        Outcome, blank=True, related_name="calls", verbose_name=_("Outcomes that apply")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="calls", verbose_name=_("themes that apply")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="calls", verbose_name=_("sectors that apply")
    )
    co_submitters_must_confirm = models.BooleanField(
        _("co-submitting organisations must confirm"),
        default=True,
        help_text=_(
            "Each co-submitting organisation's contacts are asked to confirm that it takes part."
        ),
    )

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "slug"], name="unique_call_slug"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            ),
        ]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series:call", kwargs={"slug": self.series.slug, "call_slug": self.slug})

    def main_language(self) -> str:
        return self.series.main_language()

    def is_open_at(self, moment) -> bool:
        """Open from ``opens_at`` inclusive to ``closes_at`` exclusive, to the microsecond."""
        return self.opens_at <= moment < self.closes_at

    def status_at(self, moment) -> str:
        if moment < self.opens_at:
            return self.Status.SCHEDULED
        if moment < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.Status(self.status).label
