"""Reads of reference data that more than one area needs."""

import unicodedata
from collections import defaultdict

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language

from .models import Country, Criterion, Outcome, PathfinderCountry
from .regions import IloRegion


def pathfinder_codes() -> set[str]:
    """ISO codes of the Pathfinder Countries."""
    return set(PathfinderCountry.objects.values_list("country_id", flat=True))


def is_pathfinder(code: str) -> bool:
    return PathfinderCountry.objects.filter(country_id=code.upper()).exists()


def ilo_region_of() -> dict[str, str]:
    """{ISO code: ILO region code} for every country."""
    return dict(Country.objects.values_list("code", "ilo_region"))


def countries_by_region(field: str = "ilo_region") -> dict[str, list[Country]]:
    """Countries grouped by region (``ilo_region``, ``m49_region`` or ``m49_subregion``),
    regions in the order of their choices (sub-regions alphabetically), countries by name."""
    if field not in ("ilo_region", "m49_region", "m49_subregion"):
        raise ValueError(f"not a region field: {field}")
    grouped: dict[str, list[Country]] = defaultdict(list)
    for country in Country.objects.order_by("name"):
        grouped[getattr(country, field)].append(country)
    if field == "ilo_region":
        return {region: grouped[region] for region in IloRegion.values if region in grouped}
    if field == "m49_region":
        order = Country._meta.get_field("m49_region").choices
        return {code: grouped[code] for code, _ in order if code in grouped}
    return dict(sorted(grouped.items()))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name in ``language`` or the active one) for every country, sorted by that name.

    Kept for five minutes: every form with a country list needs it, and countries change rarely.
    """
    language = (language or get_language() or "en").split("-")[0]
    key = f"reference.country_choices.{language}"
    choices = cache.get(key)
    if choices is None:
        choices = sorted(
            ((country.code, country.localized_name(language)) for country in Country.objects.all()),
            key=lambda choice: _sort_key(choice[1]),
        )
        cache.set(key, choices, 300)
    return choices


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def outcomes(action_group_code: str) -> QuerySet[Outcome]:
    """The Outcomes of an Action Group, with their Outputs prefetched."""
    return (
        Outcome.objects.filter(action_group__code=action_group_code)
        .select_related("action_group")
        .prefetch_related("outputs")
    )


def criteria() -> QuerySet[Criterion]:
    return Criterion.objects.all()
