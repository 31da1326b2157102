"""Reviewers' pages and the secretariat's ranking (``app_name`` "reviews" is set in urls.py)."""

from django.urls import path

from .views import reviewing

urlpatterns = [
    path("reviews/", reviewing.mine, name="mine"),
    path("reviews/proposals/<int:proposal_id>/", reviewing.review, name="review"),
    path("manage/calls/<int:call_id>/ranking/", reviewing.ranking, name="ranking"),
    path(
        "manage/calls/<int:call_id>/ranking/export/",
        reviewing.ranking_export,
        name="ranking_export",
    ),
]
