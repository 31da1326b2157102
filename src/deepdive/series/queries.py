"""Reads of series and calls for the public pages."""

from django.conf.locale import LANG_INFO
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from . import branding
from .models import Call, Series


def public_series() -> QuerySet[Series]:
    """Every series with its Action Group and its calls (in the order they open), newest
    series first."""
    return (
        Series.objects.select_related("action_group")
        .prefetch_related(Prefetch("calls", queryset=Call.objects.order_by("opens_at", "pk")))
        .order_by("-created_at", "-pk")
    )


def series_band_style(series: Series) -> str:
    """The inline style of the series' header band: its colours as CSS custom properties."""
    props = branding.band(series.colour_primary, series.colour_accent)
    return "; ".join(f"{name}: {value}" for name, value in props.items())


def language_names(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name in the reader's language) of a series' languages; unknown codes as is."""
    names = []
    for code in codes if isinstance(codes, list) else []:
        info = LANG_INFO.get(str(code))
        names.append((str(code), gettext(info["name"]) if info else str(code)))
    return names
