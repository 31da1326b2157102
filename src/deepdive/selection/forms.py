"""The selection rules form: one field per rule, each with a sentence saying what it does.

Fields are built from the call's themes and Outcomes; the lock-in and lock-out checkboxes are
rendered in the proposals' table. Validation of the rules themselves is in
``operations.update_rules``; the view puts its messages beside these fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
        from deepdive.core.templatetags.deepdive import when

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
