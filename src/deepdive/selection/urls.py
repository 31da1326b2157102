from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("manage/calls/<int:call_id>/selection/", views.rules, name="rules"),
    path("manage/calls/<int:call_id>/selection/compare/", views.compare, name="compare"),
    path("manage/selection-runs/<int:pk>/", views.run, name="run"),
]
