from django.urls import path, re_path

from . import views

app_name = "communications"
urlpatterns = [
    re_path(
        r"^webinars/(?P<pk>[0-9]+)/card/(?P<language>[a-z]{2})/(?P<size>[a-z]+)\.(?P<kind>png|pdf)$",
        views.card,
        name="card",
    ),
    path(
        "webinars/<int:pk>/card/<str:language>/<str:size>/thumbnail.png",
        views.card,
        {"kind": "png", "thumbnail": True},
        name="card_thumbnail",
    ),
    path("webinars/<int:pk>/cards/", views.sheet, name="cards"),
    path("manage/series/<slug:slug>/branding/", views.branding, name="branding"),
    path(
        "manage/series/<slug:slug>/branding/preview.png",
        views.branding_preview,
        name="branding_preview",
    ),
]
