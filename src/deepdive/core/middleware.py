import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone, translation

from .timezones import TZ_COOKIE, canonical_zone, is_valid_zone

# The language a signed-in reader switched to with a plain GET: for this session only.
SESSION_LANGUAGE = "deepdive_language"


class ArrivalTimeMiddleware:
    """Stamps ``request.arrived_at``, the server's clock when the request reached the
    platform, before any other middleware runs: a deadline is judged by it, not by the moment
    a busy server gets round to the request (a time sent by the client is never trusted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = timezone.now()
        return self.get_response(request)


def arrival_time(request):
    """When ``request`` reached the platform (``ArrivalTimeMiddleware``), else now."""
    return getattr(request, "arrived_at", None) or timezone.now()


class UserPreferencesMiddleware:
    """Shows every time in the reader's zone and keeps a signed-in user's language.

    The zone comes from the profile, else from the cookie the browser's script sets from
    ``Intl.DateTimeFormat``, else UTC. The page always names the zone it uses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and is_valid_zone(user.timezone):
            zone = user.timezone
        elif is_valid_zone(cookie := unquote(request.COOKIES.get(TZ_COOKIE, ""))):
            # browsers still report old names (Asia/Katmandu): show the current one
            zone = canonical_zone(cookie)
        request.timezone_name = zone or "UTC"
        request.timezone_guessed = zone is None
        timezone.activate(zoneinfo.ZoneInfo(request.timezone_name))
        if user is not None and user.is_authenticated:
            # the language chosen for this session (a GET switch) wins over the account's
            language = request.session.get(SESSION_LANGUAGE) or user.language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# The pages' own policy: no inline script or style anywhere, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Django's admin change lists carry a <style> block; the admin alone may use inline style.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy on every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = (
                ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
            )
        return response


class AnonymousGZipMiddleware(GZipMiddleware):
    """Compresses only what holds no secret, against BREACH: responses to a GET or HEAD from
    a reader without a session, whose page did not use the CSRF token."""

    def process_response(self, request, response):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or getattr(getattr(request, "user", None), "is_authenticated", False)
            # the page used the CSRF token: the middleware then (re)sends its cookie
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or settings.CSRF_COOKIE_NAME in response.cookies
            or settings.SESSION_COOKIE_NAME in response.cookies
        ):
            return response
        return super().process_response(request, response)
