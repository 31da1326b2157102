from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("manage/outbox/", views.message_list, name="list"),
    path("manage/outbox/<int:pk>/", views.message_detail, name="detail"),
    path("manage/outbox/<int:pk>/retry/", views.message_retry, name="retry"),
]
