"""The library's search and filters: a GET form, every value in the address so a search can
be shared; it works without JavaScript. An unknown value is reported beside its field and
ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deepdive.proposals.models import WEBINAR_LANGUAGES
from deepdive.reference.models import Outcome, Output, Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Series

ANY = [("", _("Any"))]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    series = forms.ChoiceField(label=pgettext_lazy("one series", "Series"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    output = forms.ChoiceField(label=_("Workplan Output"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)

    def __init__(self, data: Any = None, *, years: list[int]):
        super().__init__(data or None, auto_id="library-%s")
        self.fields["q"].help_text = _("Words of a title, a description, a host or a file.")
        self._choices(
            "series", [(s.slug, s.title) for s in Series.objects.order_by("-created_at", "-pk")]
        )
        self._choices("theme", [(t.code, str(t)) for t in Theme.objects.all()])
        self._choices(
            "outcome",
            [
                (str(o.pk), Truncator(str(o)).chars(90))
                for o in Outcome.objects.select_related("action_group")
            ],
        )
        self._choices(
            "output",
            [
                (str(o.pk), Truncator(f"{o}: {o.display_text()}").chars(90))
                for o in Output.objects.select_related("outcome")
            ],
        )
        self._choices("sector", [(s.code, str(s)) for s in Sector.objects.all()])
        self._choices("region", list(IloRegion.choices))
        self.fields["region"].help_text = _("ILO region of a country of action.")
        self._choices("language", [(code, str(name)) for code, name in WEBINAR_LANGUAGES])
        self._choices("year", [(str(y), str(y)) for y in years])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = ANY + choices

    def filters(self) -> dict[str, str]:
        """The valid filters given (unknown values left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name].strip() if name == "q" else cleaned[name]
            for name in self.fields
            if cleaned.get(name) and str(cleaned[name]).strip()
        }
