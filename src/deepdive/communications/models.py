"""A series' branding: what its announcement cards look like."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from deepdive.series.models import Series, colour

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
