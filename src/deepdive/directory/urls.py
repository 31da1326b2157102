from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.organisation_list, name="list"),
    path("directory/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("manage/directory/new/", views.organisation_create, name="create"),
    path("manage/directory/merge/", views.organisation_merge, name="merge"),
    path("manage/directory/import/", views.organisation_import, name="import"),
    path(
        "manage/directory/import/template.csv",
        views.import_template,
        name="import_template",
    ),
    path("manage/directory/export/", views.organisation_export, name="export"),
    path("manage/directory/<slug:slug>/edit/", views.organisation_edit, name="edit"),
]
