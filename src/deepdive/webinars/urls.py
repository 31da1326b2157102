from django.urls import path

from . import views

app_name = "webinars"
urlpatterns = [
    path("series/<slug:slug>/", views.programme, name="programme"),
    path("webinars/<int:pk>/", views.detail, name="detail"),
    path("webinars/<int:pk>/calendar.ics", views.ics, name="ics"),
    path("webinars/<int:pk>/register/", views.register, name="register"),
    path("webinars/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("series/<slug:slug>/calendar.ics", views.feed, name="feed"),
]
