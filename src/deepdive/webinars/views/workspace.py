"""The host's workspace of a webinar (its hosts and the secretariat), and the download of a
webinar's materials (each as its visibility allows).

One page, one form per section; each form posts to the page with its ``section`` and, when
something cannot be saved, the page comes back with that form as it was typed and the
messages beside its fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.accounts.models import User
from deepdive.core.permissions import is_secretariat
from deepdive.core.refusals import Refused

from .. import engagement, preparation, queries, readiness, workplan
from ..interfaces import workspace_forms as forms
from ..interfaces.workplan_form import OutputsForm
from ..models import Material, Webinar


def _webinar(request: HttpRequest, pk: int) -> Webinar:
    """The webinar ``pk`` for its hosts and the secretariat (403 for anyone else)."""
    webinar = get_object_or_404(
        Webinar.objects.select_related("proposal__call__series", "proposal__lead_organisation"),
        pk=pk,
    )
    if not queries.hosts_or_secretariat(request.user, webinar):
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
        **{
            f"{name}_form": bound.get(name) or section.form(webinar=webinar)
            for name, section in SECTIONS.items()
        },
        "organisation_names": forms.directory_names(),
        "organisations_list": forms.ORGANISATIONS_LIST,
        "refusal": bound.get("refusal", ""),
        "agenda_minutes": sum(item.minutes for item in webinar.agenda.all()),
    }
    return render(request, "webinars/workspace/workspace.html", context, status=status)


@dataclass(frozen=True)
class Section:
    """A part of the workspace with its own form: the form, the service it calls with the
    form's values, the message once saved, and the part of the page it returns to."""

    form: Callable[..., Any]
    service: Callable[..., Any]
    saved: Promise
    anchor: str


# Each form posts its ``section`` (a key below); the page draws it as ``<section>_form``.
SECTIONS: dict[str, Section] = {
    "details": Section(
        forms.DetailsForm,
        preparation.save_details,
        _("The description and languages are saved."),
        "description",
    ),
    "technical": Section(
        forms.TechnicalForm,
        preparation.save_technical,
        _("The technical set-up is saved."),
        "technical",
    ),
    "agenda": Section(
        forms.AgendaFormSet, preparation.save_agenda, _("The agenda is saved."), "agenda"
    ),
    "speakers": Section(
        forms.SpeakerFormSet, preparation.save_speakers, _("The speakers are saved."), "speakers"
    ),
    "material": Section(
        forms.MaterialForm, preparation.add_material, _("The file is uploaded."), "materials"
    ),
    "outputs": Section(
        OutputsForm,
        workplan.set_outputs,
        _("The workplan Outputs are saved."),
        "workplan-outputs",
    ),
    "send_back": Section(
        forms.SendBackForm,
        preparation.send_back,
        _("The webinar is sent back to the hosts."),
        "readiness",
    ),
}
# The steps taken with a button alone; a refusal is shown above the checklist.
STEPS: dict[str, tuple[Callable[..., Any], Promise]] = {
    "submit": (preparation.submit_ready, _("Submitted: the secretariat will check it.")),
    "approve": (preparation.approve, _("Approved: the webinar is ready.")),
}


def _saved(request: HttpRequest, webinar: Webinar, message: Promise, anchor: str) -> HttpResponse:
    messages.success(request, str(message))
    return redirect(reverse("webinars:workspace", kwargs={"pk": webinar.pk}) + f"#{anchor}")


def _post(request: HttpRequest, webinar: Webinar) -> HttpResponse:
    name = request.POST.get("section", "")
    user = request.user
    if not isinstance(user, User):  # never (login_required); it tells the type checker
        raise PermissionDenied
    if name in SECTIONS:
        section = SECTIONS[name]
        form = section.form(request.POST, request.FILES, webinar=webinar)
        if form.is_valid():
            try:
                section.service(actor=user, webinar=webinar, **form.values())
            except Refused as refused:
                form.show(refused)
            else:
                return _saved(request, webinar, section.saved, section.anchor)
        return _page(request, webinar, {name: form}, status=400)
    if name == "remove_material":
        found = get_object_or_404(Material, pk=request.POST.get("material") or 0, webinar=webinar)
        preparation.remove_material(actor=user, material=found)
        return _saved(request, webinar, _("The file is removed."), "materials")
    if name not in STEPS:
        raise Http404
    step, done = STEPS[name]
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
def material(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download a material, if its visibility lets the reader see it: a reader who is not
    signed in is asked to log in, anyone else not allowed gets a 404 (no leak). A download
    served is counted (``engagement.count_download``)."""
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
    if request.method == "GET":  # a HEAD (a link checker) downloads nothing
        engagement.count_download(material=found)
    return response
