"""Bounces and complaints reported later by an e-mail service (django-anymail's tracking
webhooks), turned into the consent services: nothing else is decided here.

The webhook URLs (``/anymail/<service>/tracking/``, e.g. ``/anymail/postmark/tracking/``)
answer only when ``ANYMAIL["WEBHOOK_SECRET"]`` is set (``DEEPDIVE_ANYMAIL_WEBHOOK_SECRET``,
"user:password" given to the service as HTTP basic auth): without it anyone could mark
addresses, so they answer 404. A request with a wrong secret is refused with 403 and changes
nothing.

The receiver is connected when this module is imported, which the URLs do (the project's
``urls.py`` mounts ``urlpatterns`` at ``/anymail/``): the signal is only sent by these views.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

# django-anymail ships no type information (no py.typed): its names are Any here.
from anymail.exceptions import AnymailWebhookValidationFailure  # type: ignore[import-untyped]
from anymail.signals import (  # type: ignore[import-untyped]
    AnymailTrackingEvent,
    EventType,
    tracking,
)
from anymail.urls import urlpatterns as anymail_urlpatterns  # type: ignore[import-untyped]
from django.conf import settings
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern

from . import consent
from .models import Suppression

log = logging.getLogger(__name__)


@receiver(tracking, dispatch_uid="deepdive.outbox.webhooks.tracked")
def tracked(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """One event of the e-mail service: a bounce (anymail's "bounced": the service gave up
    on the address), a complaint, or an unsubscription from the service's own link. Other
    events (delivered, deferred, opened …) change nothing."""
    address = event.recipient or ""
    if not address:
        return
    detail = f"{esp_name}: {event.mta_response or event.description or event.event_type}"
    if event.event_type == EventType.BOUNCED:
        consent.mark_bounced(address=address, error=detail)
    elif event.event_type == EventType.COMPLAINED:
        consent.mark_complained(address=address, detail=detail)
    elif event.event_type == EventType.UNSUBSCRIBED:
        consent.unsubscribe(address=address, scope=Suppression.Scope.ALL)


def _only_with_secret(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The webhook view, answering 404 while no secret is set, and 403 (not anymail's 400)
    to a request without the right secret."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure as refused:
            log.warning("E-mail service webhook refused: %s", refused)
            return HttpResponseForbidden()

    return guarded


app_name = "anymail"
urlpatterns = [
    URLPattern(p.pattern, _only_with_secret(p.callback), p.default_args, p.name)
    for p in anymail_urlpatterns
    if isinstance(p, URLPattern) and "tracking" in (p.name or "")  # no inbound mail here
]
