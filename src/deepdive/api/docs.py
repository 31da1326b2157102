"""The documentation page's content, read from the API's own OpenAPI schema (so the page and
the schema cannot disagree), in the active language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import ngettext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.settings import api_settings

from . import queries

# A query to show beside an endpoint's plain address: each endpoint that takes filters
# ({name}: an example value, as in a path).
EXAMPLE_QUERIES = {
    "/api/series/{slug}/calls/": "status=open",
    "/api/webinars/": "theme=child_labour&language=fr&from=2027-01-01",
    "/api/series/{slug}/coverage/": "call={call}",
}

# The example values when nothing is published yet (the demo's series, call and webinar).
FALLBACK_EXAMPLES = {"slug": "supply-chains-deep-dive", "call": "2026-pilot", "id": "1"}


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str  # "path" or "query"
    required: bool
    kind: str  # the schema's type: string, integer...
    description: str  # plain words, allowed values included ("One of: English (en), ...")


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    examples: list[str]


def schema() -> dict[str, Any]:
    """The OpenAPI 3 schema, as /api/schema/ serves it, in the active language."""
    found: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return found


def _parameter(found: dict[str, Any]) -> Parameter:
    described = found.get("schema", {})
    kind = described.get("type", "")
    if described.get("format"):
        kind = f"{kind} ({described['format']})"
    return Parameter(
        name=found["name"],
        where=found["in"],
        required=bool(found.get("required")),
        kind=kind,
        description=str(found.get("description", "")),
    )


def example_values() -> dict[str, str]:
    """Example values that answer with something: the first published webinar, its series
    and its call (else the demo's)."""
    webinars = queries.webinars({})
    first = (
        webinars.values("pk", "proposal__call__slug", "proposal__call__series__slug").first()
        if webinars is not None
        else None
    )
    if first is None:
        return dict(FALLBACK_EXAMPLES)
    return {
        "slug": first["proposal__call__series__slug"],
        "call": first["proposal__call__slug"],
        "id": str(first["pk"]),
    }


def endpoints(request: HttpRequest, *, examples: dict[str, str]) -> list[Endpoint]:
    """Every GET endpoint of the schema with its parameters and example addresses (absolute,
    with ``examples`` for the path's parameters)."""
    found = []
    for path, operations in schema().get("paths", {}).items():
        operation = operations.get("get")
        if operation is None:
            continue
        shown = [path]
        if path in EXAMPLE_QUERIES:
            shown.append(f"{path}?{EXAMPLE_QUERIES[path]}")
        for name, value in examples.items():
            shown = [address.replace("{" + name + "}", value) for address in shown]
        found.append(
            Endpoint(
                path=path,
                summary=str(operation.get("summary", "")),
                description=str(operation.get("description", "")),
                parameters=[_parameter(p) for p in operation.get("parameters", [])],
                examples=[request.build_absolute_uri(address) for address in shown],
            )
        )
    return found


def rate() -> str:
    """The throttle's rate in words, e.g. "120 requests a minute" ("" without a limit)."""
    written = api_settings.DEFAULT_THROTTLE_RATES.get("api")
    if not written:
        return ""
    count, period = written.split("/")
    number = int(count)
    texts = {
        "s": ngettext("%(count)d request a second", "%(count)d requests a second", number),
        "m": ngettext("%(count)d request a minute", "%(count)d requests a minute", number),
        "h": ngettext("%(count)d request an hour", "%(count)d requests an hour", number),
        "d": ngettext("%(count)d request a day", "%(count)d requests a day", number),
    }
    return texts[period[0]] % {"count": number}
