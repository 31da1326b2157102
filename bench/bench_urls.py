"""Deep Dive's URLs plus one bare view, the benchmark's baseline."""

from django.http import HttpResponse
from django.urls import path

from deepdive.urls import urlpatterns as deepdive_urlpatterns


def bare(request):
    """A fixed string: what every request costs before Deep Dive does anything."""
    return HttpResponse("ok")


urlpatterns = [*deepdive_urlpatterns, path("bench/bare/", bare, name="bench_bare")]
