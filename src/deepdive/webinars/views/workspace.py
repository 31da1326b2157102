"""The host's workspace of a webinar (its hosts and the secretariat), and the download of a
webinar's materials (each as its visibility allows).

One page, one form per section; each form posts to the page with its ``section`` and, when
something cannot be saved, the page comes back with that form as it was typed and the
messages beside its fields."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.permissions import is_secretariat
from deepdive.core.refusals import Refused

from .. import preparation, queries, readiness
from ..interfaces import workspace_forms as forms
from ..models import Material, Webinar


def _webinar(request: HttpRequest, pk: int) -> Webinar:
    """The webinar ``pk`` for its hosts and the secretariat (403 for anyone else)."""
    webinar = get_object_or_404(
        Webinar.objects.select_related("proposal__call__series", "proposal__lead_organisation"),
        pk=pk,
    )
    if not preparation.may_prepare(request.user, webinar):
        raise PermissionDenied
    return webinar


def _page(request: HttpRequest, webinar: Webinar, bound: dict[str, Any], status: int = 200):
    secretariat = is_secretariat(request.user)
    checklist = readiness.checklist(webinar)
    complete = all(check.done for check in checklist)
    open_ = webinar.state in (Webinar.State.PREPARING, Webinar.State.READY)
    context = {
        "webinar": webinar,
        "series": webinar.call.series,
        "checklist": checklist,
        "complete": complete,
        "is_secretariat": secretariat,
        "is_open": open_,
        "is_submitted": webinar.submitted_at is not None,
        "is_ready": webinar.state == Webinar.State.READY,
        "can_submit": open_
        and complete
        and webinar.submitted_at is None
        and webinar.state == Webinar.State.PREPARING,
        "can_approve": secretariat
        and open_
        and complete
        and (
            (webinar.state == Webinar.State.PREPARING and webinar.submitted_at is not None)
            or webinar.changed_after_approval
        ),
        "can_send_back": secretariat
        and open_
        and (webinar.submitted_at is not None or webinar.state == Webinar.State.READY),
        "materials": list(webinar.materials.all()),
        "details": bound.get("details") or forms.DetailsForm(webinar=webinar),
        "technical": bound.get("technical") or forms.TechnicalForm(webinar=webinar),
        "agenda": bound.get("agenda") or forms.AgendaFormSet(webinar=webinar),
        "speakers": bound.get("speakers") or forms.SpeakerFormSet(webinar=webinar),
        "material_form": bound.get("material") or forms.MaterialForm(),
        "send_back_form": bound.get("sendback") or forms.SendBackForm(),
        "refusal": bound.get("refusal", ""),
        "agenda_minutes": sum(item.minutes for item in webinar.agenda.all()),
    }
    return render(request, "webinars/workspace/workspace.html", context, status=status)


def _saved(request: HttpRequest, webinar: Webinar, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("webinars:workspace", kwargs={"pk": webinar.pk}) + f"#{anchor}")


def _post(request: HttpRequest, webinar: Webinar) -> HttpResponse:  # noqa: C901, PLR0911
    section = request.POST.get("section", "")
    user = request.user
    if section == "details":
        details = forms.DetailsForm(request.POST, webinar=webinar)
        if details.is_valid():
            try:
                preparation.save_details(actor=user, webinar=webinar, **details.values())
            except Refused as refused:
                refused.show_on(details)
            else:
                return _saved(
                    request, webinar, _("The description and languages are saved."), "description"
                )
        return _page(request, webinar, {"details": details}, status=400)
    if section == "technical":
        technical = forms.TechnicalForm(request.POST, webinar=webinar)
        if technical.is_valid():
            try:
                preparation.save_technical(actor=user, webinar=webinar, **technical.cleaned_data)
            except Refused as refused:
                refused.show_on(technical)
            else:
                return _saved(request, webinar, _("The technical set-up is saved."), "technical")
        return _page(request, webinar, {"technical": technical}, status=400)
    if section == "agenda":
        agenda = forms.AgendaFormSet(request.POST, webinar=webinar)
        if agenda.is_valid():
            try:
                preparation.save_agenda(actor=user, webinar=webinar, items=agenda.lines())
            except Refused as refused:
                agenda.show(refused)
            else:
                return _saved(request, webinar, _("The agenda is saved."), "agenda")
        return _page(request, webinar, {"agenda": agenda}, status=400)
    if section == "speakers":
        speakers = forms.SpeakerFormSet(request.POST, webinar=webinar)
        if speakers.is_valid():
            try:
                preparation.save_speakers(actor=user, webinar=webinar, people=speakers.people())
            except Refused as refused:
                speakers.show(refused)
            else:
                return _saved(request, webinar, _("The speakers are saved."), "speakers")
        return _page(request, webinar, {"speakers": speakers}, status=400)
    if section == "material":
        material = forms.MaterialForm(request.POST, request.FILES)
        if material.is_valid():
            try:
                preparation.add_material(
                    actor=user,
                    webinar=webinar,
                    title=material.cleaned_data["title"],
                    upload=material.cleaned_data["file"],
                    visibility=material.cleaned_data["visibility"],
                )
            except Refused as refused:
                refused.show_on(material)
            else:
                return _saved(request, webinar, _("The file is uploaded."), "materials")
        return _page(request, webinar, {"material": material}, status=400)
    if section == "remove_material":
        found = get_object_or_404(Material, pk=request.POST.get("material") or 0, webinar=webinar)
        preparation.remove_material(actor=user, material=found)
        return _saved(request, webinar, _("The file is removed."), "materials")
    if section == "send_back":
        send_back = forms.SendBackForm(request.POST)
        if send_back.is_valid():
            try:
                preparation.send_back(
                    actor=user, webinar=webinar, comment=send_back.cleaned_data["comment"]
                )
            except Refused as refused:
                refused.show_on(send_back)
            else:
                return _saved(
                    request, webinar, _("The webinar is sent back to the hosts."), "readiness"
                )
        return _page(request, webinar, {"sendback": send_back}, status=400)
    steps = {
        "submit": (preparation.submit_ready, _("Submitted: the secretariat will check it.")),
        "approve": (preparation.approve, _("Approved: the webinar is ready.")),
    }
    if section not in steps:
        raise Http404
    step, done = steps[section]
    try:
        step(actor=user, webinar=webinar)
    except Refused as refused:
        return _page(request, webinar, {"refusal": str(refused)}, status=400)
    return _saved(request, webinar, done, "readiness")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    webinar = _webinar(request, pk)
    if request.method == "POST":
        return _post(request, webinar)
    return _page(request, webinar, {})


@never_cache
@require_safe
def material(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a material, if its visibility lets the reader see it: a reader who is not
    signed in is asked to log in, anyone else not allowed gets a 404 (no leak)."""
    found = get_object_or_404(Material.objects.select_related("webinar__proposal"), pk=pk)
    if not queries.may_see_material(request.user, found):
        if not request.user.is_authenticated and found.webinar.is_published:
            return redirect_to_login(request.get_full_path())
        raise Http404
    extension = preparation.MATERIAL_TYPES.get(found.content_type, ("bin", ""))[0]
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{found.title}.{extension}",
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
