"""The workspace's "Workplan Outputs" form: a checkbox per Output of the series' workplan,
grouped by Outcome. The rule (only the series' Outputs) is in ``workplan.set_outputs``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import workplan
from ..models import Webinar
from .workspace_forms import SectionForm


class OutputsForm(SectionForm):
    outputs = forms.MultipleChoiceField(
        label=_("Workplan Outputs this webinar serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The reports on the series count each webinar under the Outputs ticked."),
    )

    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        super().__init__(data, prefix="outputs")
        self.available = {str(o.pk): o for o in workplan.workplan_outputs(webinar)}
        groups: dict[Any, list[tuple[str, str]]] = {}
        for key, output in self.available.items():
            groups.setdefault(output.outcome, []).append(
                (key, f"{output}: {output.display_text()}")
            )
        field = self.fields["outputs"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(outcome), choices) for outcome, choices in groups.items()]
        if data is None:
            self.initial["outputs"] = [
                str(pk) for pk in webinar.outputs.values_list("pk", flat=True)
            ]

    def values(self) -> dict[str, Any]:
        return {"outputs": [self.available[key] for key in self.cleaned_data["outputs"]]}
