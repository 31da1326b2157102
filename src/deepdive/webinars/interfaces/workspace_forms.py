"""The forms of the host's workspace: plain forms and formsets (agenda, speakers) that work
without JavaScript; every error is shown beside its field with what was typed kept. The forms
only read what was typed: the rules are in ``preparation``, which the views call.

Every section's form is made the same way (``Form(data, files, webinar=...)``), hands the
service its keyword arguments (``values()``) and shows the service's refusal (``show()``), so
the view drives every section with one code path."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from deepdive.core.refusals import Refused
from deepdive.directory.models import Organisation
from deepdive.proposals.models import INTERPRETATION_LANGUAGES, WEBINAR_LANGUAGES
from deepdive.series.queries import language_names

from .. import preparation
from ..models import Material, Speaker, Webinar

# Blank rows offered below the agenda and the speakers (a page without JavaScript adds more
# rows by saving and coming back).
EXTRA_AGENDA_ROWS = 3
EXTRA_SPEAKER_ROWS = 2
# The id of the page's one list of the directory's organisations, which every speaker's
# "organisation in the directory" box suggests from (one list, however many speakers).
ORGANISATIONS_LIST = "directory-organisations"


class SectionForm(forms.Form):
    """A section of the workspace: its service's keyword arguments, and its refusal shown
    beside the fields (the rest above the form)."""

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def show(self, refused: Refused) -> None:
        refused.show_on(self)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DetailsForm(SectionForm):
    """The public description in each of the series' languages, the languages spoken and the
    interpretation."""

    languages_spoken = forms.MultipleChoiceField(
        label=capfirst(_("languages spoken")),
        choices=WEBINAR_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation = forms.MultipleChoiceField(
        label=capfirst(_("interpretation into")),
        choices=INTERPRETATION_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation_by = forms.CharField(
        label=capfirst(_("interpretation arranged by")), max_length=200, required=False
    )

    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        super().__init__(data, prefix="details")
        self.languages = language_names(list(webinar.call.series.languages or []))
        descriptions = webinar.descriptions or {}
        fields: dict[str, forms.Field] = {}
        for code, name in self.languages:
            fields[f"description_{code}"] = forms.CharField(
                label=capfirst(_("Public description in %(language)s")) % {"language": name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=descriptions.get(code, ""),
                help_text=_("Leave it empty if there is no translation: the page says so."),
            )
        self.fields = {**fields, **self.fields}
        self.initial.update(
            languages_spoken=webinar.languages_spoken,
            interpretation=webinar.interpretation,
            interpretation_by=webinar.interpretation_by,
        )

    def description_fields(self) -> list[forms.BoundField]:
        return [self[f"description_{code}"] for code, _name in self.languages]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "descriptions": {code: data[f"description_{code}"] for code, _name in self.languages},
            "languages_spoken": data["languages_spoken"],
            "interpretation": data["interpretation"],
            "interpretation_by": data["interpretation_by"],
        }


class TechnicalForm(SectionForm):
    platform = forms.ChoiceField(
        label=capfirst(_("platform")),
        choices=[("", "—"), *Webinar.Platform.choices],
        required=False,
    )
    joining_url = forms.CharField(
        label=capfirst(_("joining link")),
        max_length=200,
        required=False,
        help_text=_(
            "It starts with https://. Shown only to registrants, the hosts and the secretariat."
        ),
    )
    dial_in = forms.CharField(
        label=capfirst(_("dial-in numbers")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    test_call_on = forms.DateField(
        label=capfirst(_("test call")), required=False, widget=_date_widget()
    )

    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        super().__init__(
            data,
            prefix="technical",
            initial={
                "platform": webinar.platform,
                "joining_url": webinar.joining_url,
                "dial_in": webinar.dial_in,
                "test_call_on": webinar.test_call_on,
            },
        )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=capfirst(_("item")), max_length=200)
    minutes = forms.IntegerField(label=capfirst(_("minutes")), min_value=1, max_value=240)


class ShowsRefusal(forms.BaseFormSet):
    def show(self, refused: Refused) -> None:
        """Put a service's refusal above the formset (its non-form errors)."""
        self.full_clean()
        self._non_form_errors = self.error_class(refused.messages(), error_class="nonform")


AgendaBase = forms.formset_factory(
    AgendaItemForm, formset=ShowsRefusal, extra=EXTRA_AGENDA_ROWS, can_delete=True
)


class AgendaFormSet(AgendaBase):  # type: ignore[valid-type,misc]
    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        initial = [{"title": item.title, "minutes": item.minutes} for item in webinar.agenda.all()]
        super().__init__(data, prefix="agenda", initial=initial)

    def values(self) -> dict[str, Any]:
        return {"items": self.lines()}

    def lines(self) -> list[preparation.AgendaLine]:
        return [
            preparation.AgendaLine(form.cleaned_data["title"], form.cleaned_data["minutes"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class DirectoryOrganisationField(forms.CharField):
    """An organisation of the directory, typed by its name (as the directory shows it, its
    name alone or its acronym). The box suggests from the page's one ``<datalist>`` of the
    directory (``ORGANISATIONS_LIST``, see ``directory_names``) rather than a select of
    every organisation in every speaker's row: light on a phone, and a browser without
    JavaScript still suggests from it. What was typed is kept with the message when it names
    no organisation, or more than one."""

    widget = forms.TextInput(
        attrs={"list": ORGANISATIONS_LIST, "autocomplete": "off", "spellcheck": "false"}
    )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organisation):
            return str(value)
        return value

    def to_python(self, value: Any) -> Organisation | None:  # type: ignore[override]
        if isinstance(value, Organisation):
            return value
        text = " ".join(str(super().to_python(value)).split())
        if not text:
            return None
        found = _organisations_named(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(
                _(
                    "Several organisations in the directory have this name: choose one of "
                    "the names suggested, with its acronym."
                ),
                code="ambiguous",
            )
        raise ValidationError(
            _(
                "This organisation is not in the directory: choose one of the names "
                "suggested, or write it in the field below."
            ),
            code="unknown",
        )

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


# "Name (ACRONYM)": how the directory shows an organisation with an acronym.
_WITH_ACRONYM = re.compile(r"^(?P<name>.+?) \((?P<acronym>[^()]+)\)$")


def _organisations_named(text: str) -> list[Organisation]:
    """The active organisations ``text`` names: as the directory shows them first, else by
    their name alone or their acronym (ignoring case)."""
    active = Organisation.objects.active()
    shown = _WITH_ACRONYM.match(text)
    if shown:
        found = list(
            active.filter(name__iexact=shown["name"], acronym__iexact=shown["acronym"])[:2]
        )
        if found:
            return found
    return list(active.filter(Q(name__iexact=text) | Q(acronym__iexact=text))[:2])


def directory_names() -> list[str]:
    """Every active organisation as the directory shows it, by name: the suggestions of the
    speakers' "organisation in the directory" boxes."""
    return [
        str(organisation)
        for organisation in Organisation.objects.active().only("name", "acronym").order_by("name")
    ]


class SpeakerForm(forms.Form):
    role = forms.ChoiceField(
        label=capfirst(_("role")), choices=Speaker.Role.choices, initial=Speaker.Role.SPEAKER
    )
    name = forms.CharField(label=capfirst(_("name")), max_length=150)
    title = forms.CharField(label=capfirst(_("title or role")), max_length=150, required=False)
    organisation = DirectoryOrganisationField(
        label=capfirst(_("organisation in the directory")),
        required=False,
        help_text=_(
            "Start typing its name or acronym: the directory's organisations are suggested."
        ),
    )
    organisation_name = forms.CharField(
        label=capfirst(_("organisation (if not in the directory)")),
        max_length=200,
        required=False,
        help_text=_("Or type the organisation's name here if it is not in the directory."),
    )
    bio = forms.CharField(
        label=capfirst(_("short bio")),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # No colon after a checkbox's label: it reads as a sentence beside the box.
    consents_to_listing = forms.BooleanField(
        label=capfirst(_("agrees to be listed publicly")), required=False, label_suffix=""
    )
    consents_to_recording = forms.BooleanField(
        label=capfirst(_("agrees to be recorded")), required=False, label_suffix=""
    )


SpeakerBase = forms.formset_factory(
    SpeakerForm, formset=ShowsRefusal, extra=EXTRA_SPEAKER_ROWS, can_delete=True
)


class SpeakerFormSet(SpeakerBase):  # type: ignore[valid-type,misc]
    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        initial = [
            {
                "role": p.role,
                "name": p.name,
                "title": p.title,
                "organisation": p.organisation,
                "organisation_name": p.organisation_name,
                "bio": p.bio,
                "consents_to_listing": p.consents_to_listing,
                "consents_to_recording": p.consents_to_recording,
            }
            for p in webinar.speakers.select_related("organisation").order_by("position", "pk")
        ]
        super().__init__(data, prefix="speakers", initial=initial)

    def values(self) -> dict[str, Any]:
        return {"people": self.people()}

    def people(self) -> list[preparation.Person]:
        return [
            preparation.Person(**{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class MaterialForm(SectionForm):
    title = forms.CharField(label=capfirst(_("title")), max_length=200, required=False)
    file = forms.FileField(label=capfirst(_("file")))
    visibility = forms.ChoiceField(
        label=capfirst(_("who may see it")),
        choices=Material.Visibility.choices,
        initial=Material.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )

    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        super().__init__(data, files, prefix="material")
        self.fields["file"].help_text = _(
            "PDF, PowerPoint (PPTX) or Word (DOCX), at most %(size)s MB."
        ) % {"size": preparation.max_material_bytes() // (1024 * 1024)}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"title": data["title"], "upload": data["file"], "visibility": data["visibility"]}


class SendBackForm(SectionForm):
    comment = forms.CharField(
        label=capfirst(_("What should the hosts change?")),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, files: Any = None, *, webinar: Webinar):
        super().__init__(data, prefix="sendback")
