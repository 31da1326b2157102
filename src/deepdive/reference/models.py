"""Reference data: shipped with the code (see ``data/``), editable by the secretariat.

Each row says where it comes from and as of when, so a report can cite it.
"""

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .countries import country_name
from .regions import IloRegion, M49Region


def catalogue(text: str) -> str:
    """``text`` in the reader's language when the catalogue has it (shipped reference data is
    marked with ``gettext_noop``); an edited text is shown as it is."""
    return gettext(text) if text else ""


class Sourced(models.Model):
    source = models.CharField(_("source"), max_length=300, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)

    class Meta:
        abstract = True


class Coded(Sourced):
    """A small list of named things with a stable code; names are translated by catalogue."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return catalogue(self.name) or self.code


class ActionGroup(Coded):
    description = models.TextField(_("description"), blank=True)
    chairs = models.CharField(_("chairs"), max_length=300, blank=True)

    class Meta(Coded.Meta):
        verbose_name = _("Action Group")
        verbose_name_plural = _("Action Groups")

    def display_description(self) -> str:
        return catalogue(self.description)

    def display_chairs(self) -> str:
        return catalogue(self.chairs)


class Outcome(Sourced):
    action_group = models.ForeignKey(
        ActionGroup,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("Action Group"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["action_group", "number"]
        constraints = [
            models.UniqueConstraint(fields=["action_group", "number"], name="unique_outcome_number")
        ]
        verbose_name = _("Outcome")
        verbose_name_plural = _("Outcomes")

    def __str__(self) -> str:
        return gettext("Outcome %(number)s. %(title)s") % {
            "number": self.number,
            "title": self.display_title(),
        }

    def display_title(self) -> str:
        return catalogue(self.title)


class Output(Sourced):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("Outcome")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["outcome", "number"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "number"], name="unique_output_number")
        ]
        verbose_name = _("workplan Output")
        verbose_name_plural = _("workplan Outputs")

    def __str__(self) -> str:
        return gettext("Output %(outcome)s.%(number)s") % {
            "outcome": self.outcome.number,
            "number": self.number,
        }

    def display_text(self) -> str:
        return catalogue(self.text)


class Criterion(Coded):
    description = models.TextField(_("description"), blank=True)

    class Meta(Coded.Meta):
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def display_description(self) -> str:
        return catalogue(self.description)


class Theme(Coded):
    class Meta(Coded.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Sector(Coded):
    is_key_sector = models.BooleanField(_("key sector of the workplan"), default=False)

    class Meta(Coded.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class PartnerType(Coded):
    is_social_partner = models.BooleanField(_("social partner"), default=False)

    class Meta(Coded.Meta):
        verbose_name = _("partner type")
        verbose_name_plural = _("partner types")


class Country(Sourced):
    code = models.CharField(_("ISO 3166 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    ilo_region = models.CharField(_("ILO region"), max_length=40, choices=IloRegion.choices)
    m49_region = models.CharField(_("UN M49 region"), max_length=40, choices=M49Region.choices)
    m49_subregion = models.CharField(_("UN M49 sub-region"), max_length=80, blank=True)
    timezone = models.CharField(_("main time zone"), max_length=64)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return country_name(self.code, language or get_language()) or self.name


class PathfinderCountry(Sourced):
    """A country that committed to go further and faster towards Target 8.7."""

    country = models.OneToOneField(
        Country, on_delete=models.CASCADE, related_name="pathfinder", verbose_name=_("country")
    )
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("Pathfinder Country")
        verbose_name_plural = _("Pathfinder Countries")

    def __str__(self) -> str:
        return str(self.country)
