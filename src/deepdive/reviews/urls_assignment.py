"""The secretariat's assignment pages (``app_name`` "reviews" is set in urls.py). The names are
a contract other pages link to."""

from django.urls import path

from .views import assignment

urlpatterns = [
    path("manage/calls/<int:call_id>/assignment/", assignment.assign, name="assign"),
    path("manage/assignment-runs/<int:pk>/", assignment.run, name="run"),
    path(
        "manage/calls/<int:call_id>/review-progress/",
        assignment.progress,
        name="progress",
    ),
]
