"""Forms for the account pages. They validate input; the writes are in ``operations``."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from deepdive.core.forms import ZoneField
from deepdive.directory.models import Organisation


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth's sign-up form (a subclass) orders its fields by this.
    field_order = ["name", "email", "password1", "password2"]

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user) -> None:
        """Nothing left to do: ``AccountAdapter.save_user`` stores the name with the account."""


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    timezone = ZoneField(
        label=_("Time zone"),
        help_text=_("Every time on the platform is shown in this zone."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class AffiliationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    position = forms.CharField(
        label=_("Title or role"),
        max_length=150,
        required=False,
        help_text=_("Optional, for example “Programme officer”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")


class DecisionForm(forms.Form):
    VERIFY = "verify"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(VERIFY, _("Verify")), (REJECT, _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
