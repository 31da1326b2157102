"""The public, read-only API at /api/, its OpenAPI schema at /api/schema/ and its
documentation page at /api/docs/. Every answer carries an ETag and a matching If-None-Match
gets a 304 (``conditional_page``: Django's ConditionalGetMiddleware, on the API only)."""

from typing import Any

from django.urls import path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"


def api(view: Any) -> Any:
    """``view`` (a DRF view class) with ETags and 304s."""
    return conditional_page(view.as_view())


urlpatterns = [
    path("series/", api(views.SeriesList), name="series"),
    path("series/<slug:slug>/", api(views.SeriesDetail), name="series_detail"),
    path("series/<slug:slug>/calls/", api(views.CallList), name="calls"),
    path("webinars/", api(views.WebinarList), name="webinars"),
    path("webinars/<int:pk>/", api(views.WebinarDetail), name="webinar"),
    path("recordings/", api(views.RecordingList), name="recordings"),
    path("materials/", api(views.MaterialList), name="materials"),
    path("themes/", api(views.ThemeList), name="themes"),
    path("outcomes/", api(views.OutcomeList), name="outcomes"),
    path("languages/", api(views.LanguageList), name="languages"),
    path("organisations/", api(views.OrganisationList), name="organisations"),
    path("series/<slug:slug>/coverage/", api(views.WorkplanCoverage), name="coverage"),
    path("schema/", conditional_page(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", views.documentation, name="docs"),
]
