"""The forms of the attendance import page: the report's file, then the confirmation that
carries the file back signed (the server keeps nothing between the two steps)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# A report of a webinar of a few thousand people is well under this.
MAX_REPORT_BYTES = 5 * 1024 * 1024


class ReportForm(forms.Form):
    """The report's file and, for a webinar with a repeat session (``session_choices``
    given), which session it is of."""

    file = forms.FileField(
        label=capfirst(_("attendance report")),
        help_text=_(
            "The file exported by Zoom, Microsoft Teams or Webex (CSV, as it was downloaded), "
            "at most 5 MB. You will see what it contains before anything is saved."
        ),
    )

    def __init__(
        self, *args: Any, session_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if session_choices:
            self.fields["session"] = forms.ChoiceField(
                label=_("Which session is this report of?"),
                choices=session_choices,
                initial=session_choices[0][0],
                widget=forms.RadioSelect,
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("This file is larger than 5 MB: is it a report?"))
        return upload


class ConfirmForm(forms.Form):
    report = forms.CharField(widget=forms.HiddenInput)
    # Which session the previewed report is of; the report's signature covers it.
    session = forms.CharField(widget=forms.HiddenInput, required=False)
