from django.urls import path

from .views import public

app_name = "webinars"
urlpatterns = [
    path("series/<slug:slug>/", public.programme, name="programme"),
    path("webinars/<int:pk>/", public.detail, name="detail"),
    path("webinars/<int:pk>/calendar.ics", public.ics, name="ics"),
    path("webinars/<int:pk>/register/", public.register, name="register"),
    path("webinars/<int:pk>/cancel/", public.cancel, name="cancel"),
    path("series/<slug:slug>/calendar.ics", public.feed, name="feed"),
]
