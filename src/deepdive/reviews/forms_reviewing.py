"""The review form: a score (1 to 5, each with its descriptor as the radio's label) and an
optional comment per criterion, an overall comment, a recommendation and a confidence.

The form only parses; the rules (what submitting needs, the window, the version) are in
``operations.reviewing``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from deepdive.reference.models import Criterion

from .descriptors import SCORES, descriptors_for
from .models import Review
from .operations.reviewing import ReviewData

SCORE_MESSAGE = _("Choose a score from 1 to 5.")


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shared with the secretariat; other reviewers see it once they submit."),
    )
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        required=False,
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the recommendations.")},
    )
    confidence = forms.TypedChoiceField(
        label=_("How confident are you in this review?"),
        required=False,
        choices=Review.Confidence.choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose low, medium or high.")},
    )

    def __init__(self, *args, criteria: list[Criterion], review: Review | None = None, **kwargs):
        if review is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = initial_for(review)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            labels = descriptors_for(criterion.code)
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=str(criterion),
                required=False,
                choices=[(n, f"{n} – {labels[n]}") for n in SCORES],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                help_text=criterion.display_description(),
                error_messages={"invalid_choice": SCORE_MESSAGE},
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label=_("Comment on “%(criterion)s” (optional)") % {"criterion": criterion},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "short"}),
            )
        self.order_fields(
            ["version"]
            + [f"{kind}_{c.code}" for c in criteria for kind in ("score", "comment")]
            + ["overall_comment", "recommendation", "confidence"]
        )

    def criterion_fields(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == "submit"

    def review_data(self) -> ReviewData:
        data = self.cleaned_data
        return ReviewData(
            scores={c.code: data.get(f"score_{c.code}") for c in self.criteria},
            comments={c.code: data.get(f"comment_{c.code}") or "" for c in self.criteria},
            overall_comment=data.get("overall_comment") or "",
            recommendation=data.get("recommendation") or "",
            confidence=data.get("confidence"),
        )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for name, messages in problems.items():
            for message in messages:
                self.add_error(None if name not in self.fields else name, message)

    def keep_typed_values_with_version(self, version: int) -> None:
        """After a refusal for a stale version: keep what was typed, carry the new version so
        that saving again overwrites knowingly."""
        data = self.data.copy()
        data["version"] = str(version)
        self.data = data


def initial_for(review: Review) -> dict:
    initial = {
        "version": review.version,
        "overall_comment": review.overall_comment,
        "recommendation": review.recommendation,
        "confidence": review.confidence,
    }
    for code, score in (review.scores or {}).items():
        initial[f"score_{code}"] = score
    for code, comment in (review.comments or {}).items():
        initial[f"comment_{code}"] = comment
    return initial
