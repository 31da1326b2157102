"""The e-mails to reviewers: their assignment and the reminders, in their language."""

from django.conf import settings
from django.urls import reverse

from deepdive.accounts.operations import language_of
from deepdive.outbox.operations import queue_templated_email
from deepdive.proposals.models import Proposal

from ..models import Reviewer, ReviewRound


def _mine_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reviews:mine")


def _recipient(reviewer: Reviewer) -> tuple[str, str]:
    """The address and language to write to a reviewer in."""
    if reviewer.user is not None:
        return reviewer.user.email, language_of(reviewer.user)
    languages = dict(settings.LANGUAGES)
    spoken = [code for code in reviewer.languages or [] if code in languages]
    return reviewer.email, spoken[0] if spoken else settings.LANGUAGE_CODE


def email_reviewer(
    *,
    reviewer: Reviewer,
    prefix: str,
    kind: str,
    round_: ReviewRound,
    proposals: list[Proposal],
) -> None:
    address, language = _recipient(reviewer)
    queue_templated_email(
        to=address,
        template_prefix=prefix,
        context={
            "reviewer": reviewer,
            "name": reviewer.user.get_full_name() if reviewer.user is not None else "",
            "call": round_.call,
            "round": round_,
            "proposals": proposals,
            "mine_url": _mine_url(),
        },
        language=language,
        kind=kind,
        related=reviewer,
    )
