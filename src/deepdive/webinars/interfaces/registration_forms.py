"""Registration forms: the series' questions (organisation, country, partner type, sex,
interpretation needs, consent), the public form (name and e-mail first), and the secretariat's
choice of questions per series."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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


class PublicRegistrationForm(AnswersForm):
    """Anyone's registration for a public webinar: name and e-mail, then the questions."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link there to confirm your registration."),
    )
    field_order = ["name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "email"])


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
