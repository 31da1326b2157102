"""The secretariat's form to cancel a webinar."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CancelWebinarForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        help_text=_("Every registrant reads it in the e-mail that tells them."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says what is missing, beside the field
        max_length=2000,
    )
