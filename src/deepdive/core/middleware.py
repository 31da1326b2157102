import zoneinfo
from urllib.parse import unquote

from django.utils import timezone, translation

from .timezones import TZ_COOKIE, canonical_zone, is_valid_zone


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
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
