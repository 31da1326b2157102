"""The timetable of a call's webinars: the rules the secretariat sets and every run of the
``timetable`` optimiser over them (DESIGN.md, **timetable**).

The working plan and the published times live on the webinars (``webinars.models.Webinar``);
a run keeps the optimiser's input and answer, and the naive plan it was compared with, so it
reads the same later. Workflows live in ``operations.py``; these models hold data only.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from deepdive.series.models import Call, validate_zone

DEFAULT_ZONE = "Europe/Paris"
DEFAULT_EXCLUDED = [["12:30", "14:00"]]  # lunch, from the partners' survey


def default_weekdays() -> list[int]:
    return [1, 2, 3, 4, 5]


def default_excluded() -> list[list[str]]:
    return [list(pair) for pair in DEFAULT_EXCLUDED]


class TimetableRules(models.Model):
    """The timetable rules of one call. Defaults are the partners' survey (seed 002): 09:00 to
    18:00 Central European time except lunch, attendees between 08:00 and 20:00 their time."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="timetable_rules", verbose_name=_("call")
    )
    reference_timezone = models.CharField(
        _("reference time zone"), max_length=64, default=DEFAULT_ZONE, validators=[validate_zone]
    )
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    weekdays = models.JSONField(
        _("weekdays"), default=default_weekdays, help_text=_("ISO weekdays, 1 = Monday.")
    )
    window_start = models.TimeField(_("earliest start"), default=datetime.time(9, 0))
    window_end = models.TimeField(_("latest end"), default=datetime.time(18, 0))
    excluded = models.JSONField(
        _("excluded times"),
        default=default_excluded,
        blank=True,
        help_text=_('Times of day in the reference zone, [["12:30", "14:00"]].'),
    )
    step_minutes = models.PositiveSmallIntegerField(
        _("minutes between possible starts"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    min_days_between = models.PositiveSmallIntegerField(
        _("minimum days between two webinars"), default=7, validators=[MaxValueValidator(60)]
    )
    blackout = models.JSONField(
        _("blackout dates"),
        default=list,
        blank=True,
        help_text=_('[{"date": "2027-01-01", "label": "New Year\'s Day"}]'),
    )
    audience_start = models.TimeField(
        _("attendees available from (their time)"), default=datetime.time(8, 0)
    )
    audience_end = models.TimeField(
        _("attendees available until (their time)"), default=datetime.time(20, 0)
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
        verbose_name = _("timetable rules")
        verbose_name_plural = _("timetable rules")

    def __str__(self) -> str:
        return str(_("Timetable rules of %(call)s") % {"call": self.call})


class TimetableRun(models.Model):
    """One run of the optimiser for a call, with the naive plan it is compared with."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="timetable_runs", verbose_name=_("call")
    )
    input = models.JSONField(_("input sent to the optimiser"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    naive = models.JSONField(
        _("naive plan"),
        default=dict,
        help_text=_("Every webinar at the same hour, in order: starts and reach, for comparison."),
    )
    webinars = models.JSONField(
        _("the webinars as they were"),
        default=dict,
        help_text=_("Optimiser id → webinar id and title at the time of the run."),
    )
    solver_status = models.CharField(_("solver status"), max_length=20)
    obstacles = models.JSONField(
        _("why no timetable"),
        default=dict,
        blank=True,
        help_text=_('When no timetable keeps every rule: optimiser id → "no_date" | "no_start".'),
    )
    total_reach = models.FloatField(_("total reach"), null=True, blank=True)
    seconds = models.FloatField(_("solving time (seconds)"), default=0)
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
        verbose_name = _("timetable run")
        verbose_name_plural = _("timetable runs")

    def __str__(self) -> str:
        return str(_("Timetable run %(number)s") % {"number": self.pk})
