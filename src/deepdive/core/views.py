"""The pages of the floor: choosing a time zone by hand, the server error page, the favicon.
The home pages, the language switch and the 403 and 404 pages need the apps above: they are in
``deepdive.dashboard``."""

from django.http import HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from .forms import TimezoneForm
from .timezones import TZ_COOKIE


def safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def choose_timezone(request):
    """For readers without an account (or without JavaScript): pick the zone by hand."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = TimezoneForm(request.POST or None, initial={"timezone": request.timezone_name})
    if request.method == "POST" and form.is_valid():
        response = redirect(safe_next(request))
        response.set_cookie(
            TZ_COOKIE, form.cleaned_data["timezone"], max_age=365 * 24 * 3600, samesite="Lax"
        )
        return response
    return render(request, "core/timezone.html", {"form": form, "next": safe_next(request)})


# ------------------------------------------------------------------- the error pages


def server_error(request):
    """500: a page of its own, styled like the site, that needs no database and no request
    context (the error may come from either)."""
    try:
        html = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()})
    except Exception:  # the last resort must answer
        html = "<!doctype html><title>Server error</title><h1>Server error (500)</h1>"
    return HttpResponseServerError(html)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
