"""Who may act: named checks, made on the server for every object.

The views use them to answer a request (403 or the log-in page) and every service calls them
again on its ``actor``, so a service called from a task, a command or another app is as safe as
one called from its view. A check that is about one object of an app (may this person edit
this proposal?) lives in that app's ``access`` module and is built on these.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class Actor(Protocol):
    """Who acts in a service: a signed-in person, an anonymous visitor or ``None`` (the
    platform itself: a task, the scheduler, a command)."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...


def is_signed_in(actor: Actor | None) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def is_secretariat(actor: Actor | None) -> bool:
    """A signed-in member of the secretariat."""
    return is_signed_in(actor) and bool(getattr(actor, "is_secretariat", False))


def require_secretariat(actor: Actor | None) -> None:
    """Refuse anyone but the secretariat."""
    if not is_secretariat(actor):
        raise PermissionDenied(_("This page is for the secretariat only."))


def require_signed_in(actor: Actor | None) -> None:
    """Refuse an anonymous visitor."""
    if not is_signed_in(actor):
        raise PermissionDenied


def require(allowed: bool, message: str = "") -> None:
    """Refuse unless ``allowed``: for a check an app names in its ``access`` module."""
    if not allowed:
        raise PermissionDenied(message) if message else PermissionDenied


def secretariat_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only the secretariat: others get 403, anonymous readers the log-in page."""

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_secretariat(request.user)
        return view(request, *args, **kwargs)

    return wrapper
