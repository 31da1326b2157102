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
]
