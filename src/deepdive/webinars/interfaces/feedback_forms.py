"""The feedback form linked from the thanks e-mail: how useful (required), one thing learned,
topics wished for next."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Feedback


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the webinar for your work?"),
        choices=[
            (value, format_lazy("{} — {}", value, capfirst(label)))
            for value, label in Feedback.Usefulness.choices
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how useful the webinar was.")},
    )
    learned = forms.CharField(
        label=_("One thing you learned"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wished_topics = forms.CharField(
        label=_("Topics you would like a next webinar to cover"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
