from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.dashboard, name="dashboard"),
    path("manage/", views.manage, name="manage"),
    path("language/", views.set_language, name="set_language"),
    path("timezone/", views.choose_timezone, name="timezone"),
]
