from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("manage/outbox/", views.message_list, name="list"),
    path("manage/outbox/<int:pk>/", views.message_detail, name="detail"),
    path("manage/outbox/<int:pk>/retry/", views.message_retry, name="retry"),
    path("manage/outbox/<int:pk>/resend/", views.message_resend, name="resend"),
    path("manage/outbox/<int:pk>/mark-sent/", views.message_mark_sent, name="mark_sent"),
    path("manage/outbox/<int:pk>/edit/", views.message_edit, name="edit"),
    path("manage/outbox/<int:pk>/approve/", views.message_approve, name="approve"),
    path("manage/outbox/<int:pk>/discard/", views.message_discard, name="discard"),
    path("manage/outbox/batches/<str:batch>/", views.batch_detail, name="batch"),
    path("manage/outbox/batches/<str:batch>/approve/", views.batch_approve, name="approve_batch"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email-preferences/<str:token>/", views.preferences, name="preferences"),
]
