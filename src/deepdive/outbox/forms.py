from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage


class OutboxFilterForm(forms.Form):
    """The filters of the outbox list (GET); an unknown value is ignored, not an error."""

    q = forms.CharField(
        label=_("Recipient or subject contains"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kinds: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *OutboxMessage.Status.choices]
        self.fields["kind"].choices = [("", _("Any kind")), *((k, k) for k in kinds)]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status", ""),
            "kind": data.get("kind", ""),
            "search": data.get("q", ""),
        }


class HeldMessageForm(forms.Form):
    """The secretariat's edit of a message waiting for approval."""

    subject = forms.CharField(label=_("Subject"), max_length=300)
    body_text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        strip=False,
        help_text=_("Read by mail programs that do not show HTML: edit both versions alike."),
    )
    body_html = forms.CharField(
        label=_("HTML"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "Scripts, styles, event attributes and links other than http, https and mailto "
            "are removed when you save. Leave empty to send the text only."
        ),
    )

    @classmethod
    def for_message(cls, message: OutboxMessage, data=None) -> "HeldMessageForm":
        return cls(
            data,
            initial={
                "subject": message.subject,
                "body_text": message.body_text,
                "body_html": message.body_html,
            },
        )

    def clean_body_text(self) -> str:
        text = self.cleaned_data["body_text"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError(_("The text version cannot be empty."))
        return text

    def clean_body_html(self) -> str:
        return self.cleaned_data["body_html"].replace("\r\n", "\n")


class BatchApprovalForm(forms.Form):
    """The number of held messages the approver was shown ("Approve all N")."""

    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class PreferencesForm(forms.Form):
    """What a recipient wants to receive, on the page their e-mails link to (no login): every
    invitation, newsletters, each Action Group's invitations (``groups``: (code, name) of the
    groups they were written to for), or nothing but what they register for."""

    GROUP_PREFIX = "group_"

    invitation = forms.BooleanField(label=_("Invitations to webinars"), required=False)
    newsletter = forms.BooleanField(label=_("Newsletters"), required=False)
    nothing_else = forms.BooleanField(
        label=_("Nothing but what I register for"),
        required=False,
        help_text=_(
            "Ticked, you receive no invitations or newsletters, only what you ask for "
            "yourself: the confirmation of a registration, your account and your proposals."
        ),
    )

    def __init__(self, *args, groups: Iterable[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        if self.groups:
            self.fields["invitation"].help_text = _(
                "From every Action Group. Below, stop the invitations of one group only."
            )
        fields = dict(self.fields)
        self.fields = {"invitation": fields.pop("invitation")}
        for code, name in self.groups:
            self.fields[self.GROUP_PREFIX + code] = forms.BooleanField(
                label=_("Invitations from the %(name)s Action Group") % {"name": name},
                required=False,
            )
        self.fields.update(fields)

    @classmethod
    def initial_for(
        cls, receives: dict[str, bool], groups: list[tuple[str, str, bool]]
    ) -> dict[str, bool]:
        """The ticks of what the address receives now (``consent.preferences`` and
        ``consent.group_preferences``)."""
        return {
            "invitation": receives["invitation"],
            "newsletter": receives["newsletter"],
            "nothing_else": not receives["all"],
            **{cls.GROUP_PREFIX + code: on for code, _name, on in groups},
        }

    def choices(self) -> dict:
        """The arguments of ``consent.set_preferences`` (call after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "invitation": data["invitation"],
            "newsletter": data["newsletter"],
            "all_mail": not data["nothing_else"],
            "groups": {code: data[self.GROUP_PREFIX + code] for code, _name in self.groups},
        }
