"""The public API's endpoints (GET only, anonymous) and its documentation page. Each view
reads one query of ``api.queries`` and answers with its serializer; a page of
``ApiPagination.page_size`` rows at most ``max_page_size``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import docs, queries, serializers


class ApiPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = _("The page to answer, from 1.")
    page_size_query_description = format_lazy(
        _("How many items a page holds: at most {most}; {usual} if not given."),
        most=max_page_size,
        usual=page_size,
    )


class PublicList(generics.ListAPIView):
    # Each list says in its own ``extend_schema`` what it lists, its filters and its order
    # (a docstring here would become the description of any list that forgets to).

    http_method_names = ["get", "head", "options"]
    pagination_class = ApiPagination


class PublicDetail(generics.RetrieveAPIView):
    http_method_names = ["get", "head", "options"]


@extend_schema(
    summary=_("Series"),
    description=_(
        "Every webinar series with its calls for proposals (each call's dates in UTC and in "
        "the call's time zone). Takes no filters. Newest series first; a series' calls in "
        "the order they open."
    ),
    tags=["series"],
)
class SeriesList(PublicList):
    serializer_class = serializers.SeriesSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.series()


@extend_schema(
    summary=_("One series"),
    description=_(
        "One series by its address (the slug in its programme's address, e.g. "
        "/api/series/supply-chains-deep-dive/), with its calls in the order they open."
    ),
    tags=["series"],
)
class SeriesDetail(PublicDetail):
    serializer_class = serializers.SeriesSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return queries.series()


@extend_schema(
    summary=_("A series' calls"),
    description=_(
        "The calls for proposals of one series, with their dates in UTC and in the call's "
        "time zone. Filter by status, e.g. "
        "/api/series/supply-chains-deep-dive/calls/?status=open. In the order they open."
    ),
    parameters=[serializers.CallFilters],
    tags=["series"],
)
class CallList(PublicList):
    serializer_class = serializers.CallSerializer

    def get_queryset(self) -> QuerySet[Any]:
        filters = serializers.CallFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        found = queries.calls(
            self.kwargs["slug"],
            status=filters.validated_data.get("status", ""),
            now=timezone.now(),
        )
        if found is None:
            raise Http404
        return found


@extend_schema(
    summary=_("Webinars"),
    description=_(
        "Published webinars, with their times in UTC and in the series' time zone, themes, "
        "Outcomes, languages and hosts' organisations. Filter as on a series' programme page: "
        "by series, theme, Outcome, sector, region, language, dates and words, e.g. "
        "/api/webinars/?theme=child_labour&language=fr; filters combine (all must match). "
        "Earliest first."
    ),
    parameters=[serializers.WebinarFilters],
    tags=["webinars"],
)
class WebinarList(PublicList):
    serializer_class = serializers.WebinarSerializer

    def get_queryset(self) -> QuerySet[Any]:
        filters = serializers.WebinarFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        found = queries.webinars(dict(filters.validated_data))
        if found is None:
            raise Http404
        return found


@extend_schema(
    summary=_("One webinar"),
    description=_(
        "One published webinar by its number (the id in the list), as its public page shows "
        "it: description, speakers, published recordings and public materials. A webinar that "
        "is not published answers 404."
    ),
    tags=["webinars"],
)
class WebinarDetail(PublicDetail):
    serializer_class = serializers.WebinarDetailSerializer

    def get_object(self) -> Any:
        found = queries.webinar(int(self.kwargs["pk"]))
        if found is None:
            raise Http404
        return found


@extend_schema(
    summary=_("Recordings"),
    description=_(
        "The published recordings of published webinars, with their captions and transcripts. "
        "Takes no filters (a webinar's own recordings are in /api/webinars/{id}/). Newest "
        "webinar first."
    ),
    tags=["library"],
)
class RecordingList(PublicList):
    serializer_class = serializers.RecordingSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.published_recordings()


@extend_schema(
    summary=_("Materials"),
    description=_(
        "The presentations and other files of published webinars that everyone may download. "
        "Takes no filters (a webinar's own materials are in /api/webinars/{id}/). Newest "
        "webinar first, then by title."
    ),
    tags=["library"],
)
class MaterialList(PublicList):
    serializer_class = serializers.MaterialSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.materials()


@extend_schema(
    summary=_("Themes"),
    description=_(
        "The themes a webinar can be about, each with its code and its name. A code filters "
        "the webinars, e.g. /api/webinars/?theme=child_labour. Takes no filters. In the "
        "list's own order, as on the proposal form."
    ),
    tags=["reference"],
)
class ThemeList(PublicList):
    serializer_class = serializers.ThemeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.themes()


@extend_schema(
    summary=_("Outcomes"),
    description=_(
        "The Outcomes of each Action Group's workplan, each with its Outputs. An Outcome's "
        "number filters the webinars, e.g. /api/webinars/?outcome=1. Takes no filters. By "
        "Action Group, then by number; Outputs by number."
    ),
    tags=["reference"],
)
class OutcomeList(PublicList):
    serializer_class = serializers.OutcomeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.outcomes()


@extend_schema(
    summary=_("Hosts' organisations"),
    description=_(
        "The organisations hosting at least one published webinar (the lead organisation or a "
        "confirmed co-submitter): names and countries only. Takes no filters. By name."
    ),
    tags=["reference"],
)
class OrganisationList(PublicList):
    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.host_organisations()


class LanguageList(APIView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary=_("Languages"),
        description=_(
            "The languages a webinar may be held or interpreted in, each with its code and its "
            "name. A code filters the webinars, e.g. /api/webinars/?language=fr. Takes no "
            "filters and does not come in pages. In a fixed order: English, French, Spanish, "
            "another language."
        ),
        responses=serializers.LanguageSerializer(many=True),
        tags=["reference"],
    )
    def get(self, request: Request) -> Response:
        return Response(serializers.languages())


class WorkplanCoverage(APIView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary=_("Workplan coverage"),
        description=_(
            "The public summary of how the series' published webinars serve the Outputs of "
            "its Action Group's workplan, with the gaps: Outputs no webinar serves yet. Filter "
            "by call, e.g. /api/series/supply-chains-deep-dive/coverage/?call=2026-pilot. "
            "Does not come in pages. By Outcome, then by Output."
        ),
        parameters=[serializers.CoverageFilters],
        responses=serializers.CoverageSerializer,
        tags=["reports"],
    )
    def get(self, request: Request, slug: str) -> Response:
        filters = serializers.CoverageFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        found = queries.workplan_coverage(slug, call_slug=filters.validated_data.get("call", ""))
        if found is None:
            raise Http404
        return Response(serializers.CoverageSerializer(found, context={"request": request}).data)


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    """The API's documentation, made from its OpenAPI schema, in the reader's language."""
    return render(
        request,
        "api/docs.html",
        {
            "endpoints": docs.endpoints(request, examples=docs.example_values()),
            "rate": docs.rate(),
            "page_size": ApiPagination.page_size,
            "max_page_size": ApiPagination.max_page_size,
        },
    )
