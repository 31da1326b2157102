"""The site's own pages, above every app: the home page, a person's dashboard, the
secretariat's manage home, the language switch, and the 403 and 404 pages (which name pending
affiliations and the programmes)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import check_for_language

from deepdive.accounts import operations as account_operations
from deepdive.core.middleware import SESSION_LANGUAGE
from deepdive.core.permissions import secretariat_required
from deepdive.core.views import safe_next
from deepdive.series.queries import public_series

from . import queries


def home(request):
    return render(request, "dashboard/home.html", {"series_list": public_series()})


@login_required
def dashboard(request):
    return render(request, "dashboard/dashboard.html", queries.dashboard_for(request.user))


@secretariat_required
def manage(request):
    return render(request, "dashboard/manage.html", queries.secretariat_overview())


def set_language(request):
    """Switch language; the cookie keeps it, and a signed-in user's profile too on POST.

    For anonymous readers a plain GET form on every page, so public pages carry no CSRF token
    and can be cached; a GET changes nothing but the display language of this browser (and of
    the signed-in session). Only a POST (the signed-in reader's form) writes to the account:
    a link must not change what is stored."""
    language = (request.POST or request.GET).get("language", "")
    response = redirect(safe_next(request))
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        if request.method == "POST":
            account_operations.update_preferences(
                actor=request.user, user=request.user, language=language
            )
            request.session.pop(SESSION_LANGUAGE, None)
        else:
            request.session[SESSION_LANGUAGE] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response


def permission_denied(request, exception=None):
    """403 in the site's layout and the reader's language: why, and the way on."""
    reason = str(exception) if exception is not None and str(exception) else ""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    next_query = urlencode({"next": request.get_full_path()})
    context = {
        "reason": reason,
        "signed_in": signed_in,
        "pending": list(queries.pending_organisations(user)) if signed_in else [],
        "login_url": f"{reverse(settings.LOGIN_URL)}?{next_query}",
    }
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None):
    """404 in the site's layout and the reader's language, with a search and the programmes."""
    try:
        series_list = list(public_series()[:10])
    except DatabaseError:
        series_list = []
    return render(request, "404.html", {"series_list": series_list}, status=404)
