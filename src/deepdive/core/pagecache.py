"""A short-lived cache of whole public pages for readers who are not signed in.

Public pages carry nothing personal for an anonymous reader (no CSRF token: the language
switch is a plain GET form), so the same HTML serves every anonymous reader with the same
language, time zone and address. A page is never cached when it shows a one-time message.
"""

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language


def anonymous_page(
    request: HttpRequest, *, key: str, seconds: int, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """``render()``'s response, or the copy kept for ``seconds`` for the same anonymous reader
    view of ``key``. Signed-in readers, other methods and pages with messages are not cached."""
    if (
        request.method != "GET"
        or request.user.is_authenticated
        or seconds <= 0
        or len(messages.get_messages(request))
    ):
        return render()
    reader = "|".join(
        [
            key,
            get_language() or "",
            getattr(request, "timezone_name", ""),
            # a guessed zone's page asks the browser's script to redraw its times
            "guessed" if getattr(request, "timezone_guessed", False) else "",
            request.get_full_path(),
        ]
    )
    cache_key = "page:" + hashlib.sha256(reader.encode()).hexdigest()
    content = cache.get(cache_key)
    if content is not None:
        return HttpResponse(content)
    response = render()
    if response.status_code == 200 and not response.cookies:
        cache.set(cache_key, response.content, seconds)
    return response
