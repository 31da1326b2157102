"""Pages of member contacts: their proposals, the proposal form, withdrawal, taking part.

Every proposal is looked up among those the user may see or edit: any other is a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deepdive.core import audit
from deepdive.core.middleware import arrival_time
from deepdive.core.permissions import is_secretariat
from deepdive.series.models import Call

from .. import access, operations, queries
from ..interfaces.forms import DecisionForm, ProposalEntry, VersionForm, initial_for
from ..models import CoSubmitter, Proposal

FORM_TEMPLATE = "proposals/member/form.html"


@login_required
def mine(request):
    proposals = (
        access.editable_proposals(request.user)
        .select_related("call", "lead_organisation")
        .prefetch_related("co_submitters__organisation")
    )
    return render(
        request,
        "proposals/member/mine.html",
        {
            "proposals": proposals,
            "requests": access.co_submissions_to_decide(request.user).order_by(
                "status", "-proposal__submitted_at"
            ),
        },
    )


@login_required
def new(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("series"), pk=call_id)
    if not access.can_propose(request.user, call):
        raise PermissionDenied(access.why_cannot_propose(request.user, call))
    if not call.is_open_at(arrival_time(request)):
        return _closed(request, call, None, status=200 if request.method == "GET" else 409)
    if request.method != "POST":
        entry = ProposalEntry(
            user=request.user,
            call=call,
            initial={
                "creation_token": uuid.uuid4(),
                "contact_name": request.user.name,
                "contact_email": request.user.email,
            },
        )
        return _form_page(request, entry)
    entry = ProposalEntry(request.POST, user=request.user, call=call)
    autosave = request.POST.get("autosave") == "1"
    if not entry.is_valid():
        return _invalid(request, entry, autosave)
    try:
        saved = operations.create_draft(
            actor=request.user,
            call=call,
            data=entry.data(),
            creation_token=entry.creation_token,
            submit=entry.submitting,
            at=arrival_time(request),
        )
    except operations.ProposalError as refusal:
        return _refused(request, entry, refusal, autosave)
    return _saved(request, entry, saved, autosave)


@login_required
def edit(request, pk: int):
    proposal = get_object_or_404(
        access.editable_proposals(request.user).select_related("call__series"), pk=pk
    )
    if not proposal.call.is_open_at(arrival_time(request)):
        return _closed(
            request, proposal.call, proposal, status=200 if request.method == "GET" else 409
        )
    if request.method != "POST":
        initial, speakers = initial_for(proposal)
        entry = ProposalEntry(
            user=request.user,
            call=proposal.call,
            proposal=proposal,
            initial=initial,
            speakers=speakers,
        )
        return _form_page(request, entry)
    return _post_edit(request, proposal, autosave=False)


@require_POST
@login_required
def autosave(request, pk: int):
    proposal = get_object_or_404(
        access.editable_proposals(request.user).select_related("call__series"), pk=pk
    )
    return _post_edit(request, proposal, autosave=True)


def _post_edit(request, proposal: Proposal, *, autosave: bool):
    entry = ProposalEntry(request.POST, user=request.user, call=proposal.call, proposal=proposal)
    if autosave and proposal.status != Proposal.Status.DRAFT:
        return JsonResponse(
            {"ok": False, "message": _("Only drafts are saved automatically.")}, status=409
        )
    if not entry.is_valid():
        return _invalid(request, entry, autosave)
    try:
        saved = operations.save_proposal(
            actor=request.user,
            proposal=proposal,
            expected_version=entry.version,
            data=entry.data(),
            submit=entry.submitting and not autosave,
            at=arrival_time(request),
        )
    except operations.ProposalError as refusal:
        return _refused(request, entry, refusal, autosave)
    return _saved(request, entry, saved, autosave)


def _form_page(request, entry: ProposalEntry, *, conflict=None, status: int = 200):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "entry": entry,
            "form": entry.form,
            "speakers": entry.speakers,
            "call": entry.call,
            "proposal": entry.proposal,
            "conflict": conflict,
        },
        status=status,
    )


def _invalid(request, entry: ProposalEntry, autosave: bool):
    if autosave:
        problems = entry.error_messages()
        return JsonResponse(
            {"ok": False, "message": problems[0] if problems else "", "errors": problems},
            status=400,
        )
    messages.error(request, _("The proposal was not saved: correct the fields marked below."))
    return _form_page(request, entry, status=400)


def _refused(request, entry: ProposalEntry, refusal: operations.ProposalError, autosave: bool):
    if autosave:
        stop = not isinstance(refusal, operations.Incomplete)
        return JsonResponse({"ok": False, "message": str(refusal), "stop": stop}, status=409)
    if isinstance(refusal, operations.NotAllowed):
        raise PermissionDenied(str(refusal))
    if isinstance(refusal, operations.DeadlinePassed):
        messages.error(request, str(refusal))
        return _closed(request, entry.call, entry.proposal, status=409)
    if isinstance(refusal, operations.Incomplete):
        entry.add_problems(refusal.problems)
        messages.error(request, str(refusal))
        return _form_page(request, entry, status=400)
    if isinstance(refusal, operations.StaleVersion):
        messages.error(request, str(refusal))
        entry.keep_typed_values_with_version(refusal.proposal.version)
        return _form_page(request, entry, conflict=refusal, status=409)
    messages.error(request, str(refusal))
    return _form_page(request, entry, status=409)


def _saved(request, entry: ProposalEntry, saved: operations.Saved, autosave: bool):
    proposal = saved.proposal
    if autosave:
        return JsonResponse(
            {
                "ok": True,
                "pk": proposal.pk,
                "version": proposal.version,
                "saved_at": time_format(timezone.localtime(proposal.updated_at), "H:i"),
                "message": _("Draft saved at %(time)s")
                % {"time": time_format(timezone.localtime(proposal.updated_at), "H:i")},
                "edit_url": reverse("proposals:edit", kwargs={"pk": proposal.pk}),
                "autosave_url": reverse("proposals:autosave", kwargs={"pk": proposal.pk}),
            }
        )
    if proposal.status == Proposal.Status.SUBMITTED and (entry.submitting or not saved.changed):
        if saved.submitted_now or not saved.changed:
            messages.success(
                request,
                _("Your proposal is submitted. A confirmation is sent to %(email)s.")
                % {"email": proposal.contact_email},
            )
        else:
            messages.success(
                request,
                _(
                    "Your changes are saved and the proposal is still submitted. A new copy is "
                    "sent to %(email)s."
                )
                % {"email": proposal.contact_email},
            )
        return redirect("proposals:view", pk=proposal.pk)
    messages.success(
        request,
        _("Draft saved. You can come back and submit it until the deadline.")
        if saved.changed
        else _("Nothing changed since the last save."),
    )
    return redirect("proposals:edit", pk=proposal.pk)


def _closed(request, call: Call, proposal: Proposal | None, *, status: int):
    """The page after the deadline: the proposal read-only, with the reason."""
    return render(
        request,
        "proposals/member/closed.html",
        {
            "call": call,
            "proposal": proposal,
            "closed": not timezone.now() < call.opens_at,
            **(_details(proposal) if proposal else {}),
        },
        status=status,
    )


def _details(proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "speakers": list(proposal.speakers.all()),
        "co_submitters": list(proposal.co_submitters.select_related("organisation")),
    }


@login_required
def view(request, pk: int):
    proposal = get_object_or_404(
        access.visible_proposals(request.user).select_related("call__series", "lead_organisation"),
        pk=pk,
    )
    editor = access.can_edit(request.user, proposal)
    return render(
        request,
        "proposals/member/view.html",
        {
            **_details(proposal),
            "can_edit": editor,
            "is_open": proposal.call.is_open_at(timezone.now()),
            "history": audit.history(proposal)[:50]
            if editor or is_secretariat(request.user)
            else None,
            "to_decide": access.co_submissions_to_decide(request.user).filter(proposal=proposal),
            "without_contact": queries.co_submitters_without_contact(proposal) if editor else [],
        },
    )


@login_required
def withdraw(request, pk: int):
    proposal = get_object_or_404(
        access.editable_proposals(request.user).select_related("call"), pk=pk
    )
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                operations.withdraw(
                    actor=request.user,
                    proposal=proposal,
                    expected_version=form.cleaned_data["version"],
                    at=arrival_time(request),
                )
            except operations.ProposalError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    _("The proposal is withdrawn. You can submit it again until the deadline."),
                )
                return redirect("proposals:view", pk=proposal.pk)
        else:
            messages.error(request, _("Reload the page and try again."))
    return render(
        request,
        "proposals/member/withdraw.html",
        {"proposal": proposal, "form": VersionForm(initial={"version": proposal.version})},
    )


@login_required
def take_part(request, pk: int):
    co = (
        access.co_submissions_to_decide(request.user)
        .filter(proposal_id=pk)
        .select_related("proposal__call")
        .first()
    )
    if co is None:
        raise Http404
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                operations.decide_participation(
                    actor=request.user,
                    co_submitter=co,
                    confirm=form.cleaned_data["decision"] == "confirm",
                    at=arrival_time(request),
                )
            except operations.ProposalError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    _("Thank you: %(organisation)s is marked as %(status)s.")
                    % {"organisation": co.organisation, "status": co.get_status_display()},
                )
                return redirect("proposals:take_part", pk=pk)
    return render(
        request,
        "proposals/member/take_part.html",
        {**_details(co.proposal), "co": co, "pending": co.status == CoSubmitter.Status.PENDING},
    )
