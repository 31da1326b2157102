"""The board's filters: a GET form, every value in the URL so a filtered board can be shared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..board import MISSING_SOMETHING, WAITING_FOR_APPROVAL
from ..models import Webinar

ANY = [("", _("Any"))]


class BoardFilterForm(forms.Form):
    """State and what a webinar waits for; each optional. An unknown value is reported beside
    its field and ignored."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=ANY + Webinar.State.choices)
    waiting_for = forms.ChoiceField(
        label=_("Shows"),
        required=False,
        choices=ANY
        + [
            (MISSING_SOMETHING, _("Something missing")),
            (WAITING_FOR_APPROVAL, _("Submitted, waiting for approval")),
        ],
    )

    def __init__(self, data=None):
        super().__init__(data or None, auto_id="board-%s")

    def filters(self) -> dict[str, str]:
        """The valid filters given (unknown values left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.fields if cleaned.get(name)}


class CapacityForm(forms.Form):
    """The seats of each session of a webinar; empty for no limit."""

    capacity = forms.IntegerField(
        label=_("Seats in each session"),
        required=False,
        min_value=1,
        help_text=_("Leave it empty for no limit. When it is full, people join a waiting list."),
    )
