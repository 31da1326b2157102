"""Forms of series and calls: the admin's and the secretariat's own pages.

Opening and closing are entered as wall-clock times in the call's named zone; the shared
``CallTimesMixin`` turns them into instants for both the admin and the pages.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deepdive.core.forms import ZoneField
from deepdive.directory.interfaces.forms import LogoField
from deepdive.reference.models import Outcome, Sector, Theme

from .models import Call, Series
from .times import NonexistentLocalTime, local_to_utc, utc_to_local

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
SERIES_TEXT_FIELDS = ("title", "description")
CALL_TEXT_FIELDS = ("title", "description", "background", "who_may_apply")


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


def clean_local_window(form, cleaned: dict, *, closes_before_opens) -> tuple:
    """Turn a form's ``opens_local``/``closes_local`` (wall-clock times in the zone of its
    ``timezone`` field) into UTC instants, with an error beside the field for a time that does
    not exist (the spring daylight-saving gap) and for a window that closes before it opens.

    Used by every form that takes a window in a named zone (calls, review rounds).
    Returns (opens, closes); either is None when not given or not valid.
    """
    zone = cleaned.get("timezone")
    if not zone:
        return None, None
    instants = {}
    for name in ("opens_local", "closes_local"):
        value = cleaned.get(name)
        if value is None:
            continue
        try:
            instants[name] = local_to_utc(value, zone)
        except NonexistentLocalTime:
            form.add_error(
                name,
                ValidationError(
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
        form.add_error(
            "closes_local", ValidationError(closes_before_opens, code="closes_before_opens")
        )
    return opens, closes


class CallTimesMixin(forms.Form):
    """The call's zone and its opening and closing as local times in that zone.

    ``clean()`` converts them into UTC instants (sets ``instance.opens_at`` and ``closes_at``
    and ``cleaned_data["opens_at"]``/``["closes_at"]``): a time in the spring gap is refused
    beside its field, naming the zone; an ambiguous autumn time is taken at its first
    occurrence; closing must come after opening, compared as instants.
    """

    timezone = ZoneField(
        label=_("time zone of the call"),
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

    def init_local_times(self) -> None:
        call = self.instance
        if call.pk and call.timezone:
            zone = call.timezone
            self.initial.setdefault("opens_local", utc_to_local(call.opens_at, zone))
            self.initial.setdefault("closes_local", utc_to_local(call.closes_at, zone))

    def clean(self):
        cleaned = super().clean()
        opens, closes = clean_local_window(
            self, cleaned, closes_before_opens=_("The call must close after it opens.")
        )
        if opens:
            self.instance.opens_at = cleaned["opens_at"] = opens
        if closes:
            self.instance.closes_at = cleaned["closes_at"] = closes
        return cleaned


class CallAdminForm(CallTimesMixin, forms.ModelForm):
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
        self.init_local_times()


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


# ------------------------------------------------------------------ the secretariat's pages


def language_name(code: str) -> str:
    return gettext(dict(settings.LANGUAGES).get(code, code))


def _text_field(model_field, code: str) -> forms.CharField:
    """A text of the call or series in one more language; labels are made per request."""
    label = gettext("%(field)s in %(language)s") % {
        "field": model_field.verbose_name,
        "language": language_name(code),
    }
    return forms.CharField(
        label=label[:1].upper() + label[1:],
        required=False,
        max_length=model_field.max_length,
        widget=(
            forms.TextInput(attrs={"lang": code})
            if model_field.max_length
            else forms.Textarea(attrs={"rows": 4, "lang": code})
        ),
    )


class TranslatedTextsMixin:
    """Adds ``<field>_<code>`` fields for each other language; ``texts()`` gathers them."""

    text_fields: tuple[str, ...] = ()

    def add_text_fields(self, codes: list[str]) -> None:
        self.text_languages = list(codes)
        stored = self.instance.texts or {}
        model = self._meta.model
        for code in self.text_languages:
            for name in self.text_fields:
                key = f"{name}_{code}"
                self.fields[key] = _text_field(model._meta.get_field(name), code)
                self.initial.setdefault(key, stored.get(code, {}).get(name, ""))

    def text_field_groups(self) -> list[tuple[str, str, list]]:
        """(code, language name, bound fields) for the template's fieldsets."""
        return [
            (code, language_name(code), [self[f"{name}_{code}"] for name in self.text_fields])
            for code in self.text_languages
        ]

    def main_fields(self) -> list:
        """The bound fields other than the texts in other languages, in order."""
        extra = {f"{name}_{code}" for code in self.text_languages for name in self.text_fields}
        return [self[name] for name in self.fields if name not in extra]

    def texts(self, languages: list[str]) -> dict[str, dict[str, str]]:
        texts = {}
        for code in self.text_languages:
            if code not in languages:
                continue
            values = {
                name: self.cleaned_data.get(f"{name}_{code}", "").strip()
                for name in self.text_fields
            }
            values = {k: v for k, v in values.items() if v}
            if values:
                texts[code] = values
        return texts


class SeriesForm(TranslatedTextsMixin, forms.ModelForm):
    """A series: its Action Group, texts in each of its languages, colours and logo."""

    text_fields = SERIES_TEXT_FIELDS

    slug = forms.SlugField(
        label=_("address"),
        max_length=120,
        required=False,
        help_text=_("Part of the page's address. Left empty, it is made from the title."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The first language ticked is the main one: the title and description above are "
            "written in it."
        ),
    )

    class Meta(SeriesAdminForm.Meta):
        field_classes = {"logo": LogoField}
        widgets = {
            **SeriesAdminForm.Meta.widgets,
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
            ),
        }
        help_texts = {"logo": _("PNG, JPEG, GIF or WebP, at most 1 MB.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("languages", [code for code, _name in settings.LANGUAGES])
        chosen = self.data.getlist("languages") if self.is_bound else None
        if not chosen:
            chosen = self.initial.get("languages") or self.instance.languages or []
        main = self._ordered(chosen)[:1]
        self.add_text_fields([c for c, _name in settings.LANGUAGES if c not in main])

    @staticmethod
    def _ordered(codes) -> list[str]:
        codes = set(codes or [])
        return [code for code, _name in settings.LANGUAGES if code in codes]

    def clean_languages(self) -> list[str]:
        return self._ordered(self.cleaned_data["languages"])

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "")
        if slug and Series.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another series already has the address %(slug)s."),
                code="slug_taken",
                params={"slug": slug},
            )
        return slug

    def series_fields(self) -> dict:
        """The cleaned values for the services, with ``texts`` for the other languages."""
        languages = self.cleaned_data["languages"]
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        fields["texts"] = self.texts(languages[1:])
        return fields


class CallForm(TranslatedTextsMixin, CallTimesMixin, forms.ModelForm):
    """A call of a series: texts in each of the series' languages, its instants entered in
    its zone, what applies to it and how proposals are taken."""

    text_fields = CALL_TEXT_FIELDS

    slug = forms.SlugField(
        label=_("address"),
        max_length=120,
        required=False,
        help_text=_("Part of the page's address. Left empty, it is made from the title."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "description",
            "background",
            "who_may_apply",
            "timezone",
            "opens_local",
            "closes_local",
            "word_limit",
            "seats",
            "outcomes",
            "themes",
            "sectors",
            "co_submitters_must_confirm",
        ]
        widgets = {
            "outcomes": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 6}),
            "who_may_apply": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "background": _("Left empty, the page shows the series' standard background."),
            "who_may_apply": _("Left empty, the page says that all members may apply."),
        }

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.instance.series = series
        self.init_local_times()
        self.fields["outcomes"].queryset = Outcome.objects.filter(
            action_group=series.action_group_id
        ).order_by("number")
        self.fields["outcomes"].required = True
        self.fields["outcomes"].help_text = _("Each proposal relates to at least one of them.")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["sectors"].queryset = Sector.objects.all()
        languages = series.languages if isinstance(series.languages, list) else []
        self.add_text_fields([str(code) for code in languages[1:]])

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "")
        taken = Call.objects.filter(series=self.series, slug=slug).exclude(pk=self.instance.pk)
        if slug and taken.exists():
            raise ValidationError(
                _("Another call of this series already has the address %(slug)s."),
                code="slug_taken",
                params={"slug": slug},
            )
        return slug

    def call_fields(self) -> dict:
        """The cleaned values for the services: instants in UTC, ``texts`` by language."""
        skip = {"opens_local", "closes_local"}
        fields = {name: self.cleaned_data[name] for name in self._meta.fields if name not in skip}
        fields["opens_at"] = self.cleaned_data["opens_at"]
        fields["closes_at"] = self.cleaned_data["closes_at"]
        fields["texts"] = self.texts(self.text_languages)
        return fields
