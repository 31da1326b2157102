"""The host's workspace of a webinar: what the hosts prepare (description, languages, agenda,
speakers, technical set-up, materials), their "ready" submission and the secretariat's answer.

Who may act: the hosts (``queries.is_host``: every verified contact of the host
organisations) and the secretariat; the secretariat alone approves or sends back. Every service
takes keyword arguments, checks its actor (``PermissionDenied`` otherwise), writes in one
transaction and records one audit entry (``actions.WebinarAction``). What cannot be saved
raises ``WorkspaceInvalid`` whose ``errors`` are {form field: [messages]}; a step that cannot
be taken raises ``WorkspaceRefused``. Both are ``core.refusals.Refused``.

Each change made by a host sets ``host_active_at``; a change to an approved webinar sets
``changed_after_approval`` (shown to the secretariat until it approves again). When a
published webinar's joining link, platform or dial-in change, its calendar ``sequence`` is
raised and, after the commit, every registrant gets the update
(``invitations.send_updates``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import is_secretariat, require, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.directory.models import Organisation

from . import invitations, queries, readiness, sessions
from .actions import WebinarAction
from .models import AgendaItem, Material, RepeatSession, Speaker, Webinar

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The types a material may have: content type → (extension, name shown to people).
MATERIAL_TYPES = {
    PDF: ("pdf", "PDF"),
    PPTX: ("pptx", "PowerPoint (PPTX)"),
    DOCX: ("docx", "Word (DOCX)"),
}
# The fields whose change, once published, is sent to every registrant.
JOINING_FIELDS = ("platform", "joining_url", "dial_in")


class WorkspaceRefused(Refused):
    """The step cannot be taken now; the message says why."""


class WorkspaceInvalid(Refused):
    """What was typed cannot be saved; ``errors`` is {form field: [messages]}."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(errors=errors)


@dataclass(frozen=True)
class AgendaLine:
    title: str
    minutes: int


@dataclass(frozen=True)
class Person:
    """A speaker or the moderator as typed in the workspace."""

    name: str
    role: str = Speaker.Role.SPEAKER
    title: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    bio: str = ""
    consents_to_listing: bool = False
    consents_to_recording: bool = False


def _check(actor: User, webinar: Webinar) -> None:
    require(queries.hosts_or_secretariat(actor, webinar))


def _open(webinar: Webinar) -> None:
    """Refuse changes to a webinar that is cancelled or has taken place."""
    if webinar.state in (
        Webinar.State.CANCELLED,
        Webinar.State.HELD,
        Webinar.State.RECORDING_PUBLISHED,
    ):
        raise WorkspaceRefused(
            _("This webinar is %(state)s: its workspace can no longer be changed.")
            % {"state": webinar.get_state_display()}
        )


def _touched(webinar: Webinar, actor: User, *, changed: bool) -> None:
    """After a change: the host's last activity, and the flag for the secretariat when the
    webinar was already approved. Call inside the transaction, on the locked row."""
    values: dict[str, Any] = {}
    if queries.is_host(actor, webinar) and not is_secretariat(actor):
        values["host_active_at"] = timezone.now()
    if changed and webinar.state == Webinar.State.READY and not is_secretariat(actor):
        values["changed_after_approval"] = True
    if values:
        for name, value in values.items():
            setattr(webinar, name, value)
        webinar.save(update_fields=[*values, "updated_at"])


def save_details(
    *,
    actor: User,
    webinar: Webinar,
    descriptions: Mapping[str, str],
    languages_spoken: Iterable[str],
    interpretation: Iterable[str],
    interpretation_by: str,
) -> Webinar:
    """The public description (one text per language of the series; an empty one is left
    out and shown as missing), the languages spoken, interpretation and who arranges it.

    Refused: neither a host nor the secretariat (PermissionDenied); a cancelled or past
    webinar (``WorkspaceRefused``); interpretation without who arranges it
    (``WorkspaceInvalid``, field ``interpretation_by``).

    Side effects: the webinar's fields; one audit entry ("webinars.workspace_saved") when
    something changed; ``host_active_at``; ``changed_after_approval`` after approval.
    """
    _check(actor, webinar)
    languages = list(webinar.call.series.languages or [])
    stored = {
        code: text.strip()
        for code, text in descriptions.items()
        if code in languages and text and text.strip()
    }
    interpretation = list(interpretation)
    if interpretation and not interpretation_by.strip():
        raise WorkspaceInvalid({"interpretation_by": [_("Say who arranges the interpretation.")]})
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _open(webinar)
        changed = changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.WORKSPACE_SAVED,
            summary=f"Workspace of “{webinar.title}”: description and languages saved",
            descriptions=stored,
            languages_spoken=list(languages_spoken),
            interpretation=interpretation,
            interpretation_by=interpretation_by.strip(),
        )
        _touched(webinar, actor, changed=bool(changed))
    return webinar


def save_technical(
    *,
    actor: User,
    webinar: Webinar,
    platform: str,
    joining_url: str,
    dial_in: str,
    test_call_on: date | None,
) -> Webinar:
    """The technical set-up: platform, joining link (https), dial-in numbers, test-call date.

    Refused: neither a host nor the secretariat (PermissionDenied); a cancelled or past
    webinar (``WorkspaceRefused``); an unknown platform or a joining link that is not https
    (``WorkspaceInvalid``).

    Side effects: the webinar's fields; one audit entry ("webinars.technical_saved") when
    something changed; ``host_active_at``; ``changed_after_approval`` after approval. When the
    webinar is published and its platform, joining link or dial-in changed: ``sequence`` + 1,
    and after the commit every registrant gets the update (``invitations.send_updates``); a
    published repeat session's ``sequence`` + 1 too, and its registrants get theirs.
    """
    _check(actor, webinar)
    joining_url = joining_url.strip()
    errors: dict[str | None, list[str]] = {}
    if platform and platform not in Webinar.Platform.values:
        errors["platform"] = [_("Choose a platform from the list.")]
    if joining_url and not joining_url.lower().startswith("https://"):
        errors["joining_url"] = [_("Give the joining link (it starts with https://).")]
    if errors:
        raise WorkspaceInvalid(errors)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _open(webinar)
        changed = changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.TECHNICAL_SAVED,
            summary=f"Workspace of “{webinar.title}”: technical set-up saved",
            platform=platform,
            joining_url=joining_url,
            dial_in=dial_in.strip(),
            test_call_on=test_call_on,
        )
        if webinar.is_published and any(name in changed for name in JOINING_FIELDS):
            webinar.sequence += 1
            webinar.save(update_fields=["sequence", "updated_at"])
            published = webinar
            transaction.on_commit(lambda: invitations.send_updates(webinar=published))
            # The repeat session's registrants share the link: their own event is updated too.
            repeat = sessions.published_repeat(webinar)
            if repeat is not None:
                RepeatSession.objects.filter(pk=repeat.pk).update(sequence=F("sequence") + 1)
                repeat.refresh_from_db(fields=["sequence"])
                transaction.on_commit(
                    lambda: invitations.send_updates(webinar=published, repeat=repeat)
                )
        _touched(webinar, actor, changed=bool(changed))
    return webinar


def save_agenda(*, actor: User, webinar: Webinar, items: Iterable[AgendaLine]) -> Webinar:
    """Replace the agenda with ``items``, in order. The durations add up to the webinar's
    length (an empty agenda may be saved: the checklist says it is missing).

    Refused: neither a host nor the secretariat (PermissionDenied); a cancelled or past
    webinar (``WorkspaceRefused``); an item without a title or with no minutes, or durations
    that do not add up (``WorkspaceInvalid``, key None).

    Side effects: the agenda items; one audit entry ("webinars.agenda_saved") with the old
    and new agenda, when it changed; ``host_active_at``; ``changed_after_approval``.
    """
    _check(actor, webinar)
    lines = [AgendaLine(item.title.strip(), int(item.minutes)) for item in items]
    if any(not line.title or line.minutes <= 0 for line in lines):
        raise WorkspaceInvalid({None: [_("Give each agenda item a title and its minutes.")]})
    total = sum(line.minutes for line in lines)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _open(webinar)
        if lines and total != webinar.minutes:
            raise WorkspaceInvalid(
                {
                    None: [
                        _(
                            "The agenda lasts %(total)s minutes; the webinar lasts %(minutes)s. "
                            "Make them agree."
                        )
                        % {"total": total, "minutes": webinar.minutes}
                    ]
                }
            )
        before = [[item.title, item.minutes] for item in webinar.agenda.all()]
        after = [[line.title, line.minutes] for line in lines]
        if before != after:
            webinar.agenda.all().delete()
            AgendaItem.objects.bulk_create(
                AgendaItem(webinar=webinar, position=n, title=line.title, minutes=line.minutes)
                for n, line in enumerate(lines)
            )
            audit.record(
                actor=actor,
                action=WebinarAction.AGENDA_SAVED,
                subject=webinar,
                summary=f"Agenda of “{webinar.title}”: {len(lines)} items, {total} minutes",
                changes={"agenda": [before, after]},
            )
        _touched(webinar, actor, changed=before != after)
    return webinar


def _person_row(person: Speaker | Person) -> list[Any]:
    organisation = getattr(person, "organisation_id", None)
    if isinstance(person, Person):
        organisation = person.organisation.pk if person.organisation else None
    return [
        person.role,
        person.name,
        person.title,
        organisation,
        person.organisation_name,
        person.bio,
        person.consents_to_listing,
        person.consents_to_recording,
    ]


def save_speakers(*, actor: User, webinar: Webinar, people: Iterable[Person]) -> Webinar:
    """Replace the speakers and the moderator with ``people``, in order.

    Refused: neither a host nor the secretariat (PermissionDenied); a cancelled or past
    webinar (``WorkspaceRefused``); a person without a name, or more than one moderator
    (``WorkspaceInvalid``, key None).

    Side effects: the speakers; one audit entry ("webinars.speakers_saved") with the names,
    roles and consents before and after (no bios), when they changed; ``host_active_at``;
    ``changed_after_approval``.
    """
    _check(actor, webinar)
    people = [p for p in people]
    if any(not p.name.strip() for p in people):
        raise WorkspaceInvalid({None: [_("Give each speaker a name.")]})
    if sum(1 for p in people if p.role == Speaker.Role.MODERATOR) > 1:
        raise WorkspaceInvalid({None: [_("Name one moderator only.")]})
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _open(webinar)
        before = [_person_row(p) for p in webinar.speakers.order_by("position", "pk")]
        after = [_person_row(p) for p in people]
        if before != after:
            webinar.speakers.all().delete()
            Speaker.objects.bulk_create(
                Speaker(
                    webinar=webinar,
                    position=n,
                    role=p.role,
                    name=p.name.strip(),
                    title=p.title.strip(),
                    organisation=p.organisation,
                    organisation_name="" if p.organisation else p.organisation_name.strip(),
                    bio=p.bio.strip(),
                    consents_to_listing=p.consents_to_listing,
                    consents_to_recording=p.consents_to_recording,
                )
                for n, p in enumerate(people)
            )

            def shown(rows: list[list[Any]]) -> list[list[Any]]:
                return [[row[0], row[1], row[6], row[7]] for row in rows]

            audit.record(
                actor=actor,
                action=WebinarAction.SPEAKERS_SAVED,
                subject=webinar,
                summary=f"Speakers of “{webinar.title}”: {len(people)}",
                changes={"speakers": [shown(before), shown(after)]},
            )
        _touched(webinar, actor, changed=before != after)
    return webinar


def max_material_bytes() -> int:
    return int(getattr(settings, "WEBINAR_MATERIAL_MAX_BYTES", 20 * 1024 * 1024))


def sniff(head: bytes, file: IO[bytes]) -> str:
    """The real type of a file from its content: PDF, DOCX or PPTX, else ""."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ""
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "ppt/presentation.xml" in names:
                return PPTX
    return ""


def add_material(
    *, actor: User, webinar: Webinar, title: str, upload: UploadedFile, visibility: str
) -> Material:
    """Upload a presentation or document: PDF, PPTX or DOCX (its real type, read from its
    content, matching the name's extension), at most ``WEBINAR_MATERIAL_MAX_BYTES``.

    Refused: neither a host nor the secretariat (PermissionDenied); a cancelled or past
    webinar (``WorkspaceRefused``); a file too big, of another type or not the type its name
    claims, an unknown visibility (``WorkspaceInvalid``, fields ``file``, ``visibility``).

    Side effects: one ``Material`` and its stored file; one audit entry
    ("webinars.material_added"); ``host_active_at``; ``changed_after_approval``.
    """
    _check(actor, webinar)
    errors: dict[str | None, list[str]] = {}
    limit = max_material_bytes()
    size = upload.size or 0
    if size > limit:
        errors["file"] = [
            _("This file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        ]
    else:
        upload.seek(0)
        real = sniff(upload.read(8), upload)
        claimed = PurePath(upload.name or "").suffix.lower().lstrip(".")
        if not real:
            errors["file"] = [_("Upload a PDF, PowerPoint (PPTX) or Word (DOCX) file.")]
        elif claimed != MATERIAL_TYPES[real][0]:
            errors["file"] = [
                _("This file is not the type its name claims: its content is %(type)s.")
                % {"type": MATERIAL_TYPES[real][1]}
            ]
    if visibility not in Material.Visibility.values:
        errors["visibility"] = [_("Choose who may see the file.")]
    if errors:
        raise WorkspaceInvalid(errors)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        _open(webinar)
        material = Material(
            webinar=webinar,
            title=title.strip() or PurePath(upload.name or "").stem,
            content_type=real,
            size=size,
            visibility=visibility,
            uploaded_by=actor,
        )
        material.file.save(PurePath(upload.name or "file").name, upload, save=False)
        material.save()
        audit.record(
            actor=actor,
            action=WebinarAction.MATERIAL_ADDED,
            subject=webinar,
            summary=f"Material “{material.title}” added to “{webinar.title}” ({visibility})",
            changes={"materials": [None, material.title]},
        )
        _touched(webinar, actor, changed=True)
    return material


def remove_material(*, actor: User, material: Material) -> None:
    """Remove a material and its file.

    Refused: neither a host nor the secretariat (PermissionDenied).

    Side effects: the ``Material`` deleted, its file deleted after the commit; one audit
    entry ("webinars.material_removed"); ``host_active_at``; ``changed_after_approval``.
    """
    webinar = material.webinar
    _check(actor, webinar)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=webinar.pk)
        stored = material.file
        title = material.title
        material.delete()
        audit.record(
            actor=actor,
            action=WebinarAction.MATERIAL_REMOVED,
            subject=webinar,
            summary=f"Material “{title}” removed from “{webinar.title}”",
            changes={"materials": [title, None]},
        )
        _touched(webinar, actor, changed=True)
        transaction.on_commit(lambda: stored.delete(save=False))


def _never(webinar: Webinar) -> bool:
    return False


def _no_refusal(webinar: Webinar) -> str:
    return ""


def _step(
    webinar: Webinar,
    *,
    done: Callable[[Webinar], bool] = _never,
    refusal: Callable[[Webinar], str] = _no_refusal,
    incomplete: str = "",
) -> tuple[Webinar, bool]:
    """The first steps of submitting, approving and sending back, inside their transaction:
    lock the webinar's row; refuse one cancelled or past (``_open``); stop when the step is
    already ``done`` (a second click is harmless: nothing written); refuse with the message
    ``refusal`` gives, if any; refuse with ``incomplete`` (its ``%(missing)s``: what the
    checklist misses, in plain words) while something is missing. Returns the locked webinar
    and whether the step was already done."""
    webinar = changes.locked(Webinar, pk=webinar.pk)
    _open(webinar)
    if done(webinar):
        return webinar, True
    message = refusal(webinar)
    if message:
        raise WorkspaceRefused(message)
    if incomplete:
        missing = readiness.missing(webinar)
        if missing:
            raise WorkspaceRefused(incomplete % {"missing": " ".join(missing)})
    return webinar, False


def _submitted_or_ready(webinar: Webinar) -> bool:
    return webinar.submitted_at is not None or webinar.state == Webinar.State.READY


def _approved_unchanged(webinar: Webinar) -> bool:
    return webinar.state == Webinar.State.READY and not webinar.changed_after_approval


def _not_submitted(webinar: Webinar) -> str:
    if _submitted_or_ready(webinar):
        return ""
    return _("The hosts have not submitted this webinar as ready yet.")


def submit_ready(*, actor: User, webinar: Webinar) -> Webinar:
    """The hosts submit the workspace as ready for publication.

    Harmless when already submitted or approved (nothing written). Refused: neither a host
    nor the secretariat (PermissionDenied); a cancelled or past webinar, or a checklist with
    something missing (``WorkspaceRefused``, the message lists what).

    Side effects: ``submitted_at``, the previous send-back comment cleared; one audit entry
    ("webinars.submitted"); ``host_active_at``.
    """
    _check(actor, webinar)
    with transaction.atomic():
        webinar, done = _step(
            webinar,
            done=_submitted_or_ready,
            incomplete=_("The webinar cannot be submitted yet: %(missing)s"),
        )
        if done:
            return webinar
        changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.SUBMITTED,
            summary=f"“{webinar.title}” submitted as ready",
            submitted_at=timezone.now(),
            sent_back_comment="",
        )
        _touched(webinar, actor, changed=False)
    return webinar


def approve(*, actor: User, webinar: Webinar) -> Webinar:
    """The secretariat approves what the hosts submitted: the webinar is ready. Approving
    again after a change clears ``changed_after_approval``.

    Refused: anyone but the secretariat (PermissionDenied); a cancelled or past webinar, one
    not submitted, or one with something missing (``WorkspaceRefused``).

    Side effects: ``state`` ready, ``approved_at``, ``changed_after_approval`` cleared; one
    audit entry ("webinars.approved").
    """
    require_secretariat(actor)
    with transaction.atomic():
        webinar, done = _step(
            webinar,
            done=_approved_unchanged,
            refusal=_not_submitted,
            incomplete=_("The webinar cannot be approved yet: %(missing)s"),
        )
        if done:
            return webinar
        changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.APPROVED,
            summary=f"“{webinar.title}” approved as ready",
            state=Webinar.State.READY,
            approved_at=timezone.now(),
            changed_after_approval=False,
        )
    return webinar


def send_back(*, actor: User, webinar: Webinar, comment: str) -> Webinar:
    """The secretariat sends the workspace back to the hosts with a comment (shown to them);
    an approved webinar goes back to preparing.

    Refused: anyone but the secretariat (PermissionDenied); no comment (``WorkspaceInvalid``,
    field ``comment``); a cancelled or past webinar (``WorkspaceRefused``).

    Side effects: ``state`` preparing, ``submitted_at`` and ``approved_at`` cleared, the
    comment; one audit entry ("webinars.sent_back").
    """
    require_secretariat(actor)
    if not comment.strip():
        raise WorkspaceInvalid({"comment": [_("Say what the hosts should change.")]})
    with transaction.atomic():
        webinar, _done = _step(webinar)
        changes.update(
            webinar,
            actor=actor,
            action=WebinarAction.SENT_BACK,
            summary=f"“{webinar.title}” sent back to the hosts",
            state=Webinar.State.PREPARING,
            submitted_at=None,
            approved_at=None,
            changed_after_approval=False,
            sent_back_comment=comment.strip(),
        )
    return webinar


def mark_held(*, now: datetime | None = None) -> int:
    """The platform marks as held every published webinar whose last published session (the
    first, or its repeat) has ended and that was neither cancelled nor already held (run by
    ``deepdive scheduler``). Returns how many.

    Side effects: ``state`` held; one audit entry per webinar ("webinars.held"), by the
    platform (no actor). The workspace takes no change from then on (``_open``).
    """
    now = now or timezone.now()
    open_states = [Webinar.State.PREPARING, Webinar.State.READY]
    started = Webinar.objects.filter(
        state__in=open_states, starts_at__isnull=False, starts_at__lte=now
    ).values_list("pk", flat=True)
    held = 0
    for pk in list(started):
        with transaction.atomic():
            webinar = changes.locked(Webinar, pk=pk)
            if webinar.state not in open_states or webinar.ends_at is None:
                continue  # cancelled or marked meanwhile
            last_end = sessions.last_end(webinar)
            if last_end is None or last_end > now:
                continue  # on air, or its repeat session is still to come
            changes.update(
                webinar,
                actor=None,
                action=WebinarAction.HELD,
                summary=f"“{webinar.title}” held",
                state=Webinar.State.HELD,
            )
            held += 1
    return held
