"""Texts of series and calls in the reader's language, and a visible, announced fallback.

The secretariat writes a series' and its calls' texts in each of the series' languages (the
main fields in the first one, the others in ``texts``). A reader gets their language; when a
text is missing in it, the English one, else the series' first language, marked: the text
carries its ``lang`` (so a screen reader pronounces it right) and a short note in the reader's
language says which language it is in ("(in English)").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

FALLBACK_NOTES = {
    "en": _("in English"),
    "fr": _("in French"),
    "es": _("in Spanish"),
}


def reader_language() -> str:
    return (get_language() or "en").split("-")[0]


def fallback_note(language: str) -> str:
    """ "in English", in the reader's language."""
    if language in FALLBACK_NOTES:
        return str(FALLBACK_NOTES[language])
    info = LANG_INFO.get(language)
    name = gettext(info["name"]) if info else language
    return gettext("in %(language)s") % {"language": name}


@dataclass(frozen=True)
class LocalText:
    """A text as a reader is to see it: ``text`` is in ``language``; ``fallback`` when that is
    not the reader's language. ``str()`` gives the bare text (for ``<title>`` and attributes);
    ``inline`` and ``block`` the HTML to show, marked when it is a fallback."""

    text: str
    language: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def note(self) -> str:
        return fallback_note(self.language) if self.fallback else ""

    @property
    def inline(self) -> SafeString:
        """The text in a line (a heading, a link): ``<span lang="en">…</span> (in English)``."""
        if not self.fallback:
            return format_html("{}", self.text)
        return format_html(
            '<span lang="{}">{}</span> <span class="muted text-fallback">({})</span>',
            self.language,
            self.text,
            self.note,
        )

    @property
    def block(self) -> SafeString:
        """The text as paragraphs, followed by the note when it is a fallback."""
        paragraphs = mark_safe(linebreaks(self.text, autoescape=True))  # noqa: S308 (escaped)
        if not self.fallback:
            return paragraphs
        return format_html(
            '<div lang="{}">{}</div><p class="muted text-fallback">({})</p>',
            self.language,
            paragraphs,
            self.note,
        )


def first_language(languages) -> str:
    """A series' first language (its main fields are written in it); English when unset."""
    if isinstance(languages, list) and languages:
        return str(languages[0]).split("-")[0]
    return "en"


def local_text(obj, field: str, *, main_language: str, language: str | None = None) -> LocalText:
    """``obj.field`` (a series or a call) for a reader of ``language`` (the current one): in
    that language when written, else in English, else in ``main_language`` (the main field)."""
    language = (language or reader_language()).split("-")[0]
    texts = obj.texts if isinstance(obj.texts, dict) else {}

    def written(code: str) -> str:
        if code == main_language:
            return getattr(obj, field) or ""
        value = texts.get(code, {})
        return value.get(field, "") if isinstance(value, dict) else ""

    for code in dict.fromkeys([language, "en", main_language]):
        if text := written(code):
            return LocalText(text=text, language=code, fallback=code != language)
    return LocalText(text="", language=language)


class LocalTexts:
    """``obj``'s texts for the current reader, by field name: ``{{ call.localized.title.inline }}``
    in a template."""

    def __init__(self, obj, main_language: str):
        self._obj = obj
        self._main_language = main_language

    def __getitem__(self, field: str) -> LocalText:
        return local_text(self._obj, field, main_language=self._main_language)
