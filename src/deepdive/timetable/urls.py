from django.urls import path

from . import views

app_name = "timetable"

urlpatterns = [
    path("manage/calls/<int:call_id>/timetable/", views.plan, name="plan"),
    path("manage/calls/<int:call_id>/timetable/rules/", views.rules, name="rules"),
    path("manage/calls/<int:call_id>/timetable/run/", views.run, name="run"),
    path("manage/calls/<int:call_id>/timetable/publish/", views.publish, name="publish"),
    path("manage/webinars/<int:pk>/", views.webinar, name="webinar"),
    path("manage/webinars/<int:pk>/move/", views.move, name="move"),
    path("manage/webinars/<int:pk>/repeat/add/", views.add_repeat, name="add_repeat"),
    path("manage/webinars/<int:pk>/repeat/move/", views.move_repeat, name="move_repeat"),
    path("manage/webinars/<int:pk>/repeat/remove/", views.remove_repeat, name="remove_repeat"),
]
