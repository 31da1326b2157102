"""A webinar's sessions: the first (the webinar itself) and, for an audience its start leaves
outside their hours, a published repeat (``RepeatSession``). Both have ``starts_at``,
``ends_at``, ``uid`` and ``sequence``; a registration attends one (``Registration.session``).

Reads only: the repeat is added, moved and removed by ``repeats.py``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from .models import RepeatSession, Webinar

Session = Webinar | RepeatSession

# The value of each session in a form's choice ("Which session suits you?").
FIRST = "first"
REPEAT = "repeat"


def repeat_of(webinar: Webinar) -> RepeatSession | None:
    """The webinar's repeat, published or not (``None`` without one)."""
    try:
        return webinar.repeat
    except ObjectDoesNotExist:
        return None


def published_repeat(webinar: Webinar) -> RepeatSession | None:
    """The repeat that registrants may choose and pages show: published, not cancelled, of a
    published webinar."""
    repeat = repeat_of(webinar)
    if repeat is None or not repeat.is_published or not webinar.is_published:
        return None
    return repeat


def published_sessions(webinar: Webinar) -> list[Session]:
    """The sessions a page shows, first then repeat (the repeat only when published)."""
    repeat = published_repeat(webinar)
    return [webinar] if repeat is None else [webinar, repeat]


def label(session: Session) -> str:
    """ "First session" or "Repeat session", as pages and e-mails name them."""
    return _("Repeat session") if isinstance(session, RepeatSession) else _("First session")


def key(session: Session) -> str:
    return REPEAT if isinstance(session, RepeatSession) else FIRST


def by_key(webinar: Webinar, value: str) -> Session | None:
    """The published session a form's choice names, or ``None``."""
    if value == FIRST:
        return webinar
    if value == REPEAT:
        return published_repeat(webinar)
    return None


def last_end(webinar: Webinar) -> datetime | None:
    """When the webinar's last published session ends (the webinar is held after it)."""
    ends = [session.ends_at for session in published_sessions(webinar) if session.ends_at]
    return max(ends) if ends else webinar.ends_at
