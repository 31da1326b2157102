from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import one_line
from .timezones import zone_from_text
from .widgets import ZoneInput


class ZoneField(forms.CharField):
    """A time zone typed or chosen from the page's list of current zones.

    Accepts a current IANA name, an old name (stored as its current name: Asia/Katmandu is
    Asia/Kathmandu), a label of the list ("Paris, France") or a city only one zone is named
    after; refuses anything else, and the form shows what was typed beside the message."""

    widget = ZoneInput
    default_error_messages = {
        "invalid_zone": _(
            "“%(value)s” is not a time zone we know. Type a city or a country and choose from "
            "the list, or give a name such as Europe/Paris."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        text = super().to_python(value)
        if text in self.empty_values:
            return ""
        zone = zone_from_text(text, get_language() or settings.LANGUAGE_CODE)
        if zone is None:
            raise ValidationError(
                self.error_messages["invalid_zone"], code="invalid_zone", params={"value": text}
            )
        return zone


class OneLineCharField(forms.CharField):
    """A text field kept on one line: line breaks, tabs and runs of spaces typed or pasted
    into it become single spaces (see ``core.text.one_line``), so a name or a title never
    splits a line of an e-mail."""

    def to_python(self, value) -> str:
        return one_line(super().to_python(value))


class TimezoneForm(forms.Form):
    timezone = ZoneField(label=_("Time zone"))
