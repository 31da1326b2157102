from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("manage/calls/<int:call_id>/selection/", views.rules, name="rules"),
    path("manage/calls/<int:call_id>/selection/compare/", views.compare, name="compare"),
    path("manage/selection-runs/<int:pk>/", views.run, name="run"),
    path("manage/selection-runs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("manage/calls/<int:call_id>/selection/promote/", views.promote, name="promote"),
    path("proposals/<int:proposal_id>/hosting/", views.host, name="host"),
]
