"""Registration forms: the series' questions (organisation, country, partner type, sex,
interpretation needs, consent), the public form (name and e-mail first), and the secretariat's
choice of questions per series."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deepdive.core.timezones import moment_text
from deepdive.directory.models import Organisation
from deepdive.reference.models import Country, PartnerType

from ..models import Registration, RegistrationQuestions

WHY_SEX = _(
    "Optional. We ask it only to count, without names, how many women and men take part: the "
    "workplan reports its activities disaggregated by sex."
)
QUESTION_FIELDS = {
    "asks_organisation": ("organisation", "organisation_name"),
    "asks_country": ("country",),
    "asks_partner_type": ("partner_type",),
    "asks_sex": ("sex",),
    "asks_interpretation": ("interpretation_needs",),
    "asks_consent": ("consents_to_contact",),
}


class AnswersForm(forms.Form):
    """The answers to the series' registration questions; each optional. Fields of a
    question the series does not ask are left out."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation in the directory"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not in the directory"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation (if not in the directory)"), max_length=200, required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    partner_type = forms.ChoiceField(label=_("Partner type"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        widget=forms.RadioSelect,
        choices=Registration.Sex.choices,
        help_text=WHY_SEX,
    )
    interpretation_needs = forms.CharField(
        label=_("Interpretation needs"),
        max_length=200,
        required=False,
        help_text=_("The language you need interpretation into, if any."),
    )
    consents_to_contact = forms.BooleanField(
        label=_("You may contact me about the series"), required=False
    )

    def __init__(
        self, data: Any = None, *, questions: RegistrationQuestions, initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial, auto_id="registration-%s")
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            merged_into__isnull=True
        ).order_by("name")
        self.fields["country"].choices = [("", "—")] + [
            (c.code, str(c)) for c in Country.objects.all()
        ]
        self.fields["partner_type"].choices = [("", "—")] + [
            (p.code, str(p)) for p in PartnerType.objects.all()
        ]
        for flag, names in QUESTION_FIELDS.items():
            if not getattr(questions, flag):
                for name in names:
                    self.fields.pop(name, None)

    def answers(self) -> dict[str, Any]:
        """The cleaned answers to the questions asked."""
        return {
            name: self.cleaned_data[name]
            for names in QUESTION_FIELDS.values()
            for name in names
            if name in self.fields
        }


def session_choices(options: Sequence[Any], *, zone: str) -> list[tuple[str, str]]:
    """The radio choices of "Which session suits you?": each session's start in the reader's
    ``zone`` (named), and whether registering for it joins its waiting list. ``options``:
    ``registration.SessionOption``s."""
    choices = []
    for option in options:
        text = _("%(session)s: %(when)s") % {
            "session": option.label,
            "when": moment_text(option.session.starts_at, zone),
        }
        if option.is_full:
            text = _("%(session)s — full — you will join the waiting list") % {"session": text}
        choices.append((option.key, str(text)))
    return choices


def add_session_field(form: forms.Form, options: Sequence[Any], *, zone: str) -> None:
    """Add the required choice of session first in ``form`` (when there is one to make)."""
    if not options:
        return
    form.fields["session"] = forms.ChoiceField(
        label=_("Which session suits you?"),
        widget=forms.RadioSelect,
        choices=session_choices(options, zone=zone),
        error_messages={"required": _("Choose the session that suits you.")},
    )
    form.order_fields(["session", *form.fields])


class SessionForm(forms.Form):
    """The choice of a session alone: a member's one-click registration, or the change of
    session on a registrant's own page."""

    def __init__(
        self, data: Any = None, *, options: Sequence[Any], zone: str, initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial, auto_id="session-%s")
        add_session_field(self, options, zone=zone)


class PublicRegistrationForm(AnswersForm):
    """Anyone's registration for a public webinar: name and e-mail, then the questions."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link there to confirm your registration."),
    )
    field_order = ["name", "email"]

    def __init__(
        self, *args: Any, sessions: Sequence[Any] = (), zone: str = "UTC", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "email"])
        add_session_field(self, sessions, zone=zone)


class QuestionsForm(forms.ModelForm):
    """Which questions a series' registration form asks."""

    class Meta:
        model = RegistrationQuestions
        fields = [
            "asks_organisation",
            "asks_country",
            "asks_partner_type",
            "asks_sex",
            "asks_interpretation",
            "asks_consent",
        ]
