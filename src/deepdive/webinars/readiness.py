"""The readiness checklist of a webinar, computed from the host's workspace (never ticked by
hand): what the series needs before the secretariat can publish the webinar as ready, and what
is missing, in plain words.

``checklist(webinar)`` reads the webinar with its agenda and speakers (prefetch them for a
list: ``queries.with_workspace``) and returns one ``Check`` per item, in the order a host works
through them; ``missing(webinar)`` only the sentences of what is not done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Speaker, Webinar


@dataclass(frozen=True)
class Check:
    """One item of the checklist: ``key`` for the page's anchors, ``label`` what it is, and,
    when not ``done``, ``missing`` what is left to do."""

    key: str
    label: str
    done: bool
    missing: str = ""


def _description(webinar: Webinar) -> Check:
    written = [code for code, text in (webinar.descriptions or {}).items() if str(text).strip()]
    return Check(
        "description",
        _("Public description"),
        bool(written),
        "" if written else _("Write the public description in at least one language."),
    )


def _agenda(webinar: Webinar) -> Check:
    items = list(webinar.agenda.all())
    total = sum(item.minutes for item in items)
    if not items:
        missing = _("Add the agenda, with a duration for each item.")
    elif total != webinar.minutes:
        missing = _(
            "The agenda lasts %(total)s minutes; the webinar lasts %(minutes)s. Make them agree."
        ) % {"total": total, "minutes": webinar.minutes}
    else:
        missing = ""
    return Check("agenda", _("Agenda"), not missing, missing)


def _speakers(webinar: Webinar) -> list[Check]:
    people = list(webinar.speakers.all())
    speakers = [p for p in people if p.role == Speaker.Role.SPEAKER]
    moderators = [p for p in people if p.role == Speaker.Role.MODERATOR]
    unconsented = [p.name for p in people if not p.consents_to_listing]
    if not speakers:
        speaker_missing = _("Add at least one speaker.")
    elif unconsented:
        speaker_missing = _("Ask %(names)s to agree to be listed publicly, or remove them.") % {
            "names": ", ".join(unconsented)
        }
    else:
        speaker_missing = ""
    return [
        Check("speakers", _("Speakers"), not speaker_missing, speaker_missing),
        Check(
            "moderator",
            _("Moderator"),
            bool(moderators),
            "" if moderators else _("Name the moderator."),
        ),
    ]


def _languages(webinar: Webinar) -> Check:
    if not webinar.languages_spoken:
        missing = _("Say which languages will be spoken.")
    elif webinar.interpretation and not webinar.interpretation_by.strip():
        missing = _("Say who arranges the interpretation.")
    else:
        missing = ""
    return Check("languages", _("Languages and interpretation"), not missing, missing)


def _technical(webinar: Webinar) -> Check:
    if not webinar.platform:
        missing = _("Choose the meeting platform.")
    elif not webinar.joining_url.startswith("https://"):
        missing = _("Give the joining link (it starts with https://).")
    elif webinar.test_call_on is None:
        missing = _("Set a date for the test call.")
    else:
        missing = ""
    return Check("technical", _("Technical set-up"), not missing, missing)


def checklist(webinar: Webinar) -> list[Check]:
    """Every item of the checklist, done or not."""
    return [
        _description(webinar),
        _agenda(webinar),
        *_speakers(webinar),
        _languages(webinar),
        _technical(webinar),
    ]


def missing(webinar: Webinar) -> list[str]:
    """What is left to do, one sentence each; empty when the webinar can be submitted."""
    return [check.missing for check in checklist(webinar) if not check.done]


def is_complete(webinar: Webinar) -> bool:
    return not missing(webinar)
