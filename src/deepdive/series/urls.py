from django.urls import path

from . import views

app_name = "series"
urlpatterns = [
    path("series/<slug:slug>/", views.series_detail, name="detail"),
]
