"""A webinar's sessions: the first (the webinar itself) and, for an audience its start leaves
outside their hours, a published repeat (``RepeatSession``). Both have ``starts_at``,
``ends_at``, ``uid`` and ``sequence``; a registration attends one (``Registration.session``).

Reads only: the repeat is added, moved and removed by ``repeats.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
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


def clash(
    webinar: Webinar, *, first: datetime | None, repeat: datetime | None, moving: str
) -> dict[str | None, list[str]]:
    """The refusal's field errors (beside the form's "time" field) when the first session
    starting at ``first`` and the repeat starting at ``repeat`` (their planned times) would run
    at the same time, else {}: the audience of one could not attend the other. ``moving``
    (``FIRST`` or ``REPEAT``) names the session whose time is being chosen. Used when either is
    placed, so the same rule holds from both sides."""
    if first is None or repeat is None:
        return {}
    length = timedelta(minutes=webinar.minutes)
    if not (first < repeat + length and repeat < first + length):
        return {}
    if moving == REPEAT:
        message = _(
            "The repeat would run at the same time as the first session: choose a time when it "
            "has ended."
        )
    else:
        message = _(
            "The first session would run at the same time as its repeat session: choose a "
            "time when the repeat has ended or not begun."
        )
    return {"time": [message]}


def last_end(webinar: Webinar) -> datetime | None:
    """When the webinar's last published session ends (the webinar is held after it)."""
    ends = [session.ends_at for session in published_sessions(webinar) if session.ends_at]
    return max(ends) if ends else webinar.ends_at


def is_held(webinar: Webinar, now: datetime | None = None) -> bool:
    """Held, or its end has passed (the scheduler marks it held a little later): from then
    on its attendance is imported, its recording added and its follow-up drafted."""
    if webinar.state in (Webinar.State.HELD, Webinar.State.RECORDING_PUBLISHED):
        return True
    ends = webinar.ends_at
    return (
        webinar.state != Webinar.State.CANCELLED
        and ends is not None
        and ends <= (now or timezone.now())
    )
