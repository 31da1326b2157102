"""The selection rules form: one field per rule, each with a sentence saying what it does.

Fields are built from the call's themes and Outcomes; the lock-in and lock-out checkboxes are
rendered in the proposals' table. Validation of the rules themselves is in
``operations.update_rules``; the view puts its messages beside these fields.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from deepdive.core.templatetags.deepdive import when
from deepdive.reference.models import Outcome, Theme

from .optimiser_input import RuleSet


class RulesForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Webinars to select"),
        min_value=1,
        help_text=_(
            "The series has exactly this many webinars (fewer only if fewer proposals "
            "can be chosen)."
        ),
    )
    max_per_organisation = forms.IntegerField(
        label=_("At most per organisation"),
        min_value=1,
        required=False,
        help_text=_(
            "No organisation, as lead or confirmed co-submitter, is in more than this "
            "many webinars. Empty: no limit."
        ),
    )
    max_per_lead_org_type = forms.IntegerField(
        label=_("At most per lead partner type"),
        min_value=1,
        required=False,
        help_text=_(
            "No more than this many webinars are led by the same type of partner (for "
            "example, businesses). Empty: no limit."
        ),
    )
    max_per_region = forms.IntegerField(
        label=_("At most per ILO region"),
        min_value=1,
        required=False,
        help_text=_("No more than this many webinars act in the same ILO region. Empty: no limit."),
    )
    weight_joint = forms.FloatField(
        label=_("Weight of a joint proposal"),
        min_value=0,
        help_text=_(
            "Added to the score of a proposal made jointly by two or more organisations "
            "that confirmed: the concept note prioritises joint proposals."
        ),
    )
    weight_pathfinder = forms.FloatField(
        label=_("Weight of action in Pathfinder Countries"),
        min_value=0,
        help_text=_(
            "Added to the score of a proposal with action in a Pathfinder Country: the "
            "concept note gives them special consideration."
        ),
    )
    weight_org_type_coverage = forms.FloatField(
        label=_("Weight of each partner type covered"),
        min_value=0,
        help_text=_(
            "Added once for every type of organisation present in the series, so a "
            "diverse series scores higher."
        ),
    )
    weight_region_coverage = forms.FloatField(
        label=_("Weight of each ILO region covered"),
        min_value=0,
        help_text=_(
            "Added once for every ILO region the series acts in, for geographical diversity."
        ),
    )
    include = forms.TypedMultipleChoiceField(
        label=_("Locked in"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude = forms.TypedMultipleChoiceField(
        label=_("Locked out"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        themes: list[Theme],
        outcomes: list[Outcome],
        proposal_ids: list[int],
        rules: RuleSet,
        **kwargs: Any,
    ):
        initial = {
            "seats": rules.seats,
            "max_per_organisation": rules.max_per_organisation,
            "max_per_lead_org_type": rules.max_per_lead_org_type,
            "max_per_region": rules.max_per_region,
            "include": rules.include,
            "exclude": rules.exclude,
            **{f"weight_{k}": v for k, v in rules.weights.items()},
        }
        self.theme_fields: list[str] = []
        self.outcome_fields: list[str] = []
        for theme in themes:
            initial[f"min_theme_{theme.code}"] = rules.min_per_theme.get(theme.code, 0)
        for outcome in outcomes:
            initial[f"min_outcome_{outcome.number}"] = rules.min_per_outcome.get(
                str(outcome.number), 0
            )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for theme in themes:
            name = f"min_theme_{theme.code}"
            self.fields[name] = forms.IntegerField(
                label=_("At least, theme “%(theme)s”") % {"theme": theme},
                min_value=0,
                help_text=_(
                    "The optimiser first tries to choose at least this many webinars on "
                    "%(theme)s; if it cannot, the result says by how much it falls "
                    "short."
                )
                % {"theme": theme},
            )
            self.theme_fields.append(name)
        for outcome in outcomes:
            name = f"min_outcome_{outcome.number}"
            self.fields[name] = forms.IntegerField(
                label=_("At least, Outcome %(number)s") % {"number": outcome.number},
                min_value=0,
                help_text=_(
                    "The optimiser first tries to choose at least this many webinars "
                    "relating to %(outcome)s."
                )
                % {"outcome": outcome},
            )
            self.outcome_fields.append(name)
        choices = [(pk, str(pk)) for pk in proposal_ids]
        self.fields["include"].choices = choices
        self.fields["exclude"].choices = choices
        self.themes = themes
        self.outcomes = outcomes

    def theme_bound_fields(self):
        return [self[name] for name in self.theme_fields]

    def outcome_bound_fields(self):
        return [self[name] for name in self.outcome_fields]

    def rules_kwargs(self) -> dict[str, Any]:
        """The cleaned data as ``operations.update_rules`` takes it."""
        data = self.cleaned_data
        return {
            "seats": data["seats"],
            "min_per_theme": {t.code: data[f"min_theme_{t.code}"] for t in self.themes},
            "min_per_outcome": {
                str(o.number): data[f"min_outcome_{o.number}"] for o in self.outcomes
            },
            "max_per_organisation": data.get("max_per_organisation"),
            "max_per_lead_org_type": data.get("max_per_lead_org_type"),
            "max_per_region": data.get("max_per_region"),
            "weights": {
                key: data[f"weight_{key}"]
                for key in ("joint", "pathfinder", "org_type_coverage", "region_coverage")
            },
            "include": list(data.get("include") or []),
            "exclude": list(data.get("exclude") or []),
        }


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Run A"), coerce=int)
    b = forms.TypedChoiceField(label=_("Run B"), coerce=int)

    def __init__(self, *args: Any, runs: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(r.pk, f"{r} · {when(r.created_at)}") for r in runs]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


def _two_weeks_from_today():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=14)


class ConfirmForm(forms.Form):
    host_deadline = forms.DateField(
        label=_("Hosts confirm by"),
        help_text=_("A date in the call's time zone; the hosts may answer until the end of it."),
        widget=forms.DateInput(attrs={"type": "date"}),
        # Two weeks give hosts on every continent time to consult their organisation.
        initial=_two_weeks_from_today,
    )


# Hosting ---------------------------------------------------------------------------------------

HOSTING_RANGES = 3
_DATE_SEPARATORS = re.compile(r"[\n\r,;]+")
_DATE_WIDGET = {"type": "date"}


def parse_dates(text: str) -> tuple[list[date], list[str]]:
    """Dates written one per line or separated by commas, as YYYY-MM-DD: (the dates, sorted
    and without duplicates; the entries that are not dates)."""
    days: set[date] = set()
    bad: list[str] = []
    for entry in _DATE_SEPARATORS.split(text or ""):
        entry = entry.strip()
        if not entry:
            continue
        try:
            days.add(date.fromisoformat(entry))
        except ValueError:
            bad.append(entry)
    return sorted(days), bad


class HostingForm(forms.Form):
    """The host's availability, given when they confirm and changed until publication: up to
    three periods "I can host between … and …" (all empty: any date of the series' period) and
    the dates they cannot do. ``ranges`` pairs the fields of each period for the template."""

    unavailable = forms.CharField(
        label=_("Dates we cannot do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One date per line or separated by commas, as YYYY-MM-DD: 2027-03-15."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today
        invalid = _("This date does not exist: write it as YYYY-MM-DD, for example 2027-03-15.")
        for n in range(1, HOSTING_RANGES + 1):
            for name, label in ((f"from_{n}", _("I can host between")), (f"to_{n}", _("and"))):
                self.fields[name] = forms.DateField(
                    label=label,
                    required=False,
                    widget=forms.DateInput(attrs=_DATE_WIDGET, format="%Y-%m-%d"),
                    input_formats=["%Y-%m-%d"],
                    error_messages={"invalid": invalid},
                )
        # The textarea after the periods.
        self.order_fields([name for name in self.fields if name != "unavailable"])

    @classmethod
    def initial_for(cls, *, ranges: list[tuple[date, date]], days: list[date]) -> dict[str, Any]:
        initial: dict[str, Any] = {"unavailable": "\n".join(d.isoformat() for d in days)}
        for n, (start, end) in enumerate(ranges[:HOSTING_RANGES], start=1):
            initial[f"from_{n}"], initial[f"to_{n}"] = start, end
        return initial

    @classmethod
    def initial_from_proposal(cls, text: str) -> dict[str, Any]:
        """The dates of the proposal's free-text "dates the hosts cannot do", when every entry
        is a date; otherwise nothing (the host types them again)."""
        days, bad = parse_dates(text)
        return {"unavailable": "\n".join(d.isoformat() for d in days)} if days and not bad else {}

    def ranges(self) -> list[tuple[int, Any, Any]]:
        return [(n, self[f"from_{n}"], self[f"to_{n}"]) for n in range(1, HOSTING_RANGES + 1)]

    def clean_unavailable(self) -> list[date]:
        days, bad = parse_dates(self.cleaned_data.get("unavailable", ""))
        if bad:
            raise forms.ValidationError(
                _(
                    "These are not dates: %(entries)s. Write each as YYYY-MM-DD, for example "
                    "2027-03-15."
                )
                % {"entries": ", ".join(f"“{entry}”" for entry in bad)}
            )
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, HOSTING_RANGES + 1):
            start_name, end_name = f"from_{n}", f"to_{n}"
            if start_name in self.errors or end_name in self.errors:
                continue
            start, end = data.get(start_name), data.get(end_name)
            if start and not end:
                self.add_error(end_name, _("Give the last day of this period too."))
            elif end and not start:
                self.add_error(start_name, _("Give the first day of this period too."))
            elif start and end and end < start:
                self.add_error(
                    end_name,
                    _("This period ends before it starts: give a date on or after %(start)s.")
                    % {"start": date_format(start, "DATE_FORMAT")},
                )
            elif end and end < self.today:
                self.add_error(end_name, _("This period is over: give dates to come."))
        return data

    def availability(self) -> dict[str, Any]:
        """The cleaned values as ``answer_hosting`` and ``update_availability`` take them."""
        data = self.cleaned_data
        ranges = []
        for n in range(1, HOSTING_RANGES + 1):
            start, end = data.get(f"from_{n}"), data.get(f"to_{n}")
            if start and end:
                ranges.append((start, end))
        return {"available": ranges, "unavailable": list(data.get("unavailable") or [])}
