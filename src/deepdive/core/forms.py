from django import forms
from django.utils.translation import gettext_lazy as _

from .timezones import zone_choices


class TimezoneForm(forms.Form):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
