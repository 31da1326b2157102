"""The site's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from deepdive.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *urlpatterns]
