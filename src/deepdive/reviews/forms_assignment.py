"""Forms of the assignment pages: choose the objective; change one proposal's reviewers.

They only parse what was posted; the rules (conflicts, count, loads) are checked by
``operations.assignment.change_reviewers``, whose messages are shown beside the form.
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from deepdive.core.widgets import Checklist

from .models import ReviewRound


class ProposeForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("Objective"),
        choices=ReviewRound.Objective.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Best total: the highest sum of affinities over all proposals. Fairest: first the "
            "best affinity for the worst-served proposal, then the highest sum."
        ),
    )


class ChangeReviewersForm(forms.Form):
    """The reviewers of one proposal of a run: any active reviewer of the pool may be picked;
    those in conflict are marked "(conflict)" and refused when saved."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    reviewers = forms.TypedMultipleChoiceField(
        label=_("Reviewers"),
        coerce=int,
        required=False,
        widget=Checklist,
    )

    def __init__(self, *args, proposal, pool, conflicts, affinity, k: int, **kwargs):
        kwargs.setdefault("auto_id", f"p{proposal.pk}-%s")
        super().__init__(*args, **kwargs)
        self.proposal_obj = proposal
        self.fields["proposal"].initial = proposal.pk
        choices = []
        for reviewer in pool:
            if (reviewer.pk, proposal.pk) in conflicts:
                label = _("%(reviewer)s (conflict)") % {"reviewer": reviewer}
            else:
                label = _("%(reviewer)s, affinity %(affinity)s") % {
                    "reviewer": reviewer,
                    "affinity": floatformat(affinity.get(str(reviewer.pk), 0.0), -1),
                }
            choices.append((reviewer.pk, label))
        field = self.fields["reviewers"]
        field.choices = choices
        field.label = _("Reviewers of “%(title)s”") % {"title": proposal}
        field.help_text = _("Choose %(k)s.") % {"k": k}

    def add_refusal(self, messages: list[str]) -> None:
        for message in messages:
            self.add_error("reviewers", message)


def attach_forms(page: dict, bound: ChangeReviewersForm | None = None) -> None:
    """Give each row of an editable run page its form (``bound`` for the row it was posted
    for, with its values and errors)."""
    if not page["editable"]:
        return
    affinity = page["result"].get("affinity", {})
    for row in page["rows"]:
        if row.withdrawn:
            continue
        if bound is not None and bound.proposal_obj.pk == row.proposal.pk:
            row.form = bound
            continue
        row.form = ChangeReviewersForm(
            initial={"reviewers": [c.reviewer_id for c in row.reviewers]},
            proposal=row.proposal,
            pool=page["pool"],
            conflicts=page["conflicts"],
            affinity=affinity.get(str(row.proposal.pk), {}),
            k=page["reviewers_per_proposal"],
        )


def bound_change_form(data, page: dict, proposal) -> ChangeReviewersForm:
    return ChangeReviewersForm(
        data,
        proposal=proposal,
        pool=page["pool"],
        conflicts=page["conflicts"],
        affinity=page["result"].get("affinity", {}).get(str(proposal.pk), {}),
        k=page["reviewers_per_proposal"],
    )
