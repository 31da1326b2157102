"""The secretariat's pages of proposals (``app_name`` "proposals" is set in urls.py)."""

from django.urls import path

from .views import secretariat

urlpatterns = [
    path(
        "manage/calls/<int:call_id>/proposals/",
        secretariat.manage_list,
        name="manage_list",
    ),
    path(
        "manage/calls/<int:call_id>/proposals/export/",
        secretariat.manage_export,
        name="manage_export",
    ),
    path("manage/proposals/<int:pk>/", secretariat.manage_detail, name="manage_detail"),
    path(
        "manage/co-submitters/<int:pk>/invite-contact/",
        secretariat.invite_contact,
        name="invite_contact",
    ),
]
