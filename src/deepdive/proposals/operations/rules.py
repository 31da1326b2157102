"""The rules a proposal is held to: what submitting needs, the description's word limit, and
the moment a change is judged by against the call's deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deepdive.series.models import Call

from ..wordcount import count_words
from .fields import ProposalData
from .refusals import DeadlinePassed

# A request is judged at its arrival (``at``, stamped by the server's first middleware) only if
# it arrived at most this long ago; an older or future time is not believed, and now is used.
ARRIVAL_TRUSTED_FOR = timedelta(minutes=15)


def description_problem(description: str, word_limit: int) -> str | None:
    """The message for a description over the call's limit, counted with ``count_words``."""
    words = count_words(description)
    if words > word_limit:
        return ngettext(
            "The description has %(words)s word; the limit is %(limit)s.",
            "The description has %(words)s words; the limit is %(limit)s.",
            words,
        ) % {"words": words, "limit": word_limit}
    return None


def submission_problems(*, call: Call, data: ProposalData) -> dict[str, list[str]]:
    """What a proposal still needs before it can be submitted, by form field."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: Any) -> None:
        problems.setdefault(name, []).append(str(message))

    if not data.contact_name.strip():
        add("contact_name", _("Give the name of the contact person."))
    if not data.contact_email.strip():
        add("contact_email", _("Give the contact person's e-mail address."))
    if not data.title.strip():
        add("title", _("Give a tentative title."))
    if not data.outcomes:
        add("outcomes", _("Choose at least one Outcome."))
    if not data.themes:
        add("themes", _("Choose at least one theme."))
    if not data.description.strip():
        add("description", _("Describe the session."))
    else:
        over = description_problem(data.description, call.word_limit)
        if over:
            add("description", over)
    if not any(s.name.strip() for s in data.speakers):
        add("speakers", _("Name at least one proposed speaker."))
    return problems


def judged_at(at: datetime | None) -> datetime:
    """The moment a change is judged by: ``at``, when the request arrived (a time the server
    stamped, never one the client sent), if it is in the last ARRIVAL_TRUSTED_FOR; else now.

    Under load a request may wait minutes between its arrival and its processing: one that
    arrived before the deadline is accepted."""
    now = timezone.now()
    if at is None or at > now or at < now - ARRIVAL_TRUSTED_FOR:
        return now
    return at


def check_open(call: Call, moment: datetime) -> None:
    """Raises DeadlinePassed unless ``call`` is open at ``moment``."""
    if not call.is_open_at(moment):
        raise DeadlinePassed(call, moment)
