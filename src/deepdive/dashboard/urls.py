from django.urls import path

from deepdive.core import views as core_views

from . import views

# The site's own pages keep the names they had in ``core`` (core:home, core:dashboard…), by
# which every template and link knows them.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.dashboard, name="dashboard"),
    path("manage/", views.manage, name="manage"),
    path("language/", views.set_language, name="set_language"),
    path("timezone/", core_views.choose_timezone, name="timezone"),
]
