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
