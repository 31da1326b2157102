"""The reports: the secretariat's pages under /manage/insight/, public summaries under
/insight/."""

from django.urls import path  # noqa: F401

from . import participation_views, views

app_name = "insight"
urlpatterns: list = []

# Participation and engagement (part I3).
urlpatterns += [
    path(
        "manage/insight/series/<slug:slug>/participation/",
        participation_views.participation_page,
        name="participation",
    ),
    path(
        "manage/insight/series/<slug:slug>/engagement/",
        participation_views.engagement_page,
        name="engagement",
    ),
]

# Workplan coverage and diversity (part I2).
urlpatterns += [
    path("manage/insight/series/<slug:slug>/coverage/", views.coverage_page, name="coverage"),
    path("insight/<slug:slug>/coverage/", views.public_coverage, name="public_coverage"),
    path("manage/insight/series/<slug:slug>/diversity/", views.diversity_page, name="diversity"),
]
