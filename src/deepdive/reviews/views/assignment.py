"""The secretariat's assignment pages: propose an assignment, edit and save a run, and the
progress board of the reviews."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from deepdive.core.permissions import secretariat_required

from .. import queries_assignment as queries
from ..forms_assignment import ProposeForm, attach_forms, bound_change_form
from ..operations import assignment as operations


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def assign(request, call_id):
    call = queries.find_call(call_id)
    page = queries.assign_page(call)
    status = 200
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            try:
                run = operations.propose_assignment(
                    actor=request.user, call=call, objective=form.cleaned_data["objective"]
                )
            except operations.AssignmentError as refusal:
                refusal.show_on(form)
            else:
                return redirect("reviews:run", pk=run.pk)
        status = 400
    else:
        form = ProposeForm(initial={"objective": page["round"].objective})
    return render(request, "reviews/assignment/assign.html", {**page, "form": form}, status=status)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def run(request, pk):
    assignment_run = queries.find_run(pk)
    if request.method == "POST":
        if request.POST.get("action") == "save":
            return _save(request, assignment_run)
        return _change(request, assignment_run)
    page = queries.run_page(assignment_run)
    attach_forms(page)
    return render(request, "reviews/assignment/run.html", page)


def _change(request, assignment_run):
    page = queries.run_page(assignment_run)
    try:
        proposal_id = int(request.POST.get("proposal", ""))
    except ValueError:
        raise Http404 from None
    row = next((r for r in page["rows"] if r.proposal.pk == proposal_id), None)
    if row is None:
        raise Http404
    form = bound_change_form(request.POST, page, row.proposal)
    if form.is_valid():
        try:
            warnings = operations.change_reviewers(
                actor=request.user,
                run=assignment_run,
                proposal_id=proposal_id,
                reviewer_ids=form.cleaned_data["reviewers"],
            )
        except operations.AssignmentError as refusal:
            form.add_refusal(refusal.messages())
        else:
            messages.success(
                request,
                _("The reviewers of “%(title)s” are changed (not saved yet).")
                % {"title": row.proposal},
            )
            for warning in warnings:
                messages.warning(request, warning)
            url = reverse("reviews:run", kwargs={"pk": assignment_run.pk})
            return redirect(f"{url}#proposal-{proposal_id}")
    attach_forms(page, bound=form)
    return render(request, "reviews/assignment/run.html", page, status=400)


def _save(request, assignment_run):
    try:
        operations.save_run(actor=request.user, run=assignment_run)
    except operations.AssignmentError as refusal:
        for message in refusal.messages():
            messages.error(request, message)
    else:
        notified = len({r for reviewers in assignment_run.current.values() for r in reviewers})
        messages.success(
            request,
            ngettext(
                "The assignment is saved; %(n)s reviewer is notified by e-mail.",
                "The assignment is saved; %(n)s reviewers are notified by e-mail.",
                notified,
            )
            % {"n": notified},
        )
    return redirect("reviews:run", pk=assignment_run.pk)


@secretariat_required
@require_safe
def progress(request, call_id):
    call = queries.find_call(call_id)
    return render(request, "reviews/assignment/progress.html", queries.progress_page(call))
