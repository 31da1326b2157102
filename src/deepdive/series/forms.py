"""The admin's form for a call: opening and closing as wall-clock times in the call's zone."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.core.timezones import zone_choices

from .models import Call, Series
from .times import NonexistentLocalTime, local_to_utc, utc_to_local

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time without a zone (the form says which zone it is in): returns a naive
    datetime, never one made aware in the admin user's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format=LOCAL_FORMAT)

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "input_formats",
            [LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # In UTC nothing is ambiguous or missing, so the parent keeps the wall-clock time.
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            result = result.astimezone(datetime.UTC).replace(tzinfo=None)
        return result

    def prepare_value(self, value):
        return value


class CallAdminForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("time zone of the call"),
        choices=zone_choices,
        initial="Europe/Zurich",
        help_text=_("The opening and closing times are given in this zone."),
    )
    opens_local = LocalDateTimeField(
        label=_("opens"),
        help_text=_("Date and time in the call's time zone."),
    )
    closes_local = LocalDateTimeField(
        label=_("closes"),
        help_text=_("Date and time in the call's time zone."),
    )

    class Meta:
        model = Call
        fields = [
            "series",
            "title",
            "slug",
            "description",
            "timezone",
            "opens_local",
            "closes_local",
            "word_limit",
            "seats",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        if call.pk and call.timezone:
            zone = call.timezone
            self.initial.setdefault("opens_local", utc_to_local(call.opens_at, zone))
            self.initial.setdefault("closes_local", utc_to_local(call.closes_at, zone))

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("timezone")
        if not zone:
            return cleaned
        instants = {}
        for name in ("opens_local", "closes_local"):
            value = cleaned.get(name)
            if value is None:
                continue
            try:
                instants[name] = local_to_utc(value, zone)
            except NonexistentLocalTime:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "%(time)s does not exist in %(zone)s: the clocks skip it when "
                            "daylight saving time starts. Give a time outside the gap."
                        ),
                        code="nonexistent",
                        params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone},
                    ),
                )
        opens, closes = instants.get("opens_local"), instants.get("closes_local")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_local",
                forms.ValidationError(
                    _("The call must close after it opens."),
                    code="closes_before_opens",
                ),
            )
        if opens:
            self.instance.opens_at = opens
        if closes:
            self.instance.closes_at = closes
        return cleaned


class SeriesAdminForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = [
            "action_group",
            "title",
            "slug",
            "description",
            "languages",
            "colour_primary",
            "colour_accent",
            "logo",
        ]
        widgets = {
            "colour_primary": forms.TextInput(attrs={"type": "color"}),
            "colour_accent": forms.TextInput(attrs={"type": "color"}),
        }
