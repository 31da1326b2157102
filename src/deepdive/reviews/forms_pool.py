"""Forms of the reviewer pool. They parse and check the input; the rules live in
``operations.pool`` (whose refusals the views put back beside the fields)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deepdive.core.forms import ZoneField
from deepdive.reference.models import Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.series.forms import LocalDateTimeField, clean_local_window
from deepdive.series.times import utc_to_local

from .models import ReviewRound


class RoundForm(forms.Form):
    """The round's settings. The review window is entered as wall-clock times in a named zone,
    as for calls (``series.forms.CallTimesMixin``): a time in the spring gap is refused beside
    its field, naming the zone; an ambiguous autumn time is taken at its first occurrence;
    ``clean()`` puts the UTC instants in ``cleaned_data["opens_at"]``/``["closes_at"]``."""

    reviewers_per_proposal = forms.IntegerField(
        label=_("reviewers per proposal"), min_value=1, max_value=20, initial=3
    )
    default_max_load = forms.IntegerField(
        label=_("default maximum load"),
        min_value=1,
        max_value=200,
        initial=8,
        help_text=_("The most proposals a reviewer gets unless their own maximum is set."),
    )
    timezone = ZoneField(
        label=_("time zone of the review window"),
        initial="Europe/Zurich",
        help_text=_("The opening and closing below are given in this zone."),
    )
    opens_local = LocalDateTimeField(
        label=_("review opens"),
        required=False,
        help_text=_("Date and time in the zone above."),
    )
    closes_local = LocalDateTimeField(
        label=_("review closes"),
        required=False,
        help_text=_("Date and time in the zone above."),
    )
    objective = forms.ChoiceField(
        label=_("assignment objective"),
        choices=ReviewRound.Objective.choices,
        widget=forms.RadioSelect,
    )
    others_visible_after_submit = forms.BooleanField(
        label=_("reviewers see others' reviews after submitting their own"), required=False
    )

    @classmethod
    def initial_for(cls, review_round: ReviewRound) -> dict:
        zone = review_round.timezone
        return {
            "reviewers_per_proposal": review_round.reviewers_per_proposal,
            "default_max_load": review_round.default_max_load,
            "timezone": zone,
            "opens_local": utc_to_local(review_round.opens_at, zone)
            if review_round.opens_at
            else None,
            "closes_local": utc_to_local(review_round.closes_at, zone)
            if review_round.closes_at
            else None,
            "objective": review_round.objective,
            "others_visible_after_submit": review_round.others_visible_after_submit,
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = clean_local_window(
            self, cleaned, closes_before_opens=_("The review must close after it opens.")
        )
        cleaned["opens_at"], cleaned["closes_at"] = opens, closes
        return cleaned

    def round_fields(self) -> dict:
        """The cleaned values as ``update_round`` takes them."""
        c = self.cleaned_data
        return {
            "reviewers_per_proposal": c["reviewers_per_proposal"],
            "default_max_load": c["default_max_load"],
            "opens_at": c["opens_at"],
            "closes_at": c["closes_at"],
            "timezone": c["timezone"],
            "objective": c["objective"],
            "others_visible_after_submit": c["others_visible_after_submit"],
        }


class LoadsFields(forms.Form):
    min_load = forms.IntegerField(label=_("minimum load"), min_value=0, max_value=200, initial=0)
    max_load = forms.IntegerField(
        label=_("maximum load"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("Empty: the round's default."),
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_load"), cleaned.get("max_load")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_load",
                ValidationError(
                    _("The maximum load (%(max)s) must be at least the minimum load (%(min)s)."),
                    code="max_below_min",
                    params={"max": high, "min": low},
                ),
            )
        return cleaned


class AddReviewerForm(LoadsFields):
    email = forms.EmailField(
        label=_("e-mail"),
        help_text=_(
            "Secretariat staff join at once; anyone else receives an invitation by e-mail."
        ),
    )
    field_order = ["email", "min_load", "max_load"]


class LoadsForm(LoadsFields):
    """One row's loads in the pool table (``prefix`` = "loads-<reviewer id>")."""


class ExpertiseForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("ILO regions"),
        choices=IloRegion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("languages you can review in"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, reviewer) -> dict:
        return {
            "themes": list(reviewer.themes.all()),
            "sectors": list(reviewer.sectors.all()),
            "regions": list(reviewer.regions or []),
            "languages": list(reviewer.languages or []),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the proposal's history."),
    )


class ConflictForm(ReasonForm):
    """The secretariat declares a conflict of a pool member with a proposal of the call."""

    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=None)
    proposal = forms.ModelChoiceField(label=_("proposal"), queryset=None)
    field_order = ["reviewer", "proposal", "reason"]

    def __init__(self, *args, reviewers, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["proposal"].queryset = proposals
