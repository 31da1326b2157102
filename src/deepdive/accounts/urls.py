from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/affiliations/", views.affiliations, name="affiliations"),
    path("manage/affiliations/", views.affiliations_to_verify, name="affiliations_to_verify"),
    path(
        "manage/affiliations/<int:pk>/decide/",
        views.decide_affiliation,
        name="decide_affiliation",
    ),
]
