"""The programme's filters: a GET form, every value in the URL so a filtered view can be shared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import WEBINAR_LANGUAGES
from deepdive.reference.models import Outcome, Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Series

ANY = [("", _("Any"))]


class ProgrammeFilterForm(forms.Form):
    """Theme, Outcome, sector, ILO region and language; each optional. An unknown value is
    reported beside its field and ignored."""

    theme = forms.ChoiceField(label=_("Theme"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, data=None, *, series: Series):
        super().__init__(data or None, auto_id="programme-%s")
        self.fields["theme"].choices = ANY + [(t.code, str(t)) for t in Theme.objects.all()]
        self.fields["outcome"].choices = ANY + [
            (str(o.number), str(o))
            for o in Outcome.objects.filter(action_group=series.action_group_id).order_by("number")
        ]
        self.fields["sector"].choices = ANY + [(s.code, str(s)) for s in Sector.objects.all()]
        self.fields["region"].choices = ANY + list(IloRegion.choices)
        self.fields["region"].help_text = _("ILO region of a country of action.")
        self.fields["language"].choices = ANY + [(code, name) for code, name in WEBINAR_LANGUAGES]
        self.fields["language"].help_text = _("Spoken, or interpreted into.")

    def filters(self) -> dict[str, str]:
        """The valid filters given (unknown values left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in getattr(self, "cleaned_data", {}) and self.cleaned_data[name]
        }
