"""The attendance page of a held webinar (its hosts and the secretariat): who attended
against who registered (``attendance.sheet``, also as a CSV file), and the import: upload the
meeting platform's report, see the dry run (``attendance.service.preview``), then confirm
(``import_attendance``). The file is not stored between the two steps: the confirmation form
carries it back, signed, and the signature is checked (for this webinar, for an hour)."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.refusals import Refused

from .. import queries, sessions
from ..attendance import service, sheet
from ..interfaces import attendance_export
from ..interfaces.attendance_forms import ConfirmForm, ReportForm
from ..models import Webinar

SIGNED_FOR_SECONDS = 3600


def _salt(webinar: Webinar, session: str) -> str:
    # The session is in the signature: the confirmation imports what the preview showed.
    base = f"webinars.attendance.{webinar.pk}"
    return base if session == sessions.FIRST else f"{base}.{session}"


def _signed(webinar: Webinar, data: bytes, session: str) -> str:
    return signing.dumps(
        base64.b64encode(data).decode("ascii"), salt=_salt(webinar, session), compress=True
    )


def _unsigned(webinar: Webinar, value: str, session: str) -> bytes | None:
    try:
        text = signing.loads(value, salt=_salt(webinar, session), max_age=SIGNED_FOR_SECONDS)
        return base64.b64decode(text, validate=True)
    except (signing.BadSignature, binascii.Error, TypeError, ValueError):
        return None


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    webinar = get_object_or_404(
        Webinar.objects.select_related("proposal__call__series", "proposal__lead_organisation"),
        pk=pk,
    )
    if not queries.hosts_or_secretariat(request.user, webinar):
        raise PermissionDenied
    # The choice of session only for a webinar with a repeat session.
    choices = (
        [(sessions.key(s), sessions.label(s)) for s in sessions.published_sessions(webinar)]
        if sessions.published_repeat(webinar) is not None
        else None
    )
    form = ReportForm(session_choices=choices)
    result = None
    confirm = None
    session_label = ""  # which session the previewed report is of, with a repeat only
    refused: list[str] = []  # why a confirmation was not imported (shown above the form)
    if request.method == "POST" and "report" in request.POST:
        session = request.POST.get("session") or sessions.FIRST
        data = _unsigned(webinar, request.POST.get("report", ""), session)
        if data is None:
            refused = [_("This preview has expired: choose the file again.")]
        else:
            try:
                done = service.import_attendance(
                    actor=request.user, webinar=webinar, data=data, session=session
                )
            except Refused as exc:
                refused = exc.messages()
            else:
                messages.success(
                    request,
                    _(
                        "Attendance imported. Attendees: %(attendees)s (registered: %(matched)s, "
                        "not registered: %(new)s). Hosts, panelists and speakers: %(hosts)s."
                    )
                    % {
                        "attendees": len(done.attendees),
                        "matched": len(done.matched),
                        "new": len(done.new),
                        "hosts": len(done.hosts),
                    },
                )
                return redirect("webinars:attendance", pk=webinar.pk)
    elif request.method == "POST":
        form = ReportForm(request.POST, request.FILES, session_choices=choices)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            session = form.cleaned_data.get("session") or sessions.FIRST
            try:
                result = service.preview(
                    actor=request.user, webinar=webinar, data=data, session=session
                )
            except Refused as exc:
                exc.show_on(form)
            else:
                confirm = ConfirmForm(
                    initial={"report": _signed(webinar, data, session), "session": session}
                )
                if choices:
                    session_label = dict(choices).get(session, "")
    status = 400 if form.errors or refused else 200
    kept = sheet.attendance_sheet(reader=request.user, webinar=webinar)
    return render(
        request,
        "webinars/attendance/import.html",
        {
            "webinar": webinar,
            "form": form,
            "refused": refused,
            "result": result,
            "confirm": confirm,
            "session_label": session_label,
            "is_held": sessions.is_held(webinar),
            "sheet": kept,
            "kept": kept.attended + len(kept.hosts),
        },
        status=status,
    )


@never_cache
@login_required
@require_safe
def attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet as a CSV file, for the webinar's hosts and the secretariat."""
    webinar = get_object_or_404(Webinar.objects.select_related("proposal"), pk=pk)
    kept = sheet.attendance_sheet(reader=request.user, webinar=webinar)
    response = HttpResponse(attendance_export.to_csv(kept), content_type="text/csv; charset=utf-8")
    name = slugify(webinar.title)[:60].strip("-") or f"webinar-{webinar.pk}"
    response["Content-Disposition"] = f'attachment; filename="attendance-{name}.csv"'
    return response
