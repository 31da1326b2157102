"""The forms of a webinar's recordings page: a recording's address and language, and its
captions (a .vtt or .srt file, or pasted). What they check is only the form's shape; the rules
(a video's address, valid captions) are the service's (``recordings``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deepdive.proposals.models import WEBINAR_LANGUAGES

# Captions of a two-hour webinar are well under this.
MAX_CAPTIONS_BYTES = 2 * 1024 * 1024


class RecordingForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the recording"),
        max_length=500,
        help_text=_(
            "A YouTube, Vimeo or PeerTube video page, or a video file's address (.mp4 or "
            ".webm, starting with https://)."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the recording"), choices=WEBINAR_LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "recording-%s")
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        return {"url": self.cleaned_data["url"], "language": self.cleaned_data["language"]}


class CaptionsForm(forms.Form):
    captions_language = forms.ChoiceField(
        label=_("Language of the captions"), choices=WEBINAR_LANGUAGES
    )
    captions_file = forms.FileField(
        label=_("Captions file"),
        required=False,
        help_text=_("WebVTT (.vtt) or SRT (.srt), at most 2 MB. SRT is converted to WebVTT."),
    )
    captions = forms.CharField(
        label=_("Or paste the captions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("WebVTT or SRT text."),
    )

    def __init__(self, *args: Any, recording_pk: int, **kwargs: Any):
        kwargs.setdefault("auto_id", f"captions-{recording_pk}-%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("captions_file")
        if upload is not None and upload.size > MAX_CAPTIONS_BYTES:
            self.add_error("captions_file", _("This file is larger than 2 MB: is it captions?"))
        elif upload is None and not (data.get("captions") or "").strip():
            self.add_error("captions", _("Choose a captions file or paste the captions."))
        return data

    def text(self) -> str | bytes:
        """The captions as uploaded (bytes) or pasted (text)."""
        upload = self.cleaned_data.get("captions_file")
        return upload.read() if upload is not None else self.cleaned_data["captions"]
