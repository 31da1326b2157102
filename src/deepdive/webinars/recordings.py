"""A held webinar's recording: its address and language, its captions, publishing it (which
needs every listed speaker's consent to be recorded) and unpublishing it; and what the
webinar's page shows of it.

Who may act: the webinar's hosts (``queries.is_host``) and the secretariat add recordings and
captions and publish; the secretariat alone unpublishes. Every service takes keyword
arguments, checks its actor (``PermissionDenied`` otherwise), writes in one transaction and
records one audit entry (``actions.WebinarAction``). What was typed and cannot be saved raises
``RecordingInvalid`` ({form field: [messages]}); a step that cannot be taken raises
``RecordingRefused``. Both are ``core.refusals.Refused``; nothing is written when raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import require, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.proposals.models import WEBINAR_LANGUAGES

from . import queries
from .actions import WebinarAction
from .interfaces import captions as vtt
from .interfaces import video
from .models import Captions, Recording, Speaker, Webinar
from .sessions import is_held

VIDEO_PROBLEMS = {
    video.NOT_AN_ADDRESS: gettext_lazy("Give the full address of the video (https://…)."),
    video.NOT_HTTPS: gettext_lazy("Give an address that starts with https://."),
    video.NOT_A_VIDEO: gettext_lazy(
        "This is not the address of a video: give a YouTube, Vimeo or PeerTube video page, "
        "or a video file's address ending in .mp4 or .webm."
    ),
}
CAPTIONS_PROBLEMS = {
    "empty": gettext_lazy("The captions are empty."),
    "encoding": gettext_lazy("The file is not text in UTF-8 or UTF-16: save it as UTF-8."),
    "signature": gettext_lazy("Line %(line)s: a WebVTT file starts with the line WEBVTT."),
    "timing": gettext_lazy(
        "Line %(line)s: the timing cannot be read (it looks like 00:01:02.500 --> 00:01:05.000)."
    ),
    "order": gettext_lazy("Line %(line)s: the caption ends before it starts."),
    "arrow": gettext_lazy("Line %(line)s: a caption's text cannot hold “-->”."),
    "no_cues": gettext_lazy("No caption was found: is the file complete?"),
    "not_captions": gettext_lazy("Line %(line)s: these are neither WebVTT nor SRT captions."),
}
LANGUAGES = [code for code, _name in WEBINAR_LANGUAGES]
PROVIDER_NAMES: dict[str, str] = {
    video.YOUTUBE: "YouTube",
    video.VIMEO: "Vimeo",
    video.PEERTUBE: "PeerTube",
}


class RecordingRefused(Refused):
    """The step cannot be taken now; the message says why."""


class RecordingInvalid(Refused):
    """What was typed cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


def _held(webinar: Webinar) -> None:
    if not is_held(webinar):
        raise RecordingRefused(_("A recording can be added once the webinar has been held."))


def _language(code: str, field_name: str) -> dict[str | None, list[str]]:
    if code in LANGUAGES:
        return {}
    return {field_name: [_("Choose a language from the list.")]}


def add_recording(*, actor: User, webinar: Webinar, url: str, language: str) -> Recording:
    """Add the recording of ``webinar`` in ``language`` (or change its address): a YouTube,
    Vimeo or PeerTube video page, or a video file's https address (.mp4, .webm).

    Refused: neither a host nor the secretariat (PermissionDenied); a webinar not held
    (``RecordingRefused``); an address that is not a video's, or an unknown language
    (``RecordingInvalid``, fields ``url``, ``language``).

    Side effects: one ``Recording`` created or its address changed (nothing when it is the
    same); one audit entry ("webinars.recording_saved").
    """
    require(queries.hosts_or_secretariat(actor, webinar))
    errors = _language(language, "language")
    try:
        found = video.recognise(url)
    except video.NotAVideo as exc:
        errors["url"] = [str(VIDEO_PROBLEMS[exc.reason])]
    if errors:
        raise RecordingInvalid(errors)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _held(webinar)
        recording = (
            Recording.objects.select_for_update().filter(webinar=webinar, language=language).first()
        )
        if recording is None:
            recording = Recording.objects.create(
                webinar=webinar,
                language=language,
                url=found.url,
                provider=found.provider,
                video_id=found.video_id,
                added_by=actor,
            )
            audit.record(
                actor=actor,
                action=WebinarAction.RECORDING_SAVED,
                subject=webinar,
                summary=f"Recording of “{webinar.title}” ({language}) added: {found.url}",
                changes={"recording": [None, found.url]},
            )
        else:
            changes.update(
                recording,
                actor=actor,
                action=WebinarAction.RECORDING_SAVED,
                summary=f"Recording of “{webinar.title}” ({language}): address changed",
                url=found.url,
                provider=found.provider,
                video_id=found.video_id,
            )
    return recording


def save_captions(
    *, actor: User, recording: Recording, language: str, text: str | bytes
) -> Captions:
    """Save the recording's captions in ``language`` (replacing earlier ones): WebVTT is
    checked, SRT converted to WebVTT. ``text`` is pasted text, or a file's bytes (UTF-8 or
    UTF-16).

    Refused: neither a host nor the secretariat (PermissionDenied); a webinar not held
    (``RecordingRefused``); captions that are neither valid WebVTT nor SRT, or an unknown
    language (``RecordingInvalid``, fields ``captions``, ``captions_language``).

    Side effects: one ``Captions`` created or replaced; one audit entry
    ("webinars.captions_saved") with the number of cues, never their text.
    """
    webinar = recording.webinar
    require(queries.hosts_or_secretariat(actor, webinar))
    errors = _language(language, "captions_language")
    converted = ""
    try:
        converted = vtt.to_vtt(vtt.decode(text) if isinstance(text, bytes) else text)
        cues = len(vtt.parse_vtt(converted))
    except vtt.CaptionsInvalid as exc:
        errors["captions"] = [str(CAPTIONS_PROBLEMS[exc.problem]) % {"line": exc.line}]
    if errors:
        raise RecordingInvalid(errors)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _held(webinar)
        recording = changes.locked(Recording, pk=recording.pk)
        found, created = Captions.objects.update_or_create(
            recording=recording, language=language, defaults={"vtt": converted}
        )
        audit.record(
            actor=actor,
            action=WebinarAction.CAPTIONS_SAVED,
            subject=webinar,
            summary=f"Captions ({language}) of the recording ({recording.language}) of "
            f"“{webinar.title}”: {cues} cues",
            changes={"captions": [None if created else language, language]},
        )
    return found


def missing_consent(webinar: Webinar) -> list[str]:
    """The names of the listed speakers (and moderator) who have not agreed to be recorded."""
    return [
        speaker.name
        for speaker in Speaker.objects.filter(webinar=webinar, consents_to_recording=False)
    ]


def publish(*, actor: User, recording: Recording) -> Recording:
    """Publish the recording: shown on the webinar's page and in the library; the webinar's
    state becomes "recording published". Harmless when already published (nothing written).

    Refused: neither a host nor the secretariat (PermissionDenied); a webinar not held, or a
    listed speaker who has not agreed to be recorded (``RecordingRefused``, naming them).

    Side effects: ``published_at``, ``published_by``; the webinar's ``state``; one audit
    entry ("webinars.recording_published") with the state before and after.
    """
    require(queries.hosts_or_secretariat(actor, recording.webinar))
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=recording.webinar_id)
        _held(webinar)
        recording = changes.locked(Recording, pk=recording.pk)
        if recording.is_published:
            return recording
        names = missing_consent(webinar)
        if names:
            raise RecordingRefused(
                _(
                    "The recording cannot be published: these speakers have not agreed to be "
                    "recorded: %(names)s. Record their consent in the workspace's speakers."
                )
                % {"names": ", ".join(names)}
            )
        recording.published_at = timezone.now()
        recording.published_by = actor
        recording.save(update_fields=["published_at", "published_by", "updated_at"])
        before = webinar.state
        if before != Webinar.State.RECORDING_PUBLISHED:
            webinar.state = Webinar.State.RECORDING_PUBLISHED
            webinar.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.RECORDING_PUBLISHED,
            subject=webinar,
            summary=f"Recording of “{webinar.title}” ({recording.language}) published",
            changes={"state": [before, webinar.state], "recording": [None, recording.language]},
        )
    return recording


def unpublish(*, actor: User, recording: Recording) -> Recording:
    """Take the recording off the webinar's page and the library; when no other recording of
    the webinar stays published, its state goes back to "held". Harmless when not published.

    Refused: anyone but the secretariat (PermissionDenied).

    Side effects: ``published_at``, ``published_by`` cleared; the webinar's ``state``; one
    audit entry ("webinars.recording_unpublished").
    """
    require_secretariat(actor)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=recording.webinar_id)
        recording = changes.locked(Recording, pk=recording.pk)
        if not recording.is_published:
            return recording
        recording.published_at = None
        recording.published_by = None
        recording.save(update_fields=["published_at", "published_by", "updated_at"])
        before = webinar.state
        others = webinar.recordings.filter(published_at__isnull=False).exists()
        if before == Webinar.State.RECORDING_PUBLISHED and not others:
            webinar.state = Webinar.State.HELD
            webinar.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=actor,
            action=WebinarAction.RECORDING_UNPUBLISHED,
            subject=webinar,
            summary=f"Recording of “{webinar.title}” ({recording.language}) unpublished",
            changes={"state": [before, webinar.state], "recording": [recording.language, None]},
        )
    return recording


# ------------------------------------------------------------------------- what pages show


def language_name(code: str) -> str:
    return str(dict(WEBINAR_LANGUAGES).get(code, code))


@dataclass(frozen=True)
class CaptionsLink:
    language: str
    name: str
    download_url: str
    transcript_url: str


@dataclass(frozen=True)
class Player:
    """A published recording as the click-to-load player shows it."""

    recording: Recording
    video: video.Video
    language_name: str
    captions: list[CaptionsLink] = field(default_factory=list)

    @property
    def provider_name(self) -> str:
        """Where the player loads from, in the button's words."""
        if self.video.is_file:
            return self.video.origin.removeprefix("https://")
        return PROVIDER_NAMES.get(self.recording.provider, self.recording.provider)


def captions_links(recording: Recording) -> list[CaptionsLink]:
    return [
        CaptionsLink(
            language=found.language,
            name=language_name(found.language),
            download_url=reverse("webinars:captions", kwargs={"pk": found.pk}),
            transcript_url=reverse("webinars:transcript", kwargs={"pk": found.pk}),
        )
        for found in recording.captions.all()
    ]


def players(webinar: Webinar) -> list[Player]:
    """The webinar's published recordings, each with its player and captions."""
    shown = []
    for recording in webinar.recordings.filter(published_at__isnull=False).prefetch_related(
        "captions"
    ):
        try:
            found = video.recognise(recording.url)
        except video.NotAVideo:
            continue  # stored before a rule changed: not shown rather than broken
        shown.append(
            Player(recording, found, language_name(recording.language), captions_links(recording))
        )
    return shown


def page_sections(webinar: Webinar, *, user: Any) -> dict[str, Any]:
    """What the webinar's page shows of its recordings to ``user``: the published players,
    and the link to the recordings' page for the hosts and the secretariat of a held webinar."""
    return {
        "players": players(webinar),
        "may_add_recording": is_held(webinar) and queries.hosts_or_secretariat(user, webinar),
    }


def player_origins(webinar_pk: int) -> list[str]:
    """Where the published players of the webinar load from (for the page's policy)."""
    origins = []
    for url in Recording.objects.filter(
        webinar_id=webinar_pk, published_at__isnull=False
    ).values_list("url", flat=True):
        try:
            origin = video.recognise(url).origin
        except video.NotAVideo:
            continue
        if origin not in origins:
            origins.append(origin)
    return origins


def may_see_captions(user: Any, found: Captions) -> bool:
    """Published recordings' captions: anyone who may see the webinar's page; unpublished
    ones: the hosts and the secretariat."""
    recording = found.recording
    if recording.is_published and recording.webinar.is_published:
        return True
    return queries.hosts_or_secretariat(user, recording.webinar)
