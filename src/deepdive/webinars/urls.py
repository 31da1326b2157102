from django.urls import path

from .views import (
    attendance,
    board,
    cancellation,
    library,
    public,
    recordings,
    registrations,
    workspace,
)
from .views import feedback as feedback_views

app_name = "webinars"
urlpatterns = [
    path("series/<slug:slug>/", public.programme, name="programme"),
    path("webinars/<int:pk>/", public.detail, name="detail"),
    path("webinars/<int:pk>/calendar.ics", public.ics, name="ics"),
    path("webinars/<int:pk>/register/", public.register, name="register"),
    path("webinars/<int:pk>/cancel/", public.cancel, name="cancel"),
    path("series/<slug:slug>/calendar.ics", public.feed, name="feed"),
    path(
        "webinars/<int:pk>/register/public/",
        registrations.register_public,
        name="register_public",
    ),
    path(
        "registrations/confirm/<str:token>/",
        registrations.confirm,
        name="confirm_registration",
    ),
    path("registrations/<str:token>/", registrations.my_registration, name="my_registration"),
    path(
        "manage/series/<slug:slug>/registration-questions/",
        registrations.questions,
        name="registration_questions",
    ),
    path("webinars/<int:pk>/workspace/", workspace.workspace, name="workspace"),
    path("webinars/<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("webinars/<int:pk>/attendance.csv", attendance.attendance_csv, name="attendance_csv"),
    path("webinars/materials/<int:pk>/", workspace.material, name="material"),
    path("manage/series/<slug:slug>/webinars/", board.board, name="board"),
    path("manage/webinars/<int:pk>/cancel/", cancellation.cancel_webinar, name="cancel_webinar"),
    path("manage/webinars/<int:pk>/remind-host/", board.remind_host, name="remind_host"),
    path("manage/webinars/<int:pk>/capacity/", board.capacity, name="capacity"),
    path("webinars/<int:pk>/recordings/", recordings.manage, name="recordings"),
    path("webinars/captions/<int:pk>.vtt", recordings.captions, name="captions"),
    path("webinars/captions/<int:pk>/transcript/", recordings.transcript, name="transcript"),
    path("webinars/recordings/<int:pk>/play/", recordings.play, name="recording_play"),
    path("library/", library.library, name="library"),
    path("webinars/feedback/<str:token>/", feedback_views.form, name="feedback"),
    path("webinars/feedback/<str:token>/thanks/", feedback_views.thanks, name="feedback_thanks"),
    path("webinars/<int:pk>/feedback/", feedback_views.answers, name="feedback_answers"),
]
