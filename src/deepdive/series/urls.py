from django.urls import path

from . import views

app_name = "series"
urlpatterns = [
    path("series/<slug:slug>/colours.css", views.series_colours, name="colours"),
    path("series/<slug:slug>/calls/<slug:call_slug>/", views.call_detail, name="call"),
    # The secretariat's pages.
    path("manage/series/", views.manage_list, name="manage_list"),
    path("manage/series/new/", views.manage_create, name="manage_create"),
    path("manage/series/<slug:slug>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/series/<slug:slug>/calls/new/", views.call_create, name="call_create"),
    path("manage/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
]
