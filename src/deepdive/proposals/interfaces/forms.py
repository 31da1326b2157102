"""The proposal form: the proposal's fields, its speakers (a formset) and co-submitters.

The forms parse and check what was typed; the rules (what submitting needs, the word limit)
live in ``operations`` and are only asked here, so the errors show beside their fields.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from deepdive.core.forms import OneLineCharField
from deepdive.core.widgets import Checklist
from deepdive.directory.models import Organisation
from deepdive.reference.models import Outcome, Sector, Theme
from deepdive.reference.queries import country_choices, pathfinder_codes
from deepdive.series.models import Call

from .. import access
from ..models import INTERPRETATION_LANGUAGES, WEBINAR_LANGUAGES, Proposal, Speaker
from ..operations import ProposalData, SpeakerData, submission_problems
from ..wordcount import count_words

LANGUAGES = [("", _("Not decided yet")), *WEBINAR_LANGUAGES]
ACTION_DRAFT, ACTION_SUBMIT = "draft", "submit"


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return str(obj)


class ProposalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    contact_name = OneLineCharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("One of the member organisations you are a verified contact of."),
    )
    co_organisations = OrganisationsField(
        label=_("Co-submitting organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=Checklist,
        help_text=_(
            "Alliance 8.7 partners in the directory proposing the webinar with you, besides "
            "the lead organisation. Their contacts are asked to confirm."
        ),
    )
    unlisted_organisations = forms.CharField(
        label=_("Organisations not in the directory"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. The secretariat is told they are not in the directory."),
    )
    title = OneLineCharField(label=_("Tentative title"), max_length=250, required=False)
    outcomes = forms.ModelMultipleChoiceField(
        label=_("Outcomes the proposal relates to"),
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply (at least one)."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries of action"),
        required=False,
        widget=Checklist,
        help_text=_(
            "Choose all that apply. Action in a Pathfinder Country is given special consideration."
        ),
    )
    description = forms.CharField(
        label=_("Description of the session"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    language = forms.ChoiceField(
        label=_("Language of the webinar"), choices=LANGUAGES, required=False
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation wanted into"),
        choices=INTERPRETATION_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_months = forms.TypedMultipleChoiceField(
        label=_("Preferred months"),
        choices=sorted(MONTHS.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unavailable_dates = forms.CharField(
        label=_("Dates the hosts cannot do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: 10–14 March, any Friday."),
    )

    def __init__(self, *args, user, call: Call, proposal: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call, self.proposal = call, proposal
        leads = Q(pk__in=access.eligible_lead_organisations(user, call).values("pk"))
        partners = Q(pk__in=Organisation.objects.active().filter(is_member=True).values("pk"))
        if proposal is not None:  # keep the current choices even if they changed since
            leads |= Q(pk=proposal.lead_organisation_id)
            partners |= Q(pk__in=proposal.co_submitters.values("organisation_id"))
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(leads)
        self.fields["co_organisations"].queryset = Organisation.objects.filter(partners)
        self._leave_the_lead_out_of_the_co_submitters()
        self.fields["outcomes"].queryset = (
            call.outcomes.all()
            if call.outcomes.exists()
            else Outcome.objects.filter(action_group=call.series.action_group_id)
        )
        self.fields["themes"].queryset = (
            call.themes.all() if call.themes.exists() else Theme.objects.all()
        )
        self.fields["sectors"].queryset = (
            call.sectors.all() if call.sectors.exists() else Sector.objects.all()
        )
        pathfinders = pathfinder_codes()
        self.fields["countries"].choices = [
            (code, _("%(name)s (Pathfinder Country)") % {"name": name})
            if code in pathfinders
            else (code, name)
            for code, name in country_choices()
        ]
        self.fields["description"].help_text = _("At most %(limit)s words.") % {
            "limit": call.word_limit
        }
        if proposal is None:
            del self.fields["version"]
        else:
            del self.fields["creation_token"]

    def _leave_the_lead_out_of_the_co_submitters(self) -> None:
        """The lead shown (posted, saved, or the first offered) is not offered as a
        co-submitter; the list follows the lead's select when it changes (checklist.js)."""
        lead = self["lead_organisation"]
        value = lead.value()
        if value in (None, ""):
            value = self.fields["lead_organisation"].queryset.values_list("pk", flat=True).first()
        widget = self.fields["co_organisations"].widget
        widget.excluded_value = getattr(value, "pk", value)
        widget.exclude_from = lead.auto_id or None

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_organisation")
        if lead is not None and lead in (cleaned.get("co_organisations") or []):
            self.add_error(
                "co_organisations",
                _("The lead organisation cannot also be a co-submitting organisation."),
            )
        return cleaned


class SpeakerForm(forms.Form):
    name = OneLineCharField(label=_("Name"), max_length=150)
    organisation = OneLineCharField(label=_("Organisation"), max_length=200, required=False)
    role = OneLineCharField(label=_("Title or role"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Not given"))] + list(Speaker.Gender.choices),
        required=False,
        help_text=_("Only for sex-disaggregated reporting."),
    )


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=1, can_delete=True, max_num=30)


class ProposalEntry:
    """The proposal form and its speakers' formset, checked together.

    ``action`` is "draft" or "submit"; submitting asks ``operations.submission_problems`` and
    puts each problem beside its field.
    """

    def __init__(
        self,
        data=None,
        *,
        user,
        call: Call,
        proposal: Proposal | None = None,
        initial: dict | None = None,
        speakers: list[dict] | None = None,
    ):
        self.call, self.proposal = call, proposal
        self.form = ProposalForm(
            data, user=user, call=call, proposal=proposal, initial=initial or {}
        )
        self.speakers = SpeakerFormSet(data, prefix="speakers", initial=speakers or None)
        self.action = (data or {}).get("action", ACTION_DRAFT)
        self.speaker_errors: list[str] = []

    @property
    def description_words(self) -> int:
        return count_words(self.form["description"].value() or "")

    @property
    def submitting(self) -> bool:
        return self.action == ACTION_SUBMIT

    def is_valid(self) -> bool:
        valid = self.form.is_valid() & self.speakers.is_valid()
        if valid and self.submitting:
            self.add_problems(submission_problems(call=self.call, data=self.data()))
        return not (self.form.errors or self.speakers.total_error_count() or self.speaker_errors)

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for name, messages in problems.items():
            for message in messages:
                if name == "speakers":
                    self.speaker_errors.append(message)
                else:
                    self.form.add_error(name, message)

    def error_messages(self) -> list[str]:
        """Every error, as text (for the autosave answer)."""
        found = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            found += [f"{label}: {e}" if label else str(e) for e in errors]
        for number, errors in enumerate(self.speakers.errors, start=1):
            for messages in errors.values():
                found += [
                    str(_("Speaker %(number)s: %(error)s") % {"number": number, "error": m})
                    for m in messages
                ]
        return found + [str(e) for e in self.speakers.non_form_errors()] + self.speaker_errors

    def data(self) -> ProposalData:
        c = self.form.cleaned_data
        speakers = [
            SpeakerData(
                name=f["name"],
                organisation=f.get("organisation", ""),
                role=f.get("role", ""),
                email=f.get("email", ""),
                gender=f.get("gender", ""),
            )
            for f in (form.cleaned_data for form in self.speakers.forms)
            if f and f.get("name") and not f.get("DELETE")
        ]
        return ProposalData(
            lead_organisation=c["lead_organisation"],
            contact_name=c["contact_name"],
            contact_email=c["contact_email"],
            title=c["title"],
            description=c["description"],
            outcomes=list(c["outcomes"]),
            themes=list(c["themes"]),
            sectors=list(c["sectors"]),
            countries=list(c["countries"]),
            language=c["language"],
            interpretation=list(c["interpretation"]),
            preferred_months=list(c["preferred_months"]),
            unavailable_dates=c["unavailable_dates"],
            speakers=speakers,
            co_organisations=list(c["co_organisations"]),
            unlisted_organisations=c["unlisted_organisations"].splitlines(),
        )

    @property
    def version(self) -> int:
        return self.form.cleaned_data.get("version") or 0

    @property
    def creation_token(self):
        return self.form.cleaned_data.get("creation_token")

    def keep_typed_values_with_version(self, version: int) -> None:
        """After a refused save: keep what was typed, but carry the current version, so that
        saving again (a deliberate choice, after the message) replaces the other change."""
        data = self.form.data.copy()
        data["version"] = str(version)
        self.form.data = data


def initial_for(proposal: Proposal) -> tuple[dict, list[dict]]:
    """The form's initial values and the speakers' rows of a saved proposal."""
    initial = {
        "version": proposal.version,
        "contact_name": proposal.contact_name,
        "contact_email": proposal.contact_email,
        "lead_organisation": proposal.lead_organisation_id,
        "co_organisations": list(
            proposal.co_submitters.filter(organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        ),
        "unlisted_organisations": "\n".join(
            proposal.co_submitters.filter(organisation__isnull=True).values_list(
                "unlisted_name", flat=True
            )
        ),
        "title": proposal.title,
        "outcomes": list(proposal.outcomes.values_list("pk", flat=True)),
        "themes": list(proposal.themes.values_list("pk", flat=True)),
        "sectors": list(proposal.sectors.values_list("pk", flat=True)),
        "countries": list(proposal.countries.values_list("pk", flat=True)),
        "description": proposal.description,
        "language": proposal.language,
        "interpretation": proposal.interpretation,
        "preferred_months": proposal.preferred_months,
        "unavailable_dates": proposal.unavailable_dates,
    }
    speakers = [
        {
            "name": s.name,
            "organisation": s.organisation,
            "role": s.role,
            "email": s.email,
            "gender": s.gender,
        }
        for s in proposal.speakers.all()
    ]
    return initial, speakers


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("decline", _("Decline"))])


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InviteContactForm(forms.Form):
    """The secretariat invites someone to be the contact of a co-submitting organisation."""

    email = forms.EmailField(
        label=_("E-mail address of a person at the organisation"),
        help_text=_("They get a link to sign up and state that they work there."),
    )
