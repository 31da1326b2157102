"""The branding form: what the secretariat types; the service checks and saves it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Branding


class BrandingForm(forms.Form):
    colour_primary = forms.CharField(
        label=_("Main colour"),
        max_length=7,
        help_text=_("# and six hex digits, e.g. #1e2dbe. The band and the date use it."),
    )
    colour_accent = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        help_text=_("# and six hex digits, e.g. #fa3c4b. The thin lines use it."),
    )
    layout = forms.ChoiceField(label=_("Layout"), choices=Branding.Layout.choices)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
