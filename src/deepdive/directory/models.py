import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        """Organisations not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Organisation(models.Model):
    """A partner organisation of the Alliance, listed in the directory."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    partner_type = models.ForeignKey(
        PartnerType,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("partner type"),
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="organisations", verbose_name=_("countries")
    )
    website = models.URLField(_("website"), blank=True)
    action_groups = models.ManyToManyField(
        ActionGroup, blank=True, related_name="organisations", verbose_name=_("Action Groups")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="organisations", verbose_name=_("themes")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_member = models.BooleanField(
        _("Alliance 8.7 partner"),
        default=True,
        help_text=_("Partners' verified contacts may act for the organisation."),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", kwargs={"slug": self.slug})


_DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"
)


def is_valid_domain(domain: str) -> bool:
    """Whether ``domain`` (lower case, without ``@``) is a syntactically valid host name."""
    return bool(_DOMAIN_RE.match(domain))


class OrganisationDomain(models.Model):
    """An e-mail domain of an organisation: a verified address there verifies affiliation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain


class Affiliation(models.Model):
    """A person's statement that they work for an organisation, and its verification."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("title or role"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    stated_at = models.DateTimeField(_("stated"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_automatically = models.BooleanField(default=False)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-stated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_affiliation")
        ]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"
