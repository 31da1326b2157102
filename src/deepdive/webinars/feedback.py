"""The short feedback form of a held webinar, and its answers for the hosts and secretariat.

Each attendee thanked after the webinar (``follow_up``) gets their own signed link
(``feedback_url``): no login, valid ``FEEDBACK_DAYS``. The form asks how useful the webinar was
(1–5, required), one thing learned and the topics wished for next (both optional). One answer
per person: answering again through the same link updates it (``answer``).

The answers (``answers_of``) are shown to the webinar's hosts and the secretariat without any
name or address: the count, the usefulness distribution (only from ``SMALLEST_GROUP`` answers
on: a smaller group could be recognised) and the free-text answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from deepdive.core import audit, changes
from deepdive.core.permissions import Actor, require
from deepdive.core.refusals import Refused

from . import queries
from .actions import WebinarAction
from .models import Attendance, Feedback, Webinar

FEEDBACK_SALT = "deepdive.webinars.feedback"
# The link is in the thanks e-mail, which may wait for approval a few days: three months.
FEEDBACK_DAYS = 90
# Reports suppress groups smaller than five (the project's standards).
SMALLEST_GROUP = 5


class FeedbackRefused(Refused):
    """The feedback cannot be taken; the message says why (``expired``: the link is too old)."""

    def __init__(
        self,
        message: str = "",
        *,
        errors: dict[str | None, list[str]] | None = None,
        expired: bool = False,
    ):
        super().__init__(message, errors=errors)
        self.expired = expired


# ------------------------------------------------------------------------ the signed link


def feedback_token(attendance: Attendance) -> str:
    """The signed token of ``attendance``'s feedback form (valid ``FEEDBACK_DAYS``)."""
    return signing.dumps({"f": attendance.pk}, salt=FEEDBACK_SALT, compress=True)


def feedback_url(attendance: Attendance) -> str:
    path = reverse("webinars:feedback", kwargs={"token": feedback_token(attendance)})
    return settings.SITE_URL.rstrip("/") + path


def attendance_for(token: str) -> Attendance:
    """The attendance a feedback token names. ``FeedbackRefused`` for a changed token, an
    attendance no longer kept, a host's row, or a link older than ``FEEDBACK_DAYS``
    (``expired``)."""
    try:
        pk = signing.loads(token, salt=FEEDBACK_SALT, max_age=timedelta(days=FEEDBACK_DAYS))["f"]
    except signing.SignatureExpired as exc:
        raise FeedbackRefused(
            _("This feedback link has expired. Thank you all the same for taking part."),
            expired=True,
        ) from exc
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise FeedbackRefused(_("This feedback link is not valid.")) from exc
    found = (
        Attendance.objects.select_related("webinar__proposal__call__series", "feedback")
        .filter(pk=pk, counted_as_host=False)
        .first()
    )
    if found is None:
        raise FeedbackRefused(_("This feedback link is not valid."))
    return found


def feedback_of(attendance: Attendance) -> Feedback | None:
    """The person's answer so far (the form shows it to change it), or None."""
    return Feedback.objects.filter(attendance=attendance).first()


# ------------------------------------------------------------------------ answering


def answer(
    *,
    token: str,
    usefulness: int | None,
    learned: str = "",
    wished_topics: str = "",
    language: str = "",
) -> Feedback:
    """Keep the answer of the person the signed ``token`` names: a first answer is created,
    a later one replaces it (a double submit or a change of mind: never two answers).

    Refused (``FeedbackRefused``): a link not valid or expired; no usefulness, or one not
    from 1 to 5 (error on the field ``usefulness``). Side effects: the ``Feedback`` row; one
    audit entry ("webinars.feedback_given", without the answers) when something changed.
    """
    attendance = attendance_for(token)
    if usefulness not in Feedback.Usefulness.values:
        raise FeedbackRefused(errors={"usefulness": [_("Say how useful the webinar was.")]})
    values = {
        "usefulness": usefulness,
        "learned": learned.strip(),
        "wished_topics": wished_topics.strip(),
        "language": language[:8],
    }
    with transaction.atomic():
        # Two submits at once: the second waits for the first, then updates its answer.
        attendance = changes.locked(Attendance, pk=attendance.pk)
        existing = Feedback.objects.filter(attendance=attendance).first()
        if existing is not None:
            if all(getattr(existing, key) == value for key, value in values.items()):
                return existing
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=[*values, "updated_at"])
            feedback, summary = existing, "Feedback changed"
        else:
            feedback = Feedback.objects.create(
                webinar_id=attendance.webinar_id,
                attendance=attendance,
                registration_id=(
                    attendance.registration_id
                    if attendance.registration_id
                    and not Feedback.objects.filter(
                        registration_id=attendance.registration_id
                    ).exists()
                    else None
                ),
                **values,
            )
            summary = "Feedback given"
        # No answer and no name in the trail: the feedback is only the webinar's to read.
        audit.record(
            actor=None,
            action=WebinarAction.FEEDBACK_GIVEN,
            subject=attendance.webinar,
            summary=f"{summary} on webinar {attendance.webinar_id}",
        )
    return feedback


# ------------------------------------------------------------------------ the answers


@dataclass(frozen=True)
class UsefulnessCount:
    value: int
    label: str
    count: int


@dataclass(frozen=True)
class FeedbackAnswers:
    """What the answers' page shows: no name, no address, no date beside an answer."""

    count: int
    # None when fewer than SMALLEST_GROUP answered (the page says why).
    distribution: list[UsefulnessCount] | None
    learned: list[str]
    wished_topics: list[str]

    @property
    def suppressed(self) -> bool:
        return self.distribution is None and self.count > 0

    @property
    def smallest_group(self) -> int:
        return SMALLEST_GROUP


def answers_of(*, actor: Actor | None, webinar: Webinar) -> FeedbackAnswers:
    """The feedback on ``webinar`` for its hosts and the secretariat (PermissionDenied for
    anyone else): the count, the usefulness distribution from ``SMALLEST_GROUP`` answers on,
    and the free-text answers in the order given. Two queries."""
    # Not the platform: answers are read by a person.
    require(queries.hosts_or_secretariat(actor, webinar))
    rows = list(
        Feedback.objects.filter(webinar=webinar)
        .order_by("created_at", "pk")
        .values_list("usefulness", "learned", "wished_topics")
    )
    distribution = None
    if len(rows) >= SMALLEST_GROUP:
        distribution = [
            UsefulnessCount(value, str(label), sum(1 for row in rows if row[0] == value))
            for value, label in Feedback.Usefulness.choices
        ]
    return FeedbackAnswers(
        count=len(rows),
        distribution=distribution,
        learned=[row[1] for row in rows if row[1]],
        wished_topics=[row[2] for row in rows if row[2]],
    )
