"""A held webinar's recordings page (its hosts and the secretariat): add the recording, its
captions, publish it (the secretariat alone unpublishes). And for readers: the captions'
download (also the player's ``<track>``), the transcript page, a play of a recording counted
(``play``), and ``with_player``, which lets the webinar's page embed its published players once
the reader asks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.accounts.models import User
from deepdive.core.middleware import CONTENT_SECURITY_POLICY
from deepdive.core.permissions import is_secretariat
from deepdive.core.refusals import Refused

from .. import engagement, queries, recordings, sessions
from ..interfaces import captions as vtt
from ..interfaces.recording_forms import CaptionsForm, RecordingForm
from ..models import Captions, Recording, Webinar


def _webinar(request: HttpRequest, pk: int) -> Webinar:
    """The webinar ``pk`` for its hosts and the secretariat (403 for anyone else)."""
    webinar = get_object_or_404(
        Webinar.objects.select_related("proposal__call__series", "proposal__lead_organisation"),
        pk=pk,
    )
    if not queries.hosts_or_secretariat(request.user, webinar):
        raise PermissionDenied
    return webinar


def _page(
    request: HttpRequest, webinar: Webinar, *, bound: dict[Any, Any], status: int = 200
) -> HttpResponse:
    rows = []
    for recording in webinar.recordings.prefetch_related("captions"):
        rows.append(
            {
                "recording": recording,
                "language_name": recordings.language_name(recording.language),
                "captions": recordings.captions_links(recording),
                "form": bound.get(recording.pk)
                or CaptionsForm(
                    recording_pk=recording.pk, initial={"captions_language": recording.language}
                ),
                "refusal": bound.get(("refusal", recording.pk), ""),
            }
        )
    return render(
        request,
        "webinars/recordings/manage.html",
        {
            "webinar": webinar,
            "is_held": sessions.is_held(webinar),
            "form": bound.get("recording") or RecordingForm(),
            "rows": rows,
            "missing_consent": recordings.missing_consent(webinar),
            "may_unpublish": is_secretariat(request.user),
        },
        status=status,
    )


def _done(request: HttpRequest, webinar: Webinar, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("webinars:recordings", pk=webinar.pk)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    webinar = _webinar(request, pk)
    user = request.user
    if request.method != "POST":
        return _page(request, webinar, bound={})
    if not isinstance(user, User):  # never (login_required); it tells the type checker
        raise PermissionDenied
    step = request.POST.get("step", "")
    if step == "recording":
        form = RecordingForm(request.POST)
        if form.is_valid():
            try:
                recordings.add_recording(actor=user, webinar=webinar, **form.values())
            except Refused as refused:
                refused.show_on(form)
            else:
                return _done(request, webinar, _("The recording is saved."))
        return _page(request, webinar, bound={"recording": form}, status=400)
    recording = get_object_or_404(Recording, pk=request.POST.get("recording") or 0, webinar=webinar)
    if step == "captions":
        captions_form = CaptionsForm(request.POST, request.FILES, recording_pk=recording.pk)
        if captions_form.is_valid():
            try:
                recordings.save_captions(
                    actor=user,
                    recording=recording,
                    language=captions_form.cleaned_data["captions_language"],
                    text=captions_form.text(),
                )
            except Refused as refused:
                refused.show_on(captions_form)
            else:
                return _done(request, webinar, _("The captions are saved."))
        return _page(request, webinar, bound={recording.pk: captions_form}, status=400)
    if step == "publish":
        try:
            recordings.publish(actor=user, recording=recording)
        except Refused as refused:
            return _page(
                request, webinar, bound={("refusal", recording.pk): str(refused)}, status=400
            )
        return _done(request, webinar, _("The recording is published."))
    if step == "unpublish":
        recordings.unpublish(actor=user, recording=recording)
        return _done(request, webinar, _("The recording is no longer published."))
    raise Http404


def _captions(request: HttpRequest, pk: int) -> Captions:
    found = get_object_or_404(
        Captions.objects.select_related("recording__webinar__proposal"), pk=pk
    )
    if not recordings.may_see_captions(request.user, found):
        raise Http404
    return found


@require_safe
def captions(request: HttpRequest, pk: int) -> HttpResponse:
    """The captions as a WebVTT file: downloaded, or read by the player's ``<track>``."""
    found = _captions(request, pk)
    response = HttpResponse(found.vtt, content_type="text/vtt; charset=utf-8")
    name = slugify(found.recording.webinar.title)[:60].strip("-") or "captions"
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="{name}-{found.language}.vtt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    """The transcript made of the captions: each cue with its time in the recording."""
    found = _captions(request, pk)
    webinar = found.recording.webinar
    try:
        lines = vtt.transcript(found.vtt)
    except vtt.CaptionsInvalid:
        lines = []
    return render(
        request,
        "webinars/recordings/transcript.html",
        {
            "webinar": webinar,
            "captions": found,
            "language_name": recordings.language_name(found.language),
            "lines": lines,
            "download_url": reverse("webinars:captions", kwargs={"pk": found.pk}) + "?download",
        },
    )


# A beacon (``navigator.sendBeacon`` in player.js) carries no CSRF token, so the counter is
# exempt: a forged request can only add one to an anonymous count of plays, it changes nothing
# of anyone's and reveals nothing (the answer is empty).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def play(request: HttpRequest, pk: int) -> HttpResponse:
    """A play of a published recording started: counted, then GET goes to the video's page
    (the player's link without JavaScript), POST answers 204 (the player's beacon). A HEAD
    (a link checker) is not a play. 404 for a recording not published or a webinar the reader
    may not see."""
    recording = get_object_or_404(Recording, pk=pk, published_at__isnull=False)
    if queries.visible_webinar(request.user, recording.webinar_id, details=False) is None:
        raise Http404
    if request.method != "HEAD":
        engagement.count_play(recording=recording)
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponseRedirect(recording.url)


def with_player(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a webinar's page embed its published players (``frame-src``, ``media-src``): the
    site's policy otherwise forbids anything from elsewhere. Nothing loads until the reader
    clicks; the policy only allows it then."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # A view that read its players already says where they load from.
        origins = getattr(response, "player_origins", None)
        if origins is None:
            origins = (
                recordings.player_origins(kwargs.get("pk", 0)) if response.status_code < 300 else []
            )
        if origins and "Content-Security-Policy" not in response:
            allowed = " ".join(origins)
            response["Content-Security-Policy"] = (
                f"{CONTENT_SECURITY_POLICY}; frame-src 'self' {allowed}; media-src 'self' {allowed}"
            )
        return response

    return wrapper
