"""Country names in the reader's language, from the CLDR data that Babel ships."""

from functools import cache

from babel import Locale, UnknownLocaleError


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(code: str, language: str | None) -> str | None:
    return _territories((language or "en").split("-")[0]).get(code.upper())
