"""The public API's endpoints (GET only, anonymous) and its documentation page. Each view
reads one query of ``api.queries`` and answers with its serializer; a page of
``ApiPagination.page_size`` rows at most ``max_page_size``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
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


class PublicList(generics.ListAPIView):
    """A paginated list; GET (and HEAD, OPTIONS) only."""

    http_method_names = ["get", "head", "options"]
    pagination_class = ApiPagination


class PublicDetail(generics.RetrieveAPIView):
    http_method_names = ["get", "head", "options"]


@extend_schema(
    summary=_("Series"),
    description=_("Every series, newest first, with its calls for proposals."),
    tags=["series"],
)
class SeriesList(PublicList):
    serializer_class = serializers.SeriesSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.series()


@extend_schema(summary=_("One series"), description=_("A series by its address."), tags=["series"])
class SeriesDetail(PublicDetail):
    serializer_class = serializers.SeriesSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return queries.series()


@extend_schema(
    summary=_("A series' calls"),
    description=_("The calls for proposals of a series, in the order they open."),
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
        "Published webinars in time order, filtered as on a series' programme page. Times in "
        "UTC and in the series' time zone."
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
        "A published webinar as its public page shows it: description, speakers, published "
        "recordings and public materials."
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
    description=_("Published recordings, newest webinar first, with their captions."),
    tags=["library"],
)
class RecordingList(PublicList):
    serializer_class = serializers.RecordingSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.published_recordings()


@extend_schema(
    summary=_("Materials"),
    description=_("Presentations and other materials open to everyone."),
    tags=["library"],
)
class MaterialList(PublicList):
    serializer_class = serializers.MaterialSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.materials()


@extend_schema(summary=_("Themes"), tags=["reference"])
class ThemeList(PublicList):
    serializer_class = serializers.ThemeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.themes()


@extend_schema(
    summary=_("Outcomes"),
    description=_("The Action Groups' workplan Outcomes, each with its Outputs."),
    tags=["reference"],
)
class OutcomeList(PublicList):
    serializer_class = serializers.OutcomeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.outcomes()


@extend_schema(
    summary=_("Hosts' organisations"),
    description=_("The organisations hosting a published webinar: names and countries."),
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
        description=_("The languages a webinar may be held or interpreted in."),
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
            "its Action Group's workplan, with the gaps: Outputs no webinar serves yet."
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


# The example values the documentation page puts in an endpoint's address.
EXAMPLE_PATH_VALUES = {"slug": "supply-chains", "id": "1"}


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    """The API's documentation, made from its OpenAPI schema, in the reader's language."""
    return render(
        request,
        "api/docs.html",
        {
            "endpoints": docs.endpoints(request, examples=EXAMPLE_PATH_VALUES),
            "rate": docs.rate(),
        },
    )
