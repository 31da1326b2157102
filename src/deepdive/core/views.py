from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language

from deepdive.accounts import operations as account_operations
from deepdive.series.queries import public_series

from . import queries
from .forms import TimezoneForm
from .permissions import secretariat_required
from .timezones import TZ_COOKIE


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def home(request):
    return render(request, "core/home.html", {"series_list": public_series()})


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", queries.dashboard_for(request.user))


@secretariat_required
def manage(request):
    return render(request, "core/manage.html", queries.secretariat_overview())


def set_language(request):
    """Switch language; the cookie keeps it, and a signed-in user's profile too.

    A plain GET form on every page, so public pages carry no CSRF token and can be cached for
    anonymous readers; it changes nothing but the reader's own display language."""
    language = (request.POST or request.GET).get("language", "")
    response = redirect(_safe_next(request))
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        account_operations.update_preferences(
            actor=request.user, user=request.user, language=language
        )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response


def choose_timezone(request):
    """For readers without an account (or without JavaScript): pick the zone by hand."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = TimezoneForm(request.POST or None, initial={"timezone": request.timezone_name})
    if request.method == "POST" and form.is_valid():
        response = redirect(_safe_next(request))
        response.set_cookie(
            TZ_COOKIE, form.cleaned_data["timezone"], max_age=365 * 24 * 3600, samesite="Lax"
        )
        return response
    return render(request, "core/timezone.html", {"form": form, "next": _safe_next(request)})
